/**
 * Audio at another rate than the context's, on the real-time path (issue 15: a 48 kHz WAV imported
 * into a studio running at 44.1 kHz played a 1000 Hz tone at ~919 Hz). The graph is compiled for the
 * worklet (compileForWorklet) and played by an EngineSlot at 44.1 kHz, as the AudioWorklet host
 * does: the buffer keeps its own rate (the program's bufferRates) and builtin:playback reads it at
 * that rate, so the tone is 1000 Hz. Before the fix the slot created every buffer at its own rate.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GraphDescriptorSchema, parseContract } from "../../../src/contracts";
import { instantiateEngine } from "../../../src/engine/engine-module";
import { type ProcessorTypeInfo, readProcessorTypes } from "../../../src/engine/processor-types";
import { RealtimeEngine } from "../../../src/engine/realtime-engine";
import { EngineSlot } from "../../../src/hosts/audioworklet/engine-slot";
import { compileForWorklet } from "../../../src/hosts/audioworklet/worklet-program";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";

let module: WebAssembly.Module;
let types: readonly ProcessorTypeInfo[];

beforeAll(async () => {
  module = await loadEngineModuleFromDisk();
  types = readProcessorTypes(instantiateEngine(module));
});

/** A tone's frequency from its upward zero crossings (linear interpolation between samples). */
function toneFrequency(samples: Float32Array, sampleRate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as number;
    const b = samples[i] as number;
    if (a < 0 && b >= 0) crossings.push(i - 1 + a / (a - b));
  }
  const first = crossings[0] as number;
  const last = crossings[crossings.length - 1] as number;
  return ((crossings.length - 1) * sampleRate) / (last - first);
}

async function play(bufferRate: number, contextRate: number): Promise<Float32Array> {
  const tone = Float32Array.from(
    { length: bufferRate },
    (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / bufferRate),
  );
  const graph = parseContract(
    GraphDescriptorSchema,
    {
      version: "v1alpha",
      nodes: [{ name: "clip", node_id: "builtin:playback", buffers: { data: "buf:tone" } }],
      output: "clip",
    },
    "graph",
  );
  const { compiled, audio } = await compileForWorklet(graph, {
    types,
    sampleRate: contextRate,
    readBuffer: async () => [tone],
    bufferRate: () => bufferRate,
    root: "graph",
  });
  const slot = new EngineSlot(module, contextRate, 128);
  slot.start(compiled.program, audio);
  const realtime = new RealtimeEngine(slot.engine, contextRate);
  realtime.attach(slot.engine, slot.nodeCount);
  realtime.play(-1);
  const out = new Float32Array(contextRate / 2);
  const quantum = [new Float32Array(128), new Float32Array(128)];
  for (let at = 0; at + 128 <= out.length; at += 128) {
    realtime.renderQuantum(quantum, 128);
    out.set(quantum[0] as Float32Array, at);
  }
  return out;
}

describe("audio at another rate than the context's, played in real time", () => {
  it("a 1000 Hz tone at 48 kHz plays at 1000 Hz in a 44.1 kHz context (not 918.75 Hz)", async () => {
    const out = await play(48000, 44100);
    expect(Math.abs(toneFrequency(out.subarray(0, 22000), 44100) - 1000)).toBeLessThan(0.5);
  });

  it("and a 44.1 kHz tone in a 48 kHz context", async () => {
    const out = await play(44100, 48000);
    expect(Math.abs(toneFrequency(out.subarray(0, 23000), 48000) - 1000)).toBeLessThan(0.5);
  });

  it("audio at the context's rate is copied exactly", async () => {
    const out = await play(48000, 48000);
    expect(out[12]).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 1000 * 12) / 48000), 6);
  });
});
