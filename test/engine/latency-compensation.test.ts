/**
 * Latency compensation (src/engine/latency-compensation.ts): a Faust DSP that declares its latency
 * (`declare latency_samples "N";`) in parallel with a dry path is aligned with it (an inverted sum
 * nulls to the bit), a render of a latent chain starts on time, stems line up with the output, and
 * the latency is reported. The program's shape (where delays go, what a cycle gets) is checked on
 * the compiler's output directly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GraphNodeInput } from "../../src/contracts/graph-descriptor";
import type { RenderRequestInput } from "../../src/contracts/render";
import type { GraphProgram } from "../../src/engine/graph-program";
import { compensateLatency, LATENCY_DELAY_KIND } from "../../src/engine/latency-compensation";
import { loadLibFaustFromDisk } from "../../src/faust/libfaust-nodejs";
import { FaustRegistry } from "../../src/faust/registry";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../src/hosts/in-process/in-process-client";
import { noise } from "../faust/support";
import { expectedLatencyRender, LATENCY_REQUEST_FRAMES, latencyRequest } from "../support/latency-request";

const RATE = 48000;
/** A pure delay that declares its delay as latency: what a look-ahead limiter looks like to a host. */
const latentDelay = (frames: number) => `declare latency_samples "${frames}";\nprocess = @(${frames});`;

function request(nodes: GraphNodeInput[], output: string, extra: Partial<RenderRequestInput> = {}) {
  return {
    version: "v1alpha",
    request_id: "latency",
    node_graph: { version: "v1alpha", nodes, output },
    duration_seconds: 0.25,
    sample_rate: RATE,
    channels: 1,
    ...extra,
  } as RenderRequestInput;
}

