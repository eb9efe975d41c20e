/**
 * The render loop's pacing (src/engine/render-job.ts): it yields by its own clock, in the preroll as
 * in the render, shortens its chunks when one chunk alone would overrun a slice, and stays free of
 * allocation per chunk.
 *
 * Most tests drive the loop with a model clock in which rendering costs a fixed time per frame, so
 * they are exact on any machine and cannot flake. One runs on the real clock (performance.now(),
 * the loop's default) and measures the work between two yields in CPU time (see there why). The
 * event loop as a whole is measured at the host (test/hosts/in-process/liveness.test.ts).
 */
import { PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import type { CompiledGraph } from "../../src/engine/graph-compiler";
import type { GraphProgram } from "../../src/engine/graph-program";
import {
  MIN_CHUNK_FRAMES,
  type RenderJob,
  renderOffline,
  runRenderJob,
  YIELD_INTERVAL_MS,
} from "../../src/engine/render-job";
import type { WasmEngine } from "../../src/engine/wasm-engine";
import { newEngine } from "../support/render";
import { w2Program } from "../support/workloads";

const SR = 48000;

function compiled(program: GraphProgram): CompiledGraph {
  return {
    program,
    nodeIndex: new Map(),
    outputNode: program.output,
    captures: new Map(),
    recorded: new Map(),
    latencyFrames: 0,
    pathLatency: [],
  };
}

/**
 * Wraps the engine's render() to record each chunk's length, and returns a clock in which rendering
 * 4096 frames takes `msPer4096` ms: a model of a graph of a known cost, exact on any machine. It
 * counts its readings.
 */
function modelClock(engine: WasmEngine, msPer4096: number) {
  const chunks: number[] = [];
  let frames = 0;
  const render = engine.render.bind(engine);
  engine.render = (n: number) => {
    chunks.push(n);
    frames += n;
    return render(n);
  };
  const clock = {
    chunks,
    readings: 0,
    now: () => {
      clock.readings++;
      return (frames * msPer4096) / 4096;
    },
  };
  return clock;
}

describe("the render loop yields by its own clock", () => {
  it(`yields once every ${YIELD_INTERVAL_MS} ms of its clock, in the preroll and in the render`, async () => {
    const engine = await newEngine(SR);
    // 2.5 ms a chunk: a slice is four chunks.
    const clock = modelClock(engine, 2.5);
    const job: RenderJob = {
      compiled: compiled(w2Program()),
      startFrame: 100 * 4096,
      prerollFrames: 100 * 4096,
      frames: 50 * 4096,
      channels: 2,
    };
    const yields: { chunk: number; position: number }[] = [];
    const output = await runRenderJob(engine, job, {
      progressIntervalFrames: 1e9,
      now: clock.now,
      afterYield: () => yields.push({ chunk: clock.chunks.length, position: engine.positionFrames }),
    });
    expect(output.complete).toBe(true);
    const inPreroll = yields.filter((y) => y.position <= job.startFrame).map((y) => y.chunk);
    const inRender = yields.filter((y) => y.position > job.startFrame).map((y) => y.chunk - 100);
    // A yield after every 4th chunk: 25 in the 100 chunks of the preroll (the last one before the
    // render starts), 12 in the 50 of the render (none after the last chunk).
    expect(inPreroll).toEqual(Array.from({ length: 25 }, (_, i) => 4 * (i + 1)));
    expect(inRender).toEqual(Array.from({ length: 12 }, (_, i) => 4 * (i + 1)));
    expect(clock.chunks.every((frames) => frames === 4096)).toBe(true);
    engine.destroy();
  });

  it("stops in the preroll at the first yield after an abort, counting nothing of the preroll", async () => {
    const engine = await newEngine(SR);
    // A looped buffer with a NaN on its first frame: the preroll meets it again and again.
    const looped = new Float32Array(4096).fill(0.5);
    looped[0] = Number.NaN;
    engine.createBuffer([looped], SR);
    const clock = modelClock(engine, 2.5);
    const controller = new AbortController();
    const program: GraphProgram = {
      nodes: [{ kind: "playback", inputs: [], params: { loop: 1 }, buffers: { 0: 0 } }],
      output: 0,
    };
    const output = await runRenderJob(
      engine,
      {
        compiled: compiled(program),
        startFrame: 100 * 4096,
        prerollFrames: 100 * 4096,
        frames: 4096,
        channels: 1,
      },
      {
        progressIntervalFrames: 1e9,
        signal: controller.signal,
        now: clock.now,
        afterYield: () => controller.abort(),
      },
    );
    expect(clock.chunks).toHaveLength(4);
    expect(output).toMatchObject({ frames: 0, complete: false });
    expect(output.nonFinite.output).toEqual({ samples: 0, firstFrame: -1 });
    engine.destroy();
  });

  it("reads its clock a few times a slice, not after every chunk of a light graph", async () => {
    const engine = await newEngine(SR);
    // 0.1 ms a chunk: a slice is 100 chunks, read about every 25.
    const clock = modelClock(engine, 0.1);
    const program: GraphProgram = { nodes: [{ kind: "oscillator", inputs: [], params: {} }], output: 0 };
    let yields = 0;
    await runRenderJob(
      engine,
      { compiled: compiled(program), startFrame: 0, prerollFrames: 0, frames: 1000 * 4096, channels: 1 },
      { progressIntervalFrames: 1e9, now: clock.now, afterYield: () => yields++ },
    );
    expect(yields).toBe(9);
    expect(clock.readings).toBeLessThan(60);
    engine.destroy();
  });

  it("shortens its chunks when one chunk takes more than half a slice, without changing the audio", async () => {
    const frames = 40 * 4096;
    const program = w2Program();
    const job: RenderJob = {
      compiled: compiled(program),
      startFrame: 0,
      prerollFrames: 0,
      frames,
      channels: 2,
    };
    const reference = await newEngine(SR);
    const steady = await runRenderJob(reference, job, { progressIntervalFrames: 1e9, now: () => 0 });

    const engine = await newEngine(SR);
    // 40 ms per 4096 frames: the first chunk overruns, the next are a quarter slice (256 frames).
    const clock = modelClock(engine, 40);
    const slow = await runRenderJob(engine, job, { progressIntervalFrames: 1e9, now: clock.now });
    expect(clock.chunks.slice(0, 3)).toEqual([4096, 256, 256]);
    expect(clock.chunks.reduce((sum, n) => sum + n, 0)).toBe(frames);
    // Shorter chunks re-make the copy views; the samples are the same (compared as bytes: fast).
    const bytes = (channels: Float32Array[]) => channels.map((c) => Buffer.from(c.buffer).toString("base64"));
    expect(bytes(slow.output)).toEqual(bytes(steady.output));

    // A graph slower still (4096 frames in 2 s) goes down to the floor.
    const engine2 = await newEngine(SR);
    const floor = modelClock(engine2, 2000);
    await runRenderJob(
      engine2,
      { ...job, frames: 4 * 4096 },
      { progressIntervalFrames: 1e9, now: floor.now },
    );
    expect(floor.chunks.slice(0, 3)).toEqual([4096, MIN_CHUNK_FRAMES, MIN_CHUNK_FRAMES]);
    reference.destroy();
    engine.destroy();
    engine2.destroy();
  });

  it("yields after about 10 ms of work through a long preroll and render (real clock)", async () => {
    const engine = await newEngine(SR);
    const job = (seconds: number): RenderJob => ({
      compiled: compiled(w2Program()),
      startFrame: seconds * SR,
      prerollFrames: seconds * SR,
      frames: (seconds / 4) * SR,
      channels: 2,
    });
    // A fresh engine's first render also compiles its code (WebAssembly tiers up): not the loop's doing.
    await runRenderJob(engine, job(2), { progressIntervalFrames: SR });
    const cpuMs = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
    // A slice: from one resumption (or the call) to the next, the loop's work between two yields.
    let resumed = { wall: performance.now(), cpu: cpuMs() };
    const slices: { wall: number; cpu: number }[] = [];
    const result = await runRenderJob(engine, job(120), {
      progressIntervalFrames: SR,
      afterYield: () => {
        const now = { wall: performance.now(), cpu: cpuMs() };
        slices.push({ wall: now.wall - resumed.wall, cpu: now.cpu - resumed.cpu });
        resumed = now;
      },
    });
    slices.push({ wall: performance.now() - resumed.wall, cpu: cpuMs() - resumed.cpu });
    expect(result.complete).toBe(true);
    const cpu = slices.map((slice) => slice.cpu).sort((a, b) => a - b);
    const wall = slices.map((slice) => slice.wall).sort((a, b) => a - b);
    const median = cpu[cpu.length >> 1] as number;
    const longest = cpu[cpu.length - 1] as number;
    console.info(
      `render loop: ${slices.length} slices; CPU median ${median.toFixed(1)} ms, longest ${longest.toFixed(1)} ms; wall clock longest ${(wall[wall.length - 1] as number).toFixed(1)} ms`,
    );
    // 150 s of W2, a few hundred times real time: the preroll alone is 400 ms of work or more, one
    // slice if the loop did not yield in it. Slices are measured in this process's CPU time, which a
    // loaded machine does not stretch; it also counts the threads V8 runs beside the loop (garbage
    // collection, compilation), hence twice the promised 50 ms for the longest.
    expect(median).toBeLessThan(2 * YIELD_INTERVAL_MS);
    expect(longest).toBeLessThan(100);
    engine.destroy();
  });
});

describe("the per-chunk path allocates nothing", () => {
  it("renderOffline of 8000 chunks: no garbage collection, no young objects beyond its setup", async () => {
    setFlagsFromString("--expose_gc");
    const gc = runInNewContext("gc") as () => void;
    let collections = 0;
    const observer = new PerformanceObserver((list) => {
      collections += list.getEntries().length;
    });
    observer.observe({ entryTypes: ["gc"] });
    const engine = await newEngine(SR);
    const { applyGraphProgram } = await import("../../src/engine/graph-program");
    applyGraphProgram(engine, {
      nodes: [{ kind: "oscillator", inputs: [], params: { frequency: 100 } }],
      output: 0,
    });
    const frames = 2000 * 4096;
    const out = [new Float32Array(frames), new Float32Array(frames)];
    // A clock of small integers: what is measured is the per-chunk path, not a clock's own cost
    // (Node's performance.now() allocates a little per call; the loop reads it a few times a slice).
    let ticks = 0;
    const now = () => ticks++;
    const renderFourTimes = () => {
      for (let i = 0; i < 4; i++) renderOffline(engine, frames, out, now);
    };
    // Young-generation bytes only: an object made per chunk is born there (and, with no collection
    // in the trial, stays counted). The old and code spaces also grow while V8 compiles, deoptimises
    // and recompiles this loop in the background (tens of kB per trial, more on a loaded machine),
    // which says nothing about the render path; counting them made this test flaky.
    const youngBytes = () =>
      getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_used_size ?? 0;
    renderFourTimes(); // warm-up: let the JIT settle
    let best = Number.POSITIVE_INFINITY;
    let bestCollections = Number.POSITIVE_INFINITY;
    for (let trial = 0; trial < 5; trial++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const before = collections;
      const heapBefore = youngBytes();
      renderFourTimes();
      const growth = youngBytes() - heapBefore;
      await new Promise((resolve) => setTimeout(resolve, 10));
      bestCollections = Math.min(bestCollections, collections - before);
      best = Math.min(best, growth);
    }
    observer.disconnect();
    expect(bestCollections).toBe(0);
    // 8000 chunks: one 16-byte object per chunk would be 128 kB; each call's setup (a route, its
    // views, the pacer) is a few hundred bytes.
    expect(best).toBeLessThan(32 * 1024);
    engine.destroy();
  });
});
