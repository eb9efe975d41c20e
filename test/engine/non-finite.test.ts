/**
 * Non-finite audio in the engine (docs/reliability.md, "Non-finite audio"): NaN and ±Infinity are
 * replaced by 0 where audio leaves the graph and counted, per destination and with the first
 * frame; a NaN parameter value is ignored; and no processor keeps a non-finite value in its state,
 * so a graph recovers once its input is clean again. Each "recovers" test fails without the
 * processor's own reset: the value then circulates for good and the count keeps growing.
 */
import { describe, expect, it } from "vitest";
import { applyGraphProgram, type GraphProgram, type GraphProgramNode } from "../../src/engine/graph-program";
import { newEngine } from "../support/render";

const SR = 48000;

interface Rendered {
  output: Float32Array[];
  /** Replaced samples and first frame at the output, and at each captured program node. */
  counts: { samples: number; firstFrame: number };
  captures: Map<number, { samples: number; firstFrame: number; channels: Float32Array[] }>;
}

/**
 * Renders `frames` frames of `program` (buffers[i] is engine buffer i) in chunks of `chunk`, after
 * clearing the counts; captured program nodes are read too.
 */
async function render(
  program: GraphProgram,
  frames: number,
  buffers: Float32Array[][] = [],
  chunk = 4096,
): Promise<Rendered> {
  const engine = await newEngine(SR);
  for (const channels of buffers) engine.createBuffer(channels, SR);
  const nodes = applyGraphProgram(engine, program);
  engine.clearNonFinite();
  const output = Array.from({ length: engine.outputChannels }, () => new Float32Array(frames));
  const captured = program.nodes.flatMap((node, i) => (node.capture ? [i] : []));
  const captureChannels = new Map(
    captured.map((i) => [
      i,
      Array.from({ length: engine.nodeOutputChannels(nodes[i] as number) }, () => new Float32Array(frames)),
    ]),
  );
  for (let done = 0; done < frames; ) {
    const n = engine.render(Math.min(chunk, frames - done));
    output.forEach((channel, c) => {
      channel.set(engine.outputChannel(c).subarray(0, n), done);
    });
    for (const [i, channels] of captureChannels) {
      channels.forEach((channel, c) => {
        channel.set(engine.captureChannel(nodes[i] as number, c).subarray(0, n), done);
      });
    }
    done += n;
  }
  const captures = new Map(
    [...captureChannels].map(([i, channels]) => [
      i,
      {
        samples: engine.nonFiniteSamples(nodes[i]),
        firstFrame: engine.nonFiniteFirstFrame(nodes[i]),
        channels,
      },
    ]),
  );
  const counts = { samples: engine.nonFiniteSamples(), firstFrame: engine.nonFiniteFirstFrame() };
  engine.destroy();
  return { output, counts, captures };
}

function allFinite(channels: Float32Array[]): boolean {
  return channels.every((channel) => channel.every(Number.isFinite));
}

