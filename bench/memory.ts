/**
 * The memory rows (docs/performance.md, "Memory"): what an engine instance, a W2 voice, a second of
 * captured audio and the W1/W2/W3 graphs take. Each figure is the engine's own accounting (the heap
 * bytes in use, wd_memory_in_use; the client's held buffer bytes), checked against what the process
 * really gave it (the wasm memory's growth; Node's ArrayBuffer bytes) and logged beside it.
 *
 * Memory is deterministic: one measurement per figure, no pairs. Every figure is taken on a fresh
 * engine.wasm instance so that nothing another figure left in its heap is counted or reused.
 */
import { FaustWasmInstantiator, type LooseFaustDspFactory } from "@grame/faustwasm/dist/esm/index.js";
import { createEngine } from "../src/create-engine";
import { type EngineExports, instantiateEngine } from "../src/engine/engine-module";
import { estimateGraphMemory } from "../src/engine/graph-memory";
import { applyGraphProgram, type GraphProgram } from "../src/engine/graph-program";
import { WasmEngine } from "../src/engine/wasm-engine";
import { compileFaust } from "../src/faust/compiler";
import { createFaustNode } from "../src/faust/faust-node";
import { faustMemoryBytes } from "../src/faust/heap";
import { libFaustCompiler } from "../src/faust/libfaust";
import { loadLibFaustFromDisk } from "../src/faust/libfaust-nodejs";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";
import type { InProcessEngineClient } from "../src/hosts/in-process/in-process-client";
import { SAMPLE_RATE, w1Program, w2Program } from "../test/support/workloads";
import { W3_OPTIONS, W3_SOURCE } from "./faust/w3";

const BLOCK = 128;

const wasmBytes = (exports: EngineExports) => exports.memory.buffer.byteLength;

/** One engine.wasm instance with one engine, as every host makes it (48 kHz, 128 frames). */
export interface InstanceMemory {
  /** The instance's wasm memory once the engine exists: what the process gives it. */
  wasmBytes: number;
  /** Heap bytes in use then (the engine, the shared wavetables). */
  inUseBytes: number;
  /** Heap bytes one more engine in the same instance takes (the wavetables are built once). */
  secondEngineBytes: number;
  /** faustwasm's memory for one instance of os.osc(440) (createAsyncMonoDSPInstance). */
  faustwasmOscBytes: number;
}

export async function instanceMemory(module: WebAssembly.Module): Promise<InstanceMemory> {
  const exports = instantiateEngine(module);
  const engine = new WasmEngine(exports, SAMPLE_RATE, BLOCK);
  const inUseBytes = exports.wd_memory_in_use();
  const wasm = wasmBytes(exports);
  const second = new WasmEngine(exports, SAMPLE_RATE, BLOCK);
  const secondEngineBytes = exports.wd_memory_in_use() - inUseBytes;
  second.destroy();
  engine.destroy();
  const compiler = await libFaustCompiler(loadLibFaustFromDisk);
  const factory = await compiler.createMonoDSPFactory(
    "osc",
    'import("stdfaust.lib"); process = os.osc(440);',
    "-ftz 2",
  );
  if (factory === null) throw new Error(`memory: libfaust failed: ${compiler.getErrorMessage()}`);
  const osc = await FaustWasmInstantiator.createAsyncMonoDSPInstance(factory as LooseFaustDspFactory);
  return { wasmBytes: wasm, inUseBytes, secondEngineBytes, faustwasmOscBytes: osc.memory.buffer.byteLength };
}

/** What one graph takes on a fresh instance. */
export interface GraphMemory {
  /** Heap bytes the graph took (in use after it is applied and has rendered a block, less before). */
  inUseBytes: number;
  /** The engine's estimate before it took anything (estimateGraphMemory's engineBytes). */
  estimateBytes: number;
  /** How much the wasm memory grew (whole 64 KiB pages; 0 when the heap had room). */
  wasmGrowthBytes: number;
}

export function graphMemory(module: WebAssembly.Module, program: GraphProgram): GraphMemory {
  const exports = instantiateEngine(module);
  const engine = new WasmEngine(exports, SAMPLE_RATE, BLOCK);
  const estimate = estimateGraphMemory(engine, program, () => ({ channels: 1, frames: 0 }));
  const inUse = exports.wd_memory_in_use();
  const wasm = wasmBytes(exports);
  applyGraphProgram(engine, program);
  engine.render(BLOCK);
  const figures = {
    inUseBytes: exports.wd_memory_in_use() - inUse,
    estimateBytes: estimate.engineBytes,
    wasmGrowthBytes: wasmBytes(exports) - wasm,
  };
  engine.destroy();
  return figures;
}

/** Bytes per W2 voice (saw -> lowpass -> gain into the bus), from the difference of two graphs. */
export interface VoiceMemory {
  /** (W2 with `many` voices - W2 with 32) / (many - 32), heap bytes in use. */
  inUseBytes: number;
  /** The same from the engine's estimates. */
  estimateBytes: number;
  /** The same from the wasm memory's growth (whole pages: within 64 KiB / (many - 32) of the truth). */
  wasmBytes: number;
  many: number;
}

