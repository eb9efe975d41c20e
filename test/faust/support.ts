/**
 * Shared by the Faust tests: compiles through the thread's cache (libfaust compiles are slow, so each
 * DSP compiles once for the whole run), renders a compiled DSP hosted in the engine, and renders the
 * same compiled code with faustwasm's own offline processor, the oracle.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  FaustMonoDspGenerator,
  FaustPolyDspGenerator,
  type LooseFaustDspFactory,
} from "@grame/faustwasm/dist/esm/index.js";
import { renderOffline } from "../../src/engine/render-job";
import { type CompiledFaust, compileFaust, type FaustCompileOptions } from "../../src/faust/compiler";
import { createFaustNode, type FaustNode, type SoundfileAudio } from "../../src/faust/faust-node";
import { loadLibFaustFromDisk } from "../../src/faust/libfaust-nodejs";
import { newEngine } from "../support/render";

export const SAMPLE_RATE = 48000;

/** Compiles with the Node loader (cached per source and options for the whole test run). */
export function compile(source: string, options: FaustCompileOptions = {}): Promise<CompiledFaust> {
  return compileFaust(loadLibFaustFromDisk, source, options);
}

/** The folder of DSP files that ship in the @grame/faustwasm package. */
export const FAUSTWASM_TEST_DIR = join(
  dirname(createRequire(import.meta.url).resolve("@grame/faustwasm/package.json")),
  "test",
);

export function faustwasmTestDsp(file: string): string {
  return readFileSync(join(FAUSTWASM_TEST_DIR, file), "utf8");
}

/** One MIDI message at a transport frame. */
export interface MidiAt {
  frame: number;
  status: number;
  data1: number;
  data2: number;
}

export interface HostedRender {
  frames: number;
  blockSize?: number;
  /** Audio fed to the DSP's inputs (one playback node holding these channels). */
  inputs?: Float32Array[];
  /** Static parameter values by id. */
  params?: Record<string, number>;
  /** Parameter steps by id: [frame, value] pairs. */
  steps?: Record<string, [number, number][]>;
  midi?: MidiAt[];
  soundfiles?: SoundfileAudio;
  /** Frames per engine render() call (default 4096, the offline chunk). */
  chunk?: number;
}

/** Renders a compiled DSP as an external node of the engine; returns its output channels. */
export async function renderHosted(
  compiled: CompiledFaust,
  render: HostedRender,
): Promise<{ output: Float32Array[]; node: FaustNode }> {
  const engine = await newEngine(SAMPLE_RATE, render.blockSize ?? 128);
  try {
    const faust = createFaustNode(compiled, render.soundfiles);
    const node = engine.addExternalNode(faust, compiled.layout.numOutputs, compiled.layout.params);
    if (render.inputs !== undefined && render.inputs.length > 0) {
      const playback = engine.addNode("playback");
      engine.setNodeBuffer(playback, 0, engine.createBuffer(render.inputs, SAMPLE_RATE));
      engine.addInput(node, playback);
    }
    for (const [id, value] of Object.entries(render.params ?? {})) engine.setParam(node, id, value);
    for (const [id, steps] of Object.entries(render.steps ?? {})) {
      for (const [frame, value] of steps) engine.addParamStep(node, id, frame, value);
    }
    for (const m of render.midi ?? []) engine.addMidi(node, m.frame, m.status, m.data1, m.data2);
    engine.prepare(node);
    const output = Array.from({ length: compiled.layout.numOutputs }, () => new Float32Array(render.frames));
    if (render.chunk === undefined) {
      renderOffline(engine, render.frames, output);
    } else {
      for (let done = 0; done < render.frames; ) {
        const n = engine.render(Math.min(render.chunk, render.frames - done));
        output.forEach((channel, c) => {
          channel.set(engine.outputChannel(c).subarray(0, n), done);
        });
        done += n;
      }
    }
    return { output, node: faust };
  } finally {
    engine.destroy();
  }
}

/** A faustwasm factory made of the same compiled module (so both sides run the same code). */
function factoryOf(factory: CompiledFaust["dsp"], soundfiles: LooseFaustDspFactory["soundfiles"] = {}) {
  return { module: factory.module, json: factory.json, soundfiles } as LooseFaustDspFactory;
}

