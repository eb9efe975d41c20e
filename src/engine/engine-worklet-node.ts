/**
 * Main-thread side of the AudioWorklet host: fetches and compiles engine.wasm once, loads the
 * pre-bundled worklet module into a context, and creates the AudioWorkletNode that runs the engine.
 */
import type { GraphProgram } from "./graph-program";

/** Where the build puts the engine and the worklet bundle (served from public/build/). */
export const ENGINE_ASSETS = {
  wasm: "/build/engine.wasm",
  worklet: "/build/engine-processor.js",
} as const;

let compiled: Promise<WebAssembly.Module> | null = null;

/** Compiles engine.wasm once per page; later calls share the module. */
export function loadEngineModule(url: string = ENGINE_ASSETS.wasm): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compileStreaming(fetch(url)).catch((error: unknown) => {
    compiled = null;
    throw new Error(`could not load the engine from ${url}: ${(error as Error).message}`);
  });
  return compiled;
}

const workletLoaded = new WeakMap<BaseAudioContext, Promise<void>>();

/** Adds the engine processor to a context (once per context). */
export function loadEngineWorklet(
  context: BaseAudioContext,
  url: string = ENGINE_ASSETS.worklet,
): Promise<void> {
  let loaded = workletLoaded.get(context);
  if (!loaded) {
    loaded = context.audioWorklet.addModule(url);
    workletLoaded.set(context, loaded);
  }
  return loaded;
}

export interface EngineNodeOptions {
  /** A fixed graph to play from frame 0 (omit in live mode: graphs arrive by "load" messages). */
  program?: GraphProgram;
  /** Live mode: the transport starts stopped and follows the command ring. */
  live?: boolean;
  /** Web Audio output channels (the engine's mono output is copied to each). */
  outputChannels?: number;
  blockSize?: number;
  /** Audio the program refers to as engine buffer ids 0, 1, ... (copied to the audio thread). */
  buffers?: Float32Array[][];
}

/**
 * Creates an AudioWorkletNode running the engine on `program`; resolves once the processor has
 * instantiated the engine, or rejects with its error.
 * @example
 * const node = await createEngineNode(context, { program: sineThroughGain(440, 0.5) });
 * node.connect(context.destination);
 */
export async function createEngineNode(
  context: BaseAudioContext,
  options: EngineNodeOptions,
): Promise<AudioWorkletNode> {
  const [module] = await Promise.all([loadEngineModule(), loadEngineWorklet(context)]);
  const node = new AudioWorkletNode(context, "webdreamer-engine", {
    numberOfInputs: 0,
    numberOfOutputs: 1,
    outputChannelCount: [options.outputChannels ?? 2],
    processorOptions: {
      module,
      program: options.program,
      live: options.live ?? false,
      blockSize: options.blockSize ?? 128,
      buffers: options.buffers ?? [],
    },
  });
  await new Promise<void>((resolve, reject) => {
    node.port.onmessage = (event: MessageEvent<{ type: string; message?: string }>) => {
      if (event.data.type === "ready") resolve();
      else if (event.data.type === "error")
        reject(new Error(`engine failed to start: ${event.data.message}`));
    };
  });
  return node;
}
