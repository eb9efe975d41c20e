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
import { type EngineAssets, engineAssets } from "../assets/engine-assets";
import { loadEngineModule as loadEngineModuleFrom, missingEngineFile } from "../assets/fetch-engine";

/** The page's one compile of engine.wasm (default: beside this module), shared with its engine Workers. */
export function loadEngineModule(url: string = engineAssets().engineWasm): Promise<WebAssembly.Module> {
  return loadEngineModuleFrom(url);
}

const workletLoaded = new WeakMap<BaseAudioContext, Promise<void>>();

/** Adds the engine processor to a context (once per context). */
export function loadEngineWorklet(
  context: BaseAudioContext,
  url: string = engineAssets().worklet,
): Promise<void> {
  let loaded = workletLoaded.get(context);
  if (!loaded) {
    loaded = context.audioWorklet.addModule(url).catch((error: unknown) => {
      workletLoaded.delete(context);
      throw missingEngineFile(url, (error as Error).message);
    });
    workletLoaded.set(context, loaded);
  }
  return loaded;
}

export interface EngineWorkletOptions {
  /** Where engine.wasm and the worklet module are; default engineAssets(). */
  assets?: EngineAssets;
  /** A fixed graph to play from frame 0 (omit when the engine Worker loads graphs). */
  program?: GraphProgram;
  /** The transport starts stopped and follows the command ring (the real-time host). */
  followCommands?: boolean;
  /** Web Audio output channels (the engine's mono output is copied to each). */
  outputChannels?: number;
  blockSize?: number;
  /** Audio the program refers to as engine buffer ids 0, 1, ... (copied to the audio thread). */
  buffers?: Float32Array[][];
  /**
   * A stage of a graph partitioned around WAM nodes: this many inputs and outputs, read and written by
   * the program's stage ports (EngineProcessorOptions.stage). Output k has `outputChannels[k]`
   * channels (its tap's node's; 2 when absent); an input carries what feeds it.
   */
  stage?: { inputs: number; outputs: number; outputChannels?: number[]; follow?: string; index?: number };
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
  const assets = options.assets ?? engineAssets();
  const [module] = await Promise.all([
    loadEngineModule(assets.engineWasm),
    loadEngineWorklet(context, assets.worklet),
  ]);
  const processorOptions: EngineProcessorOptions = {
    module,
    program: options.program,
    followCommands: options.followCommands ?? false,
    blockSize: options.blockSize ?? 128,
    buffers: options.buffers ?? [],
    ...(options.stage ? { stage: options.stage } : {}),
  };
  const stage = options.stage;
  const node = new AudioWorkletNode(
    context,
    ENGINE_PROCESSOR_NAME,
    stage
      ? {
          numberOfInputs: stage.inputs,
          numberOfOutputs: stage.outputs,
          outputChannelCount: Array.from({ length: stage.outputs }, (_, k) => stage.outputChannels?.[k] ?? 2),
          // Each input has one connection and takes its channels unmixed ("max"): the input port
          // reading it declares as many (stage-latency.ts).
          channelCount: 2,
          channelCountMode: "max",
          channelInterpretation: "speakers",
          processorOptions,
        }
      : {
          // Input 0 is the return path of a real-time WAM graph's output and stems, side by side
          // (silent unless connected; wam-live-graph.ts); input 1 the live audio input
          // (live-input-node.ts, connectLiveInput). Each input carries as many channels as what feeds
          // it ("max"): both feeds mix to stereo first, so the stems' channels arrive unmixed.
          numberOfInputs: 2,
          numberOfOutputs: 1,
          outputChannelCount: [options.outputChannels ?? 2],
          channelCount: 2,
          channelCountMode: "max",
          processorOptions,
        },
  );
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
