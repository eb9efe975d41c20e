/**
 * RenderCallOptions.onChunk on the in-process host: the audio arrives piece by piece, the pieces
 * joined are exactly the samples of the same render without onChunk (one render: delay lines, filter
 * states and MIDI voices carry across pieces), and nothing is held in the result.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createEngine,
  type EngineClient,
  EngineError,
  type RenderChunk,
  type RenderRequestInput,
} from "../../../src/index";
import { TestDoubleEngineClient } from "../../../src/testing/index";

const SR = 48000;

function noise(frames: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

/** Stateful all the way: a sampler played by MIDI and a saw, through a resonant filter and a feedback delay. */
function statefulRequest(handle: string, seconds: number): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "chunks",
    sample_rate: SR,
    channels: 2,
    duration_seconds: seconds,
    start_position_seconds: 0.3,
    options: { preroll: 0.2, capture: ["filter"] },
    node_graph: {
      version: "v1alpha",
      output: "echo",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator", params: { frequency: 110, waveform: "saw" } },
        {
          name: "keys",
          node_id: "builtin:sampler",
          buffers: { sample: handle },
          midi: [
            { type: "note", time: 0.5, duration: 1.2, note: 60, velocity: 100 },
            { type: "note", time: 1.9, duration: 0.8, note: 64, velocity: 70 },
          ],
        },
        {
          name: "filter",
          node_id: "builtin:filter",
          inputs: ["osc", "keys"],
          params: { mode: "low", q: 4 },
          automation: {
            frequency: {
              kind: "breakpoints",
              points: [
                { time: 0, value: 300, curve: "exponential" },
                { time: 2.5, value: 6000 },
              ],
            },
          },
        },
        { name: "echo", node_id: "builtin:delay", inputs: ["filter"], params: { time: 333, feedback: 0.6 } },
      ],
    },
  };
}

/** Collects the pieces (copied: their arrays are reused) and checks they arrive in order. */
function collector() {
  const pieces: { offset: number; frames: number; output: Float32Array[]; filter: Float32Array[] }[] = [];
  const onChunk = (chunk: RenderChunk) => {
    const copy = (channels: Float32Array[]) => channels.map((channel) => channel.slice());
    pieces.push({
      offset: chunk.offset,
      frames: chunk.frames,
      output: copy(chunk.output),
      filter: copy(chunk.captures.get("filter") ?? []),
    });
  };
  const joined = (pick: "output" | "filter") =>
    [0, 1].map((channel) => {
      const total = pieces.reduce((sum, piece) => sum + piece.frames, 0);
      const out = new Float32Array(total);
      for (const piece of pieces) out.set(piece[pick][channel] as Float32Array, piece.offset);
      return out;
    });
  return { pieces, onChunk, joined };
}

/** The channels' bytes: equal bytes are equal samples bit for bit (signed zeros and NaN payloads too). */
function bits(channels: Float32Array[]): Buffer {
  return Buffer.concat(
    channels.map((channel) => Buffer.from(channel.buffer, channel.byteOffset, channel.byteLength)),
  );
}

let engine: EngineClient;
beforeEach(async () => {
  engine = await createEngine({ host: "in-process", sampleRate: SR, blockSize: 100 });
});
afterEach(async () => {
  await engine.close();
});