function rms(channel: Float32Array, from: number, to = channel.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (channel[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** A sine at `frequency` Hz, `frames` long, with `poison` written at the given frames. */
function sine(frames: number, frequency: number, poison: Record<number, number> = {}): Float32Array {
  const samples = Float32Array.from(
    { length: frames },
    (_, i) => 0.5 * Math.sin((2 * Math.PI * frequency * i) / SR),
  );
  for (const [frame, value] of Object.entries(poison)) samples[Number(frame)] = value;
  return samples;
}

const play = (buffer = 0, extra: Partial<GraphProgramNode> = {}): GraphProgramNode => ({
  kind: "playback",
  inputs: [],
  params: {},
  buffers: { 0: buffer },
  ...extra,
});

describe("where audio leaves the graph", () => {
  it("replaces NaN and ±Infinity by 0 in the output and counts them, with the first frame", async () => {
    const input = sine(20000, 440, { 5000: Number.NaN, 9000: Number.POSITIVE_INFINITY, 15000: -Infinity });
    const { output, counts } = await render({ nodes: [play()], output: 0 }, 20000, [[input]]);
    expect(counts).toEqual({ samples: 3, firstFrame: 5000 });
    expect(allFinite(output)).toBe(true);
    const out = output[0] as Float32Array;
    expect([out[5000], out[9000], out[15000]]).toEqual([0, 0, 0]);
    // Everything else passes bit for bit.
    const expected = input.map((x) => (Number.isFinite(x) ? x : 0));
    expect(out).toEqual(expected);
  });

  it("counts each capture on its own, and the first frame across chunks of any length", async () => {
    const clean = sine(9000, 220);
    const dirty = sine(9000, 330, { 7777: Number.NaN });
    // As the graph compiler does for captures off the output's path: a sink renders them all.
    const program: GraphProgram = {
      nodes: [
        play(0, { capture: true }),
        play(1, { capture: true }),
        { kind: "gain", inputs: [0, 1], params: {} },
      ],
      output: 2,
    };
    const { counts, captures } = await render(program, 9000, [[clean], [dirty]], 1000);
    expect(captures.get(0)).toMatchObject({ samples: 0, firstFrame: -1 });
    expect(captures.get(1)).toMatchObject({ samples: 1, firstFrame: 7777 });
    expect(captures.get(1)?.channels[0]?.[7777]).toBe(0);
    expect(counts).toEqual({ samples: 1, firstFrame: 7777 });
  });

  it("counts an overflow: finite input that a node turns into ±Infinity", async () => {
    const loud = new Float32Array(4800).fill(1e36);
    const program: GraphProgram = {
      nodes: [play(), { kind: "gain", inputs: [0], params: { gain: 1000 } }],
      output: 1,
    };
    const { output, counts } = await render(program, 4800, [[loud]]);
    expect(counts).toEqual({ samples: 4800, firstFrame: 0 });
    expect(output[0]?.every((x) => x === 0)).toBe(true);
  });
});

describe("parameters and processor state stay finite", () => {
  it("ignores a NaN parameter value: the parameter keeps the value it had", async () => {
    const withNaN = new Float32Array(4800).fill(440);
    withNaN[1000] = Number.NaN;
    const osc = (values: Float32Array): GraphProgram => ({
      nodes: [
        {
          kind: "oscillator",
          inputs: [],
          params: {},
          timeline: [{ type: "array", param: "frequency", start: 0, values }],
        },
      ],
      output: 0,
    });
    const poisoned = await render(osc(withNaN), 9600);
    const steady = await render(osc(new Float32Array(4800).fill(440)), 9600);
    expect(poisoned.counts.samples).toBe(0);
    expect(poisoned.output).toEqual(steady.output);
  });

  it("filter: a NaN input resets its state at the end of the block; the filter plays on", async () => {
    const input = sine(48000, 440, { 10000: Number.NaN });
    const program: GraphProgram = {
      nodes: [play(), { kind: "filter", inputs: [0], params: { frequency: 2000 } }],
      output: 1,
    };
    const { output, counts } = await render(program, 48000, [[input]]);
    // From the NaN to the end of its 128-frame block (10000 lies in [9984, 10112)).
    expect(counts).toEqual({ samples: 10_112 - 10_000, firstFrame: 10_000 });
    expect(rms(output[0] as Float32Array, 20_000)).toBeGreaterThan(0.1);
  });

  it("delay: a NaN written into the line with feedback comes back as 0, not every echo", async () => {
    const input = sine(48000, 440, { 10000: Number.NaN });
    const program: GraphProgram = {
      nodes: [play(), { kind: "delay", inputs: [0], params: { time: 10, feedback: 0.5, wet: 0.5, dry: 1 } }],
      output: 1,
    };
    const { output, counts } = await render(program, 48000, [[input]]);
    // Only the dry path's own NaN at 10000; the echoes 480 frames apart read 0.
    expect(counts).toEqual({ samples: 1, firstFrame: 10_000 });
    expect(rms(output[0] as Float32Array, 20_000)).toBeGreaterThan(0.1);
  });

  it("delay in a graph cycle: the line keeps finite values, and the loop plays on", async () => {
    const input = sine(48000, 440, { 10000: Number.NaN });
    // bus = input + 0.5 * delayed bus (the cycle closes through the delay).
    const program: GraphProgram = {
      nodes: [
        play(),
        { kind: "mixer", inputs: [0, 3], params: {} },
        { kind: "delay", inputs: [1], params: { time: 10 } },
        { kind: "gain", inputs: [2], params: { gain: 0.5 } },
      ],
      output: 1,
    };
    const { output, counts } = await render(program, 48000, [[input]]);
    expect(counts).toEqual({ samples: 1, firstFrame: 10_000 });
    expect(rms(output[0] as Float32Array, 20_000)).toBeGreaterThan(0.1);
  });

  it("reverb: a NaN that reaches the combs resets the tail once, then the reverb plays on", async () => {
    const input = sine(96000, 440, { 10000: Number.NaN });
    const program: GraphProgram = {
      nodes: [play(), { kind: "reverb", inputs: [0], params: {} }],
      output: 1,
    };
    const { output, counts } = await render(program, 96000, [[input]]);
    // The dry path at 10000 (both channels), then the comb outputs when the NaN comes round
    // (about a comb's length later) until that block ends and the reverb resets.
    expect(counts.firstFrame).toBe(10_000);
    expect(counts.samples).toBeGreaterThan(2);
    expect(counts.samples).toBeLessThan(2 + 2 * 2 * 128);
    expect(rms(output[0] as Float32Array, 60_000)).toBeGreaterThan(0.1);
    expect(rms(output[1] as Float32Array, 60_000)).toBeGreaterThan(0.1);
  });

  it("compressor: an infinite input level does not leave the detector silenced for good", async () => {
    const input = sine(48000, 440, { 10000: Number.POSITIVE_INFINITY });
    const program: GraphProgram = {
      nodes: [play(), { kind: "compressor", inputs: [0], params: { threshold: -20, ratio: 4 } }],
      output: 1,
    };
    const { output, counts } = await render(program, 48000, [[input]]);
    expect(counts.samples).toBe(1);
    const steady = await render(program, 48000, [[sine(48000, 440)]]);
    // A second after the infinity the compressor is back to what it does to a clean sine.
    const out = output[0] as Float32Array;
    expect(rms(out, 40_000)).toBeCloseTo(rms(steady.output[0] as Float32Array, 40_000), 4);
  });
});
