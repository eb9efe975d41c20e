/**
 * LiveCaptureTap and LiveCaptureReader (a live render's capture, live-render.ts) on a RealtimeEngine in
 * Node: a quantum split by a timed parameter change is captured whole, the preroll is skipped, each
 * source keeps its own channels through the ring's interleaving, and a full ring ends the capture
 * with a gapless prefix.
 */
import { describe, expect, it } from "vitest";
import { SpscRing } from "../../../src/dataplane/spsc-ring";
import { applyGraphProgram, type GraphProgram } from "../../../src/engine/graph-program";
import { RealtimeEngine } from "../../../src/engine/realtime-engine";
import { LiveCaptureReader } from "../../../src/hosts/audioworklet/live-capture-reader";
import { ENGINE_OUTPUT, LiveCaptureTap } from "../../../src/hosts/audioworklet/live-capture-tap";
import { newEngine } from "../../support/render";

const SR = 48000;
/** A stereo oscillator (captured) through a gain (the output), its gain halved at frame 1000. */
const program: GraphProgram = {
  nodes: [
    { kind: "oscillator", inputs: [], params: { channels: 2, frequency: 440 }, capture: true },
    { kind: "gain", inputs: [0], params: { gain: 1 } },
  ],
  output: 1,
};

async function capture(frames: number, skipFrames: number, ringFloats: number) {
  const engine = await newEngine(SR, 128);
  applyGraphProgram(engine, program);
  const realtime = new RealtimeEngine(engine, SR);
  realtime.attach(engine, program.nodes.length);
  const ring = SpscRing.create(ringFloats, Float32Array);
  const tap = new LiveCaptureTap(engine, ring, null, {
    sources: [ENGINE_OUTPUT, 0],
    frames,
    skipFrames,
    maxChannels: 2,
    playedChannels: 2,
  });
  realtime.pieceTap = tap;
  realtime.play(-1);
  realtime.setParameter(1, 0, 0.5, 1000);
  const played = [new Float32Array(4096), new Float32Array(4096)];
  const outputs = [new Float32Array(128), new Float32Array(128)];
  for (let q = 0; q < 32 && !tap.done; q++) {
    realtime.renderQuantum(outputs, 128);
    played[0]?.set(outputs[0] as Float32Array, q * 128);
    played[1]?.set(outputs[1] as Float32Array, q * 128);
    tap.endQuantum(outputs);
  }
  const reader = new LiveCaptureReader(tap.ownChannels, frames);
  const chunk = new Float32Array(ringFloats);
  reader.take(chunk, ring.pop(chunk));
  return { tap, reader, played };
}

describe("a live render's capture", () => {
  it("keeps every frame after the preroll, across a quantum split at frame 1000, each source whole", async () => {
    const { tap, reader, played } = await capture(2000, 100, 1 << 16);
    expect(tap.ownChannels).toEqual([2, 2]);
    expect(tap.kept).toBe(2000);
    expect(tap.lost).toBe(0);
    expect(reader.framesRead).toBe(2000);
    const [outL, outR] = reader.channelsOf(0, 2, 2000) as [Float32Array, Float32Array];
    const [oscL] = reader.channelsOf(1, 2, 2000) as [Float32Array, Float32Array];
    // The output is what played, from frame 100 on (the quantum split at 1000 included).
    expect(Array.from(outL)).toEqual(Array.from((played[0] as Float32Array).subarray(100, 2100)));
    expect(Array.from(outR)).toEqual(Array.from((played[1] as Float32Array).subarray(100, 2100)));
    // The stem is the oscillator: the output before frame 1000, twice the output from it.
    for (let i = 0; i < 2000; i++) {
      const frame = 100 + i;
      expect(outL[i], `frame ${frame}`).toBe((oscL?.[i] as number) * (frame < 1000 ? 1 : 0.5));
    }
    expect(Math.max(...Array.from(oscL as Float32Array, Math.abs))).toBeGreaterThan(0.5);
    // Request channels: 1 keeps channel 0; 6 adds silence after the source's two.
    const six = reader.channelsOf(1, 6, 2000);
    expect(six).toHaveLength(6);
    expect(Math.max(...Array.from(six[2] as Float32Array, Math.abs))).toBe(0);
  });

  it("a ring too small ends the capture at the last quantum that fit: the frames kept have no gap", async () => {
    // 4 floats a frame; room for 600 frames: four whole quanta (512 frames), not the fifth.
    const { tap, reader, played } = await capture(2000, 0, 4 * 600);
    expect(tap.kept).toBe(512);
    expect(tap.lost).toBe(2000 - 512);
    expect(tap.done).toBe(true);
    expect(reader.framesRead).toBe(512);
    const [outL] = reader.channelsOf(0, 1, 512);
    expect(Array.from(outL as Float32Array)).toEqual(
      Array.from((played[0] as Float32Array).subarray(0, 512)),
    );
  });
});

describe("a live render's recorded parameters (record_automation)", () => {
  it("ride after the audio in each frame: the gain's value on every kept frame, its step at frame 1000 included", async () => {
    const engine = await newEngine(SR, 128);
    const recording: GraphProgram = {
      ...program,
      nodes: program.nodes.map((node, i) => (i === 1 ? { ...node, recordParams: true } : node)),
    };
    applyGraphProgram(engine, recording);
    const realtime = new RealtimeEngine(engine, SR);
    realtime.attach(engine, recording.nodes.length);
    const ring = SpscRing.create(1 << 16, Float32Array);
    const tap = new LiveCaptureTap(engine, ring, null, {
      sources: [ENGINE_OUTPUT],
      frames: 2000,
      skipFrames: 100,
      maxChannels: 1,
      playedChannels: 2,
      parameterSources: [{ node: 1, params: 1 }],
    });
    realtime.pieceTap = tap;
    realtime.play(-1);
    realtime.setParameter(1, 0, 0.5, 1000);
    const outputs = [new Float32Array(128), new Float32Array(128)];
    for (let q = 0; q < 32 && !tap.done; q++) {
      realtime.renderQuantum(outputs, 128);
      tap.endQuantum(outputs);
    }
    // The output's one channel (maxChannels), then the gain's one parameter.
    expect(tap.ownChannels).toEqual([1, 1]);
    const reader = new LiveCaptureReader(tap.ownChannels, 2000);
    const chunk = new Float32Array(1 << 16);
    reader.take(chunk, ring.pop(chunk));
    expect(reader.framesRead).toBe(2000);
    const gain = reader.sources[1]?.[0] as Float32Array;
    const expected = Array.from({ length: 2000 }, (_, i) => (100 + i < 1000 ? 1 : 0.5));
    expect(Array.from(gain)).toEqual(expected);
    // Read from a frame on (a latent graph's audio after the frames its parameters lead by).
    const [late] = reader.channelsOf(1, 1, 10, 895) as [Float32Array];
    expect(Array.from(late)).toEqual([1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });
});