describe("render with onChunk (in-process)", () => {
  it("delivers pieces whose join equals the whole render, output and captures, bit for bit", async () => {
    const handle = await engine.uploadBuffer([noise(9000, 3)], 22050);
    const request = statefulRequest(handle, 3.21);
    const whole = await engine.render(request);
    expect(whole.status, whole.error ?? "").toBe("ok");
    const wholeOutput = await engine.readBuffer(whole.buffer_handle ?? "");
    const wholeFilter = await engine.readBuffer(whole.extensions.captures?.filter ?? "");

    const { pieces, onChunk, joined } = collector();
    const streamed = await engine.render(request, { onChunk });
    expect(streamed.status, streamed.error ?? "").toBe("ok");
    const frames = Math.round(3.21 * SR); // 154080
    expect(streamed.frames).toBe(frames);
    // A second each (the progress interval, where the whole render's slices end too), then the rest.
    expect(pieces.map((piece) => [piece.offset, piece.frames])).toEqual([
      [0, SR],
      [SR, SR],
      [2 * SR, SR],
      [3 * SR, frames - 3 * SR],
    ]);
    expect(bits(joined("output")).equals(bits(wholeOutput))).toBe(true);
    expect(bits(joined("filter")).equals(bits(wholeFilter))).toBe(true);
    expect(joined("output")[1]?.length).toBe(frames);
    let peak = 0;
    for (const x of wholeOutput[0] ?? []) peak = Math.max(peak, Math.abs(x));
    expect(peak).toBeGreaterThan(0.05);
    // Nothing is held: the result's buffers are empty.
    expect((await engine.readBuffer(streamed.buffer_handle ?? ""))[0]?.length).toBe(0);
    expect((await engine.readBuffer(streamed.extensions.captures?.filter ?? ""))[0]?.length).toBe(0);
  });

  it("awaits each piece before rendering the next, and a cancelled render delivers what it rendered", async () => {
    const controller = new AbortController();
    let inFlight = false;
    let overlapped = false;
    let delivered = 0;
    const result = await engine.render(
      { ...statefulRequest(await engine.uploadBuffer([noise(100, 1)], SR), 60), options: {} },
      {
        signal: controller.signal,
        onChunk: async (chunk) => {
          if (inFlight) overlapped = true;
          inFlight = true;
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight = false;
          expect(chunk.offset).toBe(delivered);
          delivered += chunk.frames;
          if (delivered >= 3 * SR) controller.abort();
        },
      },
    );
    expect(overlapped).toBe(false);
    expect(result.status).toBe("partial");
    expect(result.frames).toBe(delivered);
    expect(delivered).toBeGreaterThanOrEqual(3 * SR);
    expect(delivered).toBeLessThan(60 * SR);
  });

  it("says how many of each capture's channels are its node's own: 1 for a mono node", async () => {
    const handle = await engine.uploadBuffer([noise(9000, 3)], 22050);
    const seen: Record<string, number>[] = [];
    for (const channels of [2, 1, 3]) {
      const request = {
        ...statefulRequest(handle, 0.1),
        channels,
        options: { capture: ["osc", "filter"] },
      };
      await engine.render(request, {
        onChunk: (chunk) => {
          seen.push(Object.fromEntries(chunk.captureChannels));
          // The capture itself keeps the request's channels: a mono node fills every one.
          const osc = chunk.captures.get("osc") ?? [];
          expect(osc).toHaveLength(channels);
          for (const channel of osc) expect(channel).toEqual(osc[0]);
        },
      });
    }
    // The oscillator is mono; the filter has its inputs' two channels (osc and the mono sampler),
    // within the request's count.
    expect(seen).toEqual([
      { osc: 1, filter: 2 },
      { osc: 1, filter: 1 },
      { osc: 1, filter: 2 },
    ]);
  });

  it("ends the render with status error when onChunk throws", async () => {
    const result = await engine.render(statefulRequest(await engine.uploadBuffer([noise(10, 1)], SR), 2), {
      onChunk: () => {
        throw new Error("disk full");
      },
    });
    expect(result).toMatchObject({ status: "error", error: "E_RENDER: Error: disk full", frames: 0 });
  });

  it("keeps an EngineError thrown by onChunk as it is: its code and path once, not wrapped in E_RENDER", async () => {
    const result = await engine.render(statefulRequest(await engine.uploadBuffer([noise(10, 1)], SR), 2), {
      onChunk: () => {
        throw new EngineError("E_LIMIT", "the disk is full", "out.wav");
      },
    });
    expect(result).toMatchObject({
      status: "error",
      error: "E_LIMIT at out.wav: the disk is full",
      frames: 0,
    });
  });

  it("is refused clearly by a host that returns whole results (the test double)", async () => {
    const double = new TestDoubleEngineClient();
    await expect(
      double.render(
        { ...statefulRequest("buf:1", 1), node_graph: { version: "v1alpha", nodes: [], output: "" } },
        { onChunk: () => undefined },
      ),
    ).rejects.toThrow(
      "E_HOST_UNAVAILABLE: render option onChunk is for the in-process host (Node.js); the test double returns the whole result",
    );
  });

  it("is not bounded by renderSamples, which bounds what a host holds: a streamed render holds a piece", async () => {
    const sine = { name: "osc", node_id: "builtin:oscillator" };
    // 32 channels of 50 minutes: 4.6 × 10^9 samples, over renderSamples (2^28) but within renderSeconds.
    const long: RenderRequestInput = {
      version: "v1alpha",
      request_id: "long",
      sample_rate: SR,
      channels: 32,
      duration_seconds: 3000,
      node_graph: { version: "v1alpha", nodes: [sine], output: "osc" },
    };
    await expect(engine.render(long)).rejects.toMatchObject({ code: "E_LIMIT", path: "duration_seconds" });
    const controller = new AbortController();
    let delivered = 0;
    const result = await engine.render(long, {
      signal: controller.signal,
      onChunk: (chunk) => {
        delivered += chunk.frames;
        controller.abort();
      },
    });
    expect(result.status).toBe("partial");
    expect(delivered).toBe(SR);
  });
});