export interface OracleRender {
  frames: number;
  inputs?: Float32Array[];
  /** Parameter values set before rendering, by address. */
  params?: Record<string, number>;
  /** MIDI messages; their frames must be multiples of 128 (faustwasm takes them between quanta). */
  midi?: MidiAt[];
  soundfiles?: LooseFaustDspFactory["soundfiles"];
}

/**
 * Renders with faustwasm's offline processor (FaustMonoOfflineProcessor / FaustPolyOfflineProcessor)
 * in 128-frame quanta; MIDI goes in between quanta, as a host feeding its AudioWorklet node would.
 */
export async function renderWithFaustwasm(
  compiled: CompiledFaust,
  render: OracleRender,
): Promise<Float32Array[]> {
  // faustwasm logs soundfile loading and voice steals with console.log; the test output needs none of it.
  const log = console.log;
  console.log = () => {};
  try {
    return await renderWithFaustwasmQuietly(compiled, render);
  } finally {
    console.log = log;
  }
}

async function renderWithFaustwasmQuietly(
  compiled: CompiledFaust,
  render: OracleRender,
): Promise<Float32Array[]> {
  const quantum = 128;
  const processor =
    compiled.layout.voices > 0
      ? await new FaustPolyDspGenerator().createOfflineProcessor(
          SAMPLE_RATE,
          quantum,
          compiled.layout.voices,
          factoryOf(compiled.dsp, render.soundfiles),
          compiled.mixer as WebAssembly.Module,
          compiled.effect === null ? null : factoryOf(compiled.effect),
        )
      : await new FaustMonoDspGenerator().createOfflineProcessor(
          SAMPLE_RATE,
          quantum,
          factoryOf(compiled.dsp, render.soundfiles),
        );
  for (const [path, value] of Object.entries(render.params ?? {})) processor.setParamValue(path, value);
  const midi = [...(render.midi ?? [])].sort((a, b) => a.frame - b.frame);
  const output = Array.from({ length: processor.getNumOutputs() }, () => new Float32Array(render.frames));
  let next = 0;
  for (let frame = 0; frame < render.frames; frame += quantum) {
    while (next < midi.length && (midi[next] as MidiAt).frame <= frame) {
      const m = midi[next++] as MidiAt;
      if (m.frame % quantum !== 0)
        throw new Error(`oracle MIDI must be on 128-frame boundaries (${m.frame})`);
      processor.midiMessage([m.status, m.data1, m.data2]);
    }
    const n = Math.min(quantum, render.frames - frame);
    const inputs = render.inputs?.map((channel) => channel.subarray(frame, frame + n));
    const block = processor.render(inputs, n);
    block.forEach((channel, c) => {
      output[c]?.set(channel, frame);
    });
  }
  processor.destroy();
  return output;
}

/** Largest absolute difference between two sets of channels (Infinity when shapes differ). */
export function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  a.forEach((channel, c) => {
    const other = b[c] as Float32Array;
    if (other.length !== channel.length) max = Number.POSITIVE_INFINITY;
    for (let i = 0; i < channel.length; i++)
      max = Math.max(max, Math.abs((channel[i] as number) - (other[i] as number)));
  });
  return max;
}

/** SNR in dB of `actual` against `reference` (signal = reference energy, noise = difference energy). */
export function snrDb(reference: Float32Array[], actual: Float32Array[]): number {
  let signal = 0;
  let noise = 0;
  reference.forEach((channel, c) => {
    const other = actual[c] as Float32Array;
    for (let i = 0; i < channel.length; i++) {
      const r = channel[i] as number;
      signal += r * r;
      noise += (r - (other[i] as number)) ** 2;
    }
  });
  return noise === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
}

/** RMS of one channel between two frames. */
export function rms(channel: Float32Array, from = 0, to = channel.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (channel[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Deterministic uniform noise in [-1, 1). */
export function noise(frames: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** A note-on and its note-off as two MidiAt messages (channel 1). */
export function note(frame: number, length: number, pitch: number, velocity: number): MidiAt[] {
  return [
    { frame, status: 0x90, data1: pitch, data2: velocity },
    { frame: frame + length, status: 0x80, data1: pitch, data2: 0 },
  ];
}
