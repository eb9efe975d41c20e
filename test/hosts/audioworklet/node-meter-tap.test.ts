/**
 * NodeMeterTap (per-node meters, node-meter-tap.ts) on a RealtimeEngine in Node: a sine of known
 * amplitude reads its peak and RMS within 0.1 dB on each metered node, a mono node fills both of its
 * channels, a quantum split by a timed change is measured whole, and a stopped transport reads silence.
 */
import { describe, expect, it } from "vitest";
import { MeterBlock } from "../../../src/dataplane/meter-block";
import { applyGraphProgram, type GraphProgram } from "../../../src/engine/graph-program";
import { RealtimeEngine } from "../../../src/engine/realtime-engine";
import { NODE_METER_CHANNELS, NodeMeterTap } from "../../../src/hosts/audioworklet/node-meter-tap";
import { graphMeters } from "../../../src/hosts/audioworklet/worklet-program";
import { newEngine } from "../../support/render";

const SR = 48000;
/** 750 Hz at 48 kHz: 64 frames a cycle, two cycles a quantum, so a quantum's RMS is exact. */
const program: GraphProgram = {
  nodes: [
    { kind: "oscillator", inputs: [], params: { channels: 1, frequency: 750 } },
    { kind: "gain", inputs: [0], params: { gain: 0.5 }, capture: true },
    { kind: "gain", inputs: [1], params: { gain: 0.25 }, capture: true },
  ],
  output: 2,
  meters: [1, 2],
};

const db = (x: number) => 20 * Math.log10(x);

async function metered() {
  const engine = await newEngine(SR, 128);
  applyGraphProgram(engine, program);
  const realtime = new RealtimeEngine(engine, SR);
  realtime.attach(engine, program.nodes.length);
  const block = MeterBlock.create(NODE_METER_CHANNELS);
  const tap = new NodeMeterTap(engine, block, program.meters ?? []);
  realtime.meterTap = tap;
  const outputs = [new Float32Array(128), new Float32Array(128)];
  const reading = block.createReading();
  const quantum = () => {
    realtime.renderQuantum(outputs, 128);
    tap.endQuantum(128);
    expect(block.read(reading)).toBe(true);
    return reading;
  };
  return { realtime, quantum, reading };
}

describe("node meters", () => {
  it("a sine of amplitude 0.5 and 0.125 reads peak and RMS within 0.1 dB, on both channels of a mono node", async () => {
    const { realtime, quantum } = await metered();
    realtime.play(-1);
    let reading = quantum();
    for (let q = 0; q < 9; q++) reading = quantum();
    const cases = [
      { channel: 0, amplitude: 0.5 },
      { channel: 1, amplitude: 0.5 },
      { channel: 2, amplitude: 0.125 },
      { channel: 3, amplitude: 0.125 },
    ];
    for (const { channel, amplitude } of cases) {
      const rms = amplitude / Math.SQRT2;
      expect(Math.abs(db(reading.peak[channel] as number) - db(amplitude)), `peak ${channel}`).toBeLessThan(
        0.1,
      );
      expect(Math.abs(db(reading.rms[channel] as number) - db(rms)), `rms ${channel}`).toBeLessThan(0.1);
      expect(Math.abs(db(reading.windowPeak[channel] as number) - db(amplitude))).toBeLessThan(0.1);
      expect(Math.abs(db(reading.windowRms[channel] as number) - db(rms))).toBeLessThan(0.1);
    }
    // -6.02 dB and -9.03 dB: the figures the mixer strip shows.
    expect(db(reading.windowPeak[0] as number)).toBeCloseTo(-6.02, 1);
    expect(db(reading.windowRms[0] as number)).toBeCloseTo(-9.03, 1);
    // Slots past the metered nodes stay silent.
    expect(reading.windowPeak[4]).toBe(0);
  });

  it("a quantum split at frame 1000 by a gain change is measured whole, both pieces", async () => {
    const { realtime, quantum } = await metered();
    realtime.play(-1);
    realtime.setParameter(1, 0, 0.25, 1000);
    for (let q = 0; q < 7; q++) quantum();
    // Quantum 7 (frames 896..1023): 0.5 before frame 1000 (a crest at 912), 0.25 after.
    const split = quantum();
    expect(split.peak[0]).toBeCloseTo(0.5, 5);
    const expectedRms = Math.sqrt(
      Array.from({ length: 128 }, (_, i) => {
        const frame = 896 + i;
        const x = (frame < 1000 ? 0.5 : 0.25) * Math.sin((2 * Math.PI * frame) / 64);
        return x * x;
      }).reduce((a, b) => a + b) / 128,
    );
    expect(Math.abs(db(split.rms[0] as number) - db(expectedRms))).toBeLessThan(0.1);
    const after = quantum();
    expect(after.peak[0]).toBeCloseTo(0.25, 5);
  });

  it("a stopped transport reads silence", async () => {
    const { realtime, quantum } = await metered();
    realtime.play(-1);
    quantum();
    realtime.pause(-1);
    let reading = quantum();
    for (let q = 0; q < 8; q++) reading = quantum();
    expect(reading.windowPeak[0]).toBe(0);
    expect(reading.windowRms[2]).toBe(0);
  });

  it("the graph names what to meter in extensions.meters; bad lists are refused by name", () => {
    const graph = { extensions: { meters: ["a.pan", "b.pan"] } } as never;
    expect(graphMeters(graph, "graph")).toEqual(["a.pan", "b.pan"]);
    expect(graphMeters({ extensions: {} } as never, "graph")).toEqual([]);
    expect(() => graphMeters({ extensions: { meters: "a.pan" } } as never, "graph")).toThrow(
      "E_SCHEMA at graph.extensions.meters: must be an array of node names",
    );
    const many = Array.from({ length: 33 }, (_, i) => `t${i}.pan`);
    expect(() => graphMeters({ extensions: { meters: many } } as never, "graph")).toThrow(
      "meters at most 32 nodes (the node meter block's capacity), got 33",
    );
  });
});
