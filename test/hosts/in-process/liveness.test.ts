/**
 * Liveness of the in-process host (docs/reliability.md, "Liveness"): a long render and a long
 * preroll keep the event loop turning, and an AbortSignal or close() stops either promptly.
 *
 * What is measured: a watchdog (a setImmediate chain, the same kind of turn the render loop yields
 * with) records the gaps between two of its turns while a render runs, in wall-clock time and in
 * this process's CPU time; and the time from abort() or close() to the render's end, the same two
 * ways. The assertions use CPU time: on a machine shared by many jobs, wall-clock gaps of 100 ms and
 * more come and go while the process gets no CPU at all (seen at a load average of 10 on two cores:
 * a 123 ms gap holding 3 ms of CPU), which says nothing about the host. CPU time also counts the
 * threads V8 runs beside the event loop (garbage collection, compilation), so the bound is twice the
 * promised 50 ms. Without the loop's yields the preroll below is one gap of seconds of CPU, so the
 * bound tells the two apart by more than an order of magnitude. The wall-clock figures are printed;
 * the loop's own slices are tested exactly in test/engine/render-job.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EngineClient, GraphDescriptorInput, RenderRequestInput } from "../../../src/index";
import { createEngine, EngineError } from "../../../src/index";

const SR = 48000;
/** CPU time between two turns of the event loop, at most: twice the promised 50 ms (see above). */
const BOUND_MS = 100;

/** Twelve saws through filters into a reverb: a few hundred times real time, so minutes take seconds. */
const HEAVY: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    ...Array.from({ length: 12 }, (_, i) => ({
      name: `osc${i}`,
      node_id: "builtin:oscillator",
      params: { frequency: 55 * 2 ** (i / 12), waveform: "saw" },
    })),
    ...Array.from({ length: 12 }, (_, i) => ({
      name: `lp${i}`,
      node_id: "builtin:filter",
      inputs: [`osc${i}`],
      params: { frequency: 1500 },
    })),
    { name: "mix", node_id: "builtin:mixer", inputs: Array.from({ length: 12 }, (_, i) => `lp${i}`) },
    { name: "room", node_id: "builtin:reverb", inputs: ["mix"] },
  ],
  output: "room",
};

function request(overrides: Partial<RenderRequestInput>): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "liveness",
    node_graph: HEAVY,
    duration_seconds: 1,
    sample_rate: SR,
    channels: 2,
    ...overrides,
  };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Records the longest gaps between turns of the event loop (wall clock and CPU) until stop(). */
function watchEventLoop() {
  let last = { wall: performance.now(), cpu: cpuMs() };
  const longest = { wall: 0, cpu: 0 };
  let turns = 0;
  let running = true;
  const tick = () => {
    const now = { wall: performance.now(), cpu: cpuMs() };
    longest.wall = Math.max(longest.wall, now.wall - last.wall);
    longest.cpu = Math.max(longest.cpu, now.cpu - last.cpu);
    last = now;
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop() {
      running = false;
      return { longest, turns };
    },
  };
}

/** When the promise settled, by both clocks, and how. */
function settled<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown; wall: number; cpu: number }> {
  return promise.then(
    (value) => ({ value, wall: performance.now(), cpu: cpuMs() }),
    (error: unknown) => ({ error, wall: performance.now(), cpu: cpuMs() }),
  );
}

let engine: EngineClient;

beforeEach(async () => {
  engine = await createEngine({ host: "in-process", sampleRate: SR });
  // Compile and warm the engine outside the measured renders.
  await engine.render(request({ duration_seconds: 0.1 }));
});

afterEach(async () => {
  await engine.close();
});

describe("a long render keeps the event loop turning", () => {
  it("yields during a long preroll and a long render: no long gap in the event loop", async () => {
    const watchdog = watchEventLoop();
    const started = performance.now();
    const result = await engine.render(
      request({
        start_position_seconds: 600,
        duration_seconds: 30,
        options: { offline: true, preroll: 600 },
      }),
    );
    const elapsedMs = performance.now() - started;
    const { longest, turns } = watchdog.stop();
    console.info(
      `liveness: 630 s rendered in ${elapsedMs.toFixed(0)} ms, ${turns} event-loop turns; longest gap ${longest.wall.toFixed(1)} ms of wall clock, ${longest.cpu.toFixed(1)} ms of CPU`,
    );
    expect(result).toMatchObject({ status: "ok", frames: 30 * SR });
    // The render must be long enough for the bound to mean something.
    expect(elapsedMs).toBeGreaterThan(10 * BOUND_MS);
    expect(longest.cpu).toBeLessThan(BOUND_MS);
  });
});

describe("abort and close stop a preroll promptly", () => {
  const longPreroll = request({
    start_position_seconds: 600,
    duration_seconds: 1,
    options: { offline: true, preroll: 600 },
  });

  it("abort during the preroll returns status partial with 0 frames, at once", async () => {
    const controller = new AbortController();
    const rendering = settled(engine.render(longPreroll, { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const aborted = { wall: performance.now(), cpu: cpuMs() };
    controller.abort();
    const { value, wall, cpu } = await rendering;
    console.info(
      `liveness: abort to result ${(wall - aborted.wall).toFixed(1)} ms of wall clock, ${(cpu - aborted.cpu).toFixed(1)} ms of CPU`,
    );
    expect(value).toMatchObject({
      status: "partial",
      frames: 0,
      error: `E_CANCELLED: render cancelled after 0 of ${SR} frames`,
    });
    expect(cpu - aborted.cpu).toBeLessThan(BOUND_MS);
    expect((await engine.readBuffer(value?.buffer_handle ?? ""))[0]?.length).toBe(0);
    // The engine is free at once for the next render.
    expect((await engine.render(request({ duration_seconds: 0.1 }))).status).toBe("ok");
  });

  it("close() during the preroll rejects the render with E_CLOSED, at once", async () => {
    const rendering = settled(engine.render(longPreroll));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = { wall: performance.now(), cpu: cpuMs() };
    const closing = engine.close();
    const { error, wall, cpu } = await rendering;
    await closing;
    console.info(
      `liveness: close to rejection ${(wall - closed.wall).toFixed(1)} ms of wall clock, ${(cpu - closed.cpu).toFixed(1)} ms of CPU`,
    );
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toBe("E_CLOSED: the engine client is closed");
    expect(cpu - closed.cpu).toBeLessThan(BOUND_MS);
  });
});
