/** Renders a GraphProgram in Node through the same loader the worklet uses. */
import { applyGraphProgram, type GraphProgram } from "../../src/engine/graph-program";
import { loadEngineModuleFromDisk } from "../../src/engine/node-engine-module";
import { instantiateEngine, WasmEngine } from "../../src/engine/wasm-engine";

export async function newEngine(sampleRate = 48000, blockSize = 128): Promise<WasmEngine> {
  return new WasmEngine(instantiateEngine(await loadEngineModuleFromDisk()), sampleRate, blockSize);
}

/** Renders `frames` frames of `program`, `chunk` frames per render() call; returns the channels. */
export async function renderProgram(
  program: GraphProgram,
  frames: number,
  options: { sampleRate?: number; blockSize?: number; chunk?: number } = {},
): Promise<Float32Array[]> {
  const engine = await newEngine(options.sampleRate, options.blockSize);
  applyGraphProgram(engine, program);
  const chunk = options.chunk ?? 128;
  const out = Array.from({ length: engine.outputChannels }, () => new Float32Array(frames));
  for (let done = 0; done < frames; ) {
    const n = engine.render(Math.min(chunk, frames - done));
    out.forEach((channel, c) => {
      channel.set(engine.outputChannel(c).subarray(0, n), done);
    });
    done += n;
  }
  engine.destroy();
  return out;
}