export function voiceMemory(module: WebAssembly.Module, many = 255): VoiceMemory {
  const base = graphMemory(module, w2Program(32));
  const big = graphMemory(module, w2Program(many));
  const per = (pick: (g: GraphMemory) => number) => (pick(big) - pick(base)) / (many - 32);
  return {
    inUseBytes: per((g) => g.inUseBytes),
    estimateBytes: per((g) => g.estimateBytes),
    wasmBytes: per((g) => g.wasmGrowthBytes),
    many,
  };
}

/** W3 hosted (engine part + the Faust node's own memory) against faustwasm's instance of it. */
export interface W3Memory {
  /** The engine's part: the external node, its buffers. */
  engineBytes: number;
  /** The Faust node's own WebAssembly memory once prepared. */
  faustBytes: number;
  /** The engine's estimate of its part (estimateMemory). */
  engineEstimateBytes: number;
  /** faustMemoryBytes' estimate of the Faust node's memory. */
  faustEstimateBytes: number;
  /** faustwasm's memory for one instance of the same module (createAsyncMonoDSPInstance). */
  faustwasmBytes: number;
}

export async function w3Memory(module: WebAssembly.Module): Promise<W3Memory> {
  const compiled = await compileFaust(loadLibFaustFromDisk, W3_SOURCE, W3_OPTIONS);
  const exports = instantiateEngine(module);
  const engine = new WasmEngine(exports, SAMPLE_RATE, BLOCK);
  const inUse = exports.wd_memory_in_use();
  const faust = createFaustNode(compiled);
  const node = engine.addExternalNode(faust, compiled.layout.numOutputs, compiled.layout.params);
  const engineEstimate = engine.estimateMemory(node);
  engine.prepare(node);
  engine.render(BLOCK);
  const engineBytes = exports.wd_memory_in_use() - inUse;
  const faustBytes = faust.wasmMemoryBytes();
  engine.destroy();
  const reference = await FaustWasmInstantiator.createAsyncMonoDSPInstance({
    module: compiled.dsp.module,
    json: compiled.dsp.json,
    soundfiles: {},
  } as LooseFaustDspFactory);
  return {
    engineBytes,
    faustBytes,
    engineEstimateBytes: engineEstimate,
    faustEstimateBytes: faustMemoryBytes(compiled.layout, new Map()),
    faustwasmBytes: reference.memory.buffer.byteLength,
  };
}

/** Bytes per second of captured stereo audio, through createEngine's in-process client. */
export interface CaptureMemory {
  /** Held buffer bytes (the client's accounting) per second per captured stereo source. */
  heldBytesPerSecond: number;
  /** Node's ArrayBuffer bytes' growth per second per source (the cross-check). */
  arrayBufferBytesPerSecond: number;
  /** 32-bit float stereo PCM at 48 kHz: 4 * 2 * 48000. */
  pcmBytesPerSecond: number;
  seconds: number;
}

export async function captureMemory(seconds = 30): Promise<CaptureMemory> {
  const client = (await createEngine({ sampleRate: SAMPLE_RATE })) as unknown as InProcessEngineClient;
  const before = { held: client.heldBufferBytes(), arrays: process.memoryUsage().arrayBuffers };
  // The output and one captured node: two stereo sources kept for the whole render.
  const result = await client.render({
    version: "v1alpha",
    request_id: "capture-memory",
    node_graph: {
      version: "v1alpha",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator", params: { frequency: 220, waveform: "saw" } },
        { name: "out", node_id: "builtin:gain", params: { gain: 0.5 }, inputs: ["osc"] },
      ],
      output: "out",
    },
    duration_seconds: seconds,
    sample_rate: SAMPLE_RATE,
    channels: 2,
    options: { capture: ["osc"] },
  });
  if (result.status !== "ok") throw new Error(`capture memory: render ${result.status}: ${result.error}`);
  const sources = 2 * seconds;
  const figures = {
    heldBytesPerSecond: (client.heldBufferBytes() - before.held) / sources,
    arrayBufferBytesPerSecond: (process.memoryUsage().arrayBuffers - before.arrays) / sources,
    pcmBytesPerSecond: 4 * 2 * SAMPLE_RATE,
    seconds,
  };
  await client.close();
  return figures;
}

export interface MemoryFigures {
  instance: InstanceMemory;
  voice: VoiceMemory;
  capture: CaptureMemory;
  W1: GraphMemory;
  W2: GraphMemory;
  W3: W3Memory;
}

export async function benchMemory(): Promise<MemoryFigures> {
  const module = await loadEngineModuleFromDisk();
  return {
    instance: await instanceMemory(module),
    voice: voiceMemory(module),
    capture: await captureMemory(),
    W1: graphMemory(module, w1Program()),
    W2: graphMemory(module, w2Program()),
    W3: await w3Memory(module),
  };
}

if (process.argv[1]?.endsWith("memory.mjs") || process.argv[1]?.endsWith("memory.ts")) {
  console.log(JSON.stringify(await benchMemory(), null, 2));
}