describe("latency compensation in renders", () => {
  let client: InProcessEngineClient;
  let src: string;
  beforeAll(async () => {
    client = new InProcessEngineClient({
      module: await loadEngineModuleFromDisk(),
      sampleRate: RATE,
      faust: new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk }),
    });
    src = await client.uploadBuffer([noise(RATE / 4, 11)], RATE);
  });
  afterAll(() => client.close());

  it("reads a Faust DSP's declared latency into its descriptor", async () => {
    const node = await client.compileFaust(latentDelay(300));
    expect(node.latency_samples).toBe(300);
  });

  it("aligns a dry path with a path through a latent Faust node: their inverted sum nulls exactly", async () => {
    const latent = await client.compileFaust(latentDelay(300));
    const nodes: GraphNodeInput[] = [
      { name: "src", node_id: "builtin:playback", buffers: { data: src } },
      { name: "wet", node_id: latent.node_id, inputs: ["src"] },
      { name: "dry", node_id: "builtin:gain", inputs: ["src"], params: { gain: -1 } },
      { name: "sum", node_id: "builtin:mixer", inputs: ["wet", "dry"] },
    ];
    const result = await client.render(request(nodes, "sum"));
    expect(result.error).toBeNull();
    expect(result.frames).toBe(RATE / 4);
    expect(result.extensions.latency_frames).toBe(300);
    const [sum] = await client.readBuffer(result.buffer_handle as string);
    expect(sum).toHaveLength(RATE / 4);
    expect(peak(sum as Float32Array)).toBe(0);

    // Side by side (a gain with two inputs passes both, as two channels), the paths line up too:
    // the wet channel is the dry one inverted, frame for frame, the source on time.
    const pair = await client.render(
      request(
        [...nodes.slice(0, 3), { name: "pair", node_id: "builtin:gain", inputs: ["wet", "dry"] }],
        "pair",
        {
          channels: 2,
        },
      ),
    );
    const [wet, dry] = await client.readBuffer(pair.buffer_handle as string);
    expect(peak(wet as Float32Array)).toBeGreaterThan(0.5);
    expect(Array.from(wet as Float32Array)).toEqual(Array.from(dry as Float32Array, (sample) => -sample + 0));
    const [source] = await client.readBuffer(src);
    expect(Array.from(wet as Float32Array)).toEqual(Array.from(source as Float32Array));
  });

  it("renders a latent chain on time: an impulse at frame 0 comes out at frame 0, for the whole length", async () => {
    const a = await client.compileFaust(latentDelay(100));
    const b = await client.compileFaust(latentDelay(28));
    const impulse = new Float32Array(RATE / 4);
    impulse[0] = 1;
    impulse[impulse.length - 1] = 0.5;
    const handle = await client.uploadBuffer([impulse], RATE);
    const result = await client.render(
      request(
        [
          { name: "src", node_id: "builtin:playback", buffers: { data: handle }, capture: true },
          { name: "a", node_id: a.node_id, inputs: ["src"] },
          { name: "b", node_id: b.node_id, inputs: ["a"], capture: true },
        ],
        "b",
      ),
    );
    expect(result.extensions.latency_frames).toBe(128);
    const [out] = await client.readBuffer(result.buffer_handle as string);
    expect(out).toHaveLength(RATE / 4);
    expect(Array.from(out as Float32Array).slice(0, 3)).toEqual([1, 0, 0]);
    // The render ran 128 frames past the end: the last sample is the buffer's last, on its frame.
    expect((out as Float32Array)[RATE / 4 - 1]).toBe(0.5);
    expect(nonZeroFrames(out as Float32Array)).toEqual([0, RATE / 4 - 1]);
    // The source's stem (latency 0) is delayed to the output's: it lines up with the output.
    const captures = result.extensions.captures as Record<string, string>;
    const [stem] = await client.readBuffer(captures.src as string);
    expect(nonZeroFrames(stem as Float32Array)).toEqual([0, RATE / 4 - 1]);
  });

  it("starts on time from a start position too", async () => {
    const a = await client.compileFaust(latentDelay(100));
    const impulse = new Float32Array(RATE / 2);
    impulse[4800] = 1;
    const handle = await client.uploadBuffer([impulse], RATE);
    const result = await client.render(
      request(
        [
          { name: "src", node_id: "builtin:playback", buffers: { data: handle } },
          { name: "a", node_id: a.node_id, inputs: ["src"] },
        ],
        "a",
        { start_position_seconds: 0.1, options: { preroll: 0.05 } },
      ),
    );
    const [out] = await client.readBuffer(result.buffer_handle as string);
    expect(nonZeroFrames(out as Float32Array)).toEqual([0]);
  });

  it("plays a latent node inside a feedback loop on time: the loop's echoes come 10 ms + 64 frames apart", async () => {
    const latent = await client.compileFaust(latentDelay(64));
    const impulse = new Float32Array(RATE / 4);
    impulse[0] = 1;
    const handle = await client.uploadBuffer([impulse], RATE);
    const result = await client.render(
      request(
        [
          { name: "src", node_id: "builtin:playback", buffers: { data: handle } },
          { name: "bus", node_id: "builtin:mixer", inputs: ["src", "echo"] },
          { name: "late", node_id: latent.node_id, inputs: ["bus"] },
          { name: "delay", node_id: "builtin:delay", inputs: ["late"], params: { time: 10 } },
          { name: "echo", node_id: "builtin:gain", inputs: ["delay"], params: { gain: 0.5 } },
        ],
        "bus",
        { duration_seconds: 0.05 },
      ),
    );
    expect(result.error).toBeNull();
    expect(result.extensions.latency_frames).toBeUndefined();
    const [out] = await client.readBuffer(result.buffer_handle as string);
    const frames = nonZeroFrames(out as Float32Array);
    expect(frames).toEqual([0, 544, 1088, 1632, 2176]);
    expect(frames.map((frame) => (out as Float32Array)[frame])).toEqual([1, 0.5, 0.25, 0.125, 0.0625]);
  });

  it("reports no latency for a graph whose nodes add none", async () => {
    const result = await client.render(
      request([{ name: "src", node_id: "builtin:playback", buffers: { data: src } }], "src"),
    );
    expect(result.extensions.latency_frames).toBeUndefined();
  });
});

