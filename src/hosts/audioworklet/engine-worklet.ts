/**
 * The AudioWorklet host's main-thread setup: fetches and compiles engine.wasm once, loads the
 * pre-bundled worklet module into a context, and creates the AudioWorkletNode that runs the engine
 * (EngineProcessor on the audio thread).
 */
import type { GraphProgram } from "../../engine/graph-program";
import {
  ENGINE_PROCESSOR_NAME,
  type EngineProcessorOptions,
  type MainToWorkletMessage,
} from "../../protocol/main-to-worklet";
import type { TypedPort } from "../../protocol/typed-port";
import type { WorkletToMainMessage } from "../../protocol/worklet-to-main";

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

export interface EngineWorkletOptions {
  /** A fixed graph to play from frame 0 (omit when the engine Worker loads graphs). */
  program?: GraphProgram;
  /** The transport starts stopped and follows the command ring (the real-time host). */
  followCommands?: boolean;
  /** Web Audio output channels (the engine's mono output is copied to each). */
  outputChannels?: number;
  blockSize?: number;
  /** Audio the program refers to as engine buffer ids 0, 1, ... (copied to the audio thread). */
  buffers?: Float32Array[][];
}

/** The engine's AudioWorkletNode and its port, typed by the main <-> worklet protocol. */
export interface EngineWorklet {
  node: AudioWorkletNode;
  port: TypedPort<MainToWorkletMessage, WorkletToMainMessage>;
}

/**
 * Creates the AudioWorkletNode running the engine; resolves once the processor has instantiated the
 * engine, or rejects with its error.
 * @example
 * const { node } = await createEngineWorklet(context, { program });
 * node.connect(context.destination);
 */
export async function createEngineWorklet(
  context: BaseAudioContext,
  options: EngineWorkletOptions,
): Promise<EngineWorklet> {
  const [module] = await Promise.all([loadEngineModule(), loadEngineWorklet(context)]);
  const processorOptions: EngineProcessorOptions = {
    module,
    program: options.program,
    followCommands: options.followCommands ?? false,
    blockSize: options.blockSize ?? 128,
    buffers: options.buffers ?? [],
  };
  const node = new AudioWorkletNode(context, ENGINE_PROCESSOR_NAME, {
    numberOfInputs: 0,
    numberOfOutputs: 1,
    outputChannelCount: [options.outputChannels ?? 2],
    processorOptions,
  });
  const port: TypedPort<MainToWorkletMessage, WorkletToMainMessage> = node.port;
  await new Promise<void>((resolve, reject) => {
    port.onmessage = (event) => {
      if (event.data.type === "ready") resolve();
      else if (event.data.type === "error")
        reject(new Error(`engine failed to start: ${event.data.message}`));
    };
  });
  return { node, port };
}
