/**
 * The AudioWorklet host: instantiates engine.wasm synchronously from the compiled module passed in
 * processorOptions, and renders one quantum per process() call. No business logic lives here.
 *
 * Audio-path rules: process() allocates nothing (output views are cached by WasmEngine), takes no
 * lock, never waits and posts no message per quantum.
 */
import { applyGraphProgram, type GraphProgram } from "../src/engine/graph-program";
import { instantiateEngine, WasmEngine } from "../src/engine/wasm-engine";

export interface EngineProcessorOptions {
  module: WebAssembly.Module;
  program: GraphProgram;
  blockSize?: number;
  /** Audio the program refers to as engine buffer ids 0, 1, ... (planar channels each). */
  buffers?: Float32Array[][];
}

class EngineProcessor extends AudioWorkletProcessor {
  private readonly engine: WasmEngine | null = null;

  constructor(options: { processorOptions: EngineProcessorOptions }) {
    super();
    const { module, program, blockSize, buffers } = options.processorOptions;
    try {
      const engine = new WasmEngine(instantiateEngine(module), sampleRate, blockSize ?? 128);
      for (const channels of buffers ?? []) engine.createBuffer(channels, sampleRate);
      applyGraphProgram(engine, program);
      this.engine = engine;
      this.port.postMessage({ type: "ready", outputChannels: engine.outputChannels });
    } catch (error) {
      // A node that cannot start outputs silence and says why once, instead of throwing into the
      // audio thread.
      this.port.postMessage({ type: "error", message: String((error as Error).message ?? error) });
    }
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const engine = this.engine;
    const output = outputs[0];
    if (!engine || !output) return true;
    const frames = output[0]?.length ?? 0;
    engine.render(frames);
    const channels = engine.outputChannels;
    for (let c = 0; c < output.length; c++) {
      // A mono engine output feeds every Web Audio output channel.
      (output[c] as Float32Array).set(engine.outputQuantum(c < channels ? c : channels - 1, frames));
    }
    return true;
  }
}

registerProcessor("webdreamer-engine", EngineProcessor);