function peak(channel: Float32Array): number {
  let max = 0;
  for (const sample of channel) max = Math.max(max, Math.abs(sample));
  return max;
}

function nonZeroFrames(channel: Float32Array): number[] {
  const frames: number[] = [];
  channel.forEach((sample, frame) => {
    if (sample !== 0) frames.push(frame);
  });
  return frames;
}

describe("compensateLatency", () => {
  const node = (inputs: number[]) => ({ kind: "gain", inputs, params: {} });

  it("delays the shorter inputs of every node where paths meet, by the difference", () => {
    // 0 source; 1 latent (64); 2 latent (16) after 0; 3 sums 0, 1, 2; 4 after 3.
    const program: GraphProgram = {
      nodes: [node([]), node([0]), node([0]), node([0, 1, 2]), node([3])],
      output: 4,
    };
    const result = compensateLatency(program, [0, 64, 16, 0, 0], new Map([["src", 0]]));
    expect(result.latencyFrames).toBe(64);
    expect(result.pathLatency).toEqual([0, 64, 16, 64, 64]);
    expect(program.nodes.slice(5)).toEqual([
      { kind: LATENCY_DELAY_KIND, inputs: [0], params: { frames: 64 } },
      { kind: LATENCY_DELAY_KIND, inputs: [2], params: { frames: 48 } },
    ]);
    expect(program.nodes[3]?.inputs).toEqual([5, 1, 6]);
    // The captured source is delayed to the output's latency: the same 64-frame delay serves it.
    expect(result.captures.get("src")).toBe(5);
  });

  it("leaves the input that closes a cycle alone", () => {
    // 0 source -> 1 latent (32) -> 2 bus (1 and the feedback 3) -> 3 delay (2) -> back into 2.
    const program: GraphProgram = { nodes: [node([]), node([0]), node([1, 3]), node([2])], output: 2 };
    const result = compensateLatency(program, [0, 32, 0, 0], new Map());
    expect(result.latencyFrames).toBe(32);
    expect(program.nodes).toHaveLength(4);
    expect(program.nodes[2]?.inputs).toEqual([1, 3]);
  });

  it("counts no latency around a cycle: a latent node inside a feedback loop leaves the bus on time", () => {
    // 0 source -> 1 bus (0 and the return 3) -> 2 latent (64) -> 3 delay -> back into 1.
    const program: GraphProgram = { nodes: [node([]), node([0, 3]), node([1]), node([2])], output: 1 };
    const result = compensateLatency(program, [0, 0, 64, 0], new Map());
    expect(result.latencyFrames).toBe(0);
    expect(result.pathLatency).toEqual([0, 0, 64, 0]);
    expect(program.nodes).toHaveLength(4);
  });

  it("adds nothing to a graph without latency", () => {
    const program: GraphProgram = { nodes: [node([]), node([]), node([0, 1])], output: 2 };
    expect(compensateLatency(program, [0, 0, 0], new Map()).latencyFrames).toBe(0);
    expect(program.nodes).toHaveLength(3);
  });
});

describe("the cross-host latency request (test/support/latency-request.ts)", () => {
  it("renders its known answer in Node.js: a null, and a step on its frame", async () => {
    const client = new InProcessEngineClient({
      module: await loadEngineModuleFromDisk(),
      sampleRate: RATE,
      faust: new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk }),
    });
    try {
      const result = await client.render(await latencyRequest("node", RATE));
      expect(result.error).toBeNull();
      expect(result.extensions.latency_frames).toBe(LATENCY_REQUEST_FRAMES);
      const channels = await client.readBuffer(result.buffer_handle as string);
      const expected = expectedLatencyRender(RATE, RATE / 4);
      expect(channels.map((channel) => Array.from(channel))).toEqual(expected.map((c) => Array.from(c)));
    } finally {
      await client.close();
    }
  });
});
