/** Renders a GraphProgram in Node through the same loader the worklet uses. */

import { instantiateEngine } from "../../src/engine/engine-module";
import { applyGraphProgram, type GraphProgram } from "../../src/engine/graph-program";
import { WasmEngine } from "../../src/engine/wasm-engine";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";

export async function newEngine(sampleRate = 48000, blockSize = 128): Promise<WasmEngine> {
  return new WasmEngine(instantiateEngine(await loadEngineModuleFromDisk()), sampleRate, blockSize);
}

export interface RenderOptions {
  sampleRate?: number;
  blockSize?: number;
  /** Frames per render() call (default 128). */
  chunk?: number;
  /**
   * Audio to load before the graph: the program refers to buffers[i] as engine buffer id i
   * (buffers are created in order on a fresh engine).
   */
  buffers?: Float32Array[][];
  /** Also return the captured output of these program node indices. */
  captures?: number[];
  /** Transport frame to start from (after the graph is prepared). */
  startFrame?: number;
}

export interface RenderOutput {
  output: Float32Array[];
  captures: Map<number, Float32Array[]>;
}

/** Renders `frames` frames of `program`; returns the output and any captured nodes' channels. */
export async function renderProgramFull(
  program: GraphProgram,
  frames: number,
  options: RenderOptions = {},
): Promise<RenderOutput> {
  const engine = await newEngine(options.sampleRate, options.blockSize);
  const sampleRate = options.sampleRate ?? 48000;
  for (const buffer of options.buffers ?? []) engine.createBuffer(buffer, sampleRate);
  const captured = new Set(options.captures ?? []);
  const indices = applyGraphProgram(engine, {
    ...program,
    nodes: program.nodes.map((node, i) => (captured.has(i) ? { ...node, capture: true } : node)),
  });
  if (options.startFrame) engine.seek(options.startFrame);
  const chunk = options.chunk ?? 128;
  const output = Array.from({ length: engine.outputChannels }, () => new Float32Array(frames));
  const captures = new Map<number, Float32Array[]>();
  for (const i of captured) {
    const channels = engine.nodeOutputChannels(indices[i] as number);
    captures.set(
      i,
      Array.from({ length: channels }, () => new Float32Array(frames)),
    );
  }
  for (let done = 0; done < frames; ) {
    const n = engine.render(Math.min(chunk, frames - done));
    output.forEach((channel, c) => {
      channel.set(engine.outputChannel(c).subarray(0, n), done);
    });
    for (const [i, channels] of captures) {
      channels.forEach((channel, c) => {
        channel.set(engine.captureChannel(indices[i] as number, c).subarray(0, n), done);
      });
    }
    done += n;
  }
  engine.destroy();
  return { output, captures };
}

/** Renders `frames` frames of `program`, `chunk` frames per render() call; returns the channels. */
export async function renderProgram(
  program: GraphProgram,
  frames: number,
  options: RenderOptions = {},
): Promise<Float32Array[]> {
  return (await renderProgramFull(program, frames, options)).output;
}
