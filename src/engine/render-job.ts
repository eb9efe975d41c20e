/**
 * Runs a compiled graph on one engine, as fast as it goes, into result arrays: the in-process host's
 * render loop for a RenderRequest (preroll, start position, captures, progress, cancellation); the
 * Worker host runs the same code.
 *
 * Liveness: the loop renders in slices of YIELD_INTERVAL_MS, by its own clock (performance.now()),
 * and yields to the event loop between slices, in the preroll as in the render; so an AbortSignal, a
 * close() or another caller gets in within one slice, and the thread running it is never blocked
 * for much longer than that. A chunk that alone takes more than half a slice (a heavy graph) makes
 * the next chunks shorter, down to MIN_CHUNK_FRAMES, so one chunk cannot overrun a slice by much.
 *
 * The loop allocates nothing per chunk: result arrays are allocated once at their full length, each
 * chunk is copied with TypedArray.set from views of the engine's staging buffers made before the loop
 * (the views are rebuilt only if the engine's memory grew, which rendering itself never does, or
 * if the chunk length shrank), and the only per-chunk work besides the engine call is that copy and
 * a counter. The clock is read a few times a slice and the loop yields once a slice (a promise):
 * neither is per chunk. With `onChunk` the result arrays are one piece long (about a progress
 * interval) and are handed over and refilled piece by piece: one render, so every processor's state
 * carries across pieces exactly as in a whole render.
 *
 * `renderOffline` is the same per-chunk path without a RenderRequest around it and without the
 * yields (benchmarks and tests time and use it), so what the benchmarks measure is the copy, the
 * mapping and the pacing every render runs.
 *
 * Channel mapping, for the main output and for every capture alike: engine channel c goes to result
 * channel c; a mono source fills every result channel; result channels the source lacks stay silent,
 * and source channels beyond the request's count are dropped. A piece handed to onChunk also says how many of
 * each capture's channels are its node's own (captureChannels), so that a mono node can be written
 * as one channel rather than the request's count.
 *
 * Latency: a graph whose nodes add latency (CompiledGraph.latencyFrames, latency-compensation.ts)
 * renders that many frames more, discarded at the start like a preroll, so that output frame 0 (and
 * every capture's) is the timeline's start frame.
 *
 * Non-finite samples: the engine replaces NaN and ±Infinity by 0 where audio leaves the graph and
 * counts them (wasm/src/dsp/finite.h); the output reports the counts of the kept frames (the preroll
 * is not counted: its audio is discarded).
 */
import type { CompiledGraph } from "./graph-compiler";
import { applyGraphProgram } from "./graph-program";
import { type WasmEngine, WasmEngineError } from "./wasm-engine";

/**
 * The longest the loop renders, by its own clock, before it yields to the event loop (ms). Ten
 * milliseconds keep the thread answering (docs/reliability.md promises no gap over 50 ms) while a
 * yield, tens of microseconds, costs well under 1% of the render.
 */
export const YIELD_INTERVAL_MS = 10;

/** The shortest chunk a slow graph shrinks its chunks to (one AudioWorklet quantum). */
export const MIN_CHUNK_FRAMES = 128;

/** One render: where it starts and how much of it to keep. */
export interface RenderJob {
  compiled: CompiledGraph;
  /** Transport frame of the first kept frame. */
  startFrame: number;
  /** Frames rendered before startFrame and discarded (tails of reverbs and delays); <= startFrame. */
  prerollFrames: number;
  /** Frames to keep. */
  frames: number;
  /** Channels of each result (the request's `channels`). */
  channels: number;
}

export interface RenderJobHooks {
  /** Stops the render between chunks, preroll included; the output then holds the frames so far. */
  signal?: AbortSignal;
  /** Called with the kept frames rendered so far, every `progressIntervalFrames` and at the end. */
  onProgress?: (framesRendered: number) => void;
  /** Kept frames between progress reports. */
  progressIntervalFrames: number;
  /** Called after each yield; throwing ends the render (the client closed meanwhile). */
  afterYield?: () => void;
  /** The loop's clock in milliseconds. Default performance.now(). */
  now?: () => number;
  /**
   * Takes the kept audio piece by piece, in order, instead of the output holding all of it (then
   * `output` and `captures` of the RenderJobOutput have 0 frames): memory stays at one piece of about
   * `progressIntervalFrames` however long the render. The piece's arrays are reused for the next one
   * once the returned promise resolves; throwing ends the render.
   */
  onChunk?: (chunk: RenderJobChunk) => void | Promise<void>;
}

/** One piece of a render delivered to RenderJobHooks.onChunk. */
export interface RenderJobChunk {
  /** Kept frames before this piece. */
  offset: number;
  frames: number;
  /** job.channels arrays of `frames` frames. */
  output: Float32Array[];
  /** Each captured node's job.channels arrays of `frames` frames, by name. */
  captures: Map<string, Float32Array[]>;
  /**
   * Each captured node's own channels, by name: its output's channel count, at most job.channels
   * and at least 1. The first that many arrays of its capture are the node's; the others repeat a
   * mono node's channel or are silent.
   */
  captureChannels: Map<string, number>;
}

/** NaN and ±Infinity samples the engine replaced by 0 in one result. */
export interface NonFiniteCount {
  samples: number;
  /** The first kept frame that held one; -1 when samples is 0. */
  firstFrame: number;
}

export interface RenderJobOutput {
  /** Kept frames rendered: job.frames when complete, fewer when the signal stopped it. */
  frames: number;
  complete: boolean;
  /** job.channels arrays of `frames` frames. */
  output: Float32Array[];
  /** Each captured node's job.channels arrays of `frames` frames, by name. */
  captures: Map<string, Float32Array[]>;
  /**
   * Each recorded node's parameters (record_automation), by node name then parameter id: the value
   * the parameter took on each of the `frames` kept frames.
   */
  parameters: Map<string, Map<string, Float32Array>>;
  /** Non-finite samples replaced in the output and in each capture (counted on every engine channel). */
  nonFinite: { output: NonFiniteCount; captures: Map<string, NonFiniteCount> };
}

/**
 * Applies the program (which rewinds the engine and clears processor state), seeks to the start less
 * the preroll, renders, and returns the kept frames. Engine failures throw WasmEngineError.
 * @example
 * const out = await runRenderJob(engine, { compiled, startFrame: 0, prerollFrames: 0, frames: 48000, channels: 2 },
 *   { progressIntervalFrames: 48000 });
 * out.output[0]?.length; // 48000
 */
export async function runRenderJob(
  engine: WasmEngine,
  job: RenderJob,
  hooks: RenderJobHooks,
): Promise<RenderJobOutput> {
  // A function, not a field read: the signal changes while the loop awaits.
  const aborted = () => hooks.signal?.aborted === true;
  if (aborted()) return emptyOutput(job);
  const { compiled } = job;
  const engineNodes = applyGraphProgram(engine, compiled.program);
  const engineNode = (programIndex: number) => engineNodes[programIndex] as number;
  const routes: ChannelRoute[] = [];
  const outputFromEngine = compiled.program.output === compiled.outputNode;
  const { onChunk } = hooks;
  // Streaming keeps one piece of a progress interval. Its ends fall where the whole render's slices
  // end anyway (at each progress report), so the engine is called with the same frame counts either
  // way: the samples are the same to the bit, the sign of a zero included.
  const resultFrames =
    onChunk === undefined ? job.frames : Math.min(job.frames, Math.max(1, hooks.progressIntervalFrames));
  const results = () => Array.from({ length: job.channels }, () => new Float32Array(resultFrames));
  const output = new ChannelRoute(
    engine,
    results(),
    audioSource(engine, outputFromEngine ? null : engineNode(compiled.outputNode)),
  );
  routes.push(output);
  const captures = new Map<string, ChannelRoute>();
  const captureChannels = new Map<string, number>();
  for (const [name, programIndex] of compiled.captures) {
    const route = new ChannelRoute(engine, results(), audioSource(engine, engineNode(programIndex)));
    captures.set(name, route);
    captureChannels.set(name, route.ownChannels);
    routes.push(route);
  }
  // Recorded parameters (record_automation): a route per node, an array per parameter. Never
  // streamed: the client refuses record_automation with onChunk. A parameter belongs to the
  // timeline, not to the late output: its record starts at the start position, latencyFrames before
  // the audio kept, so each array is that much longer and written that much further on.
  const latency = compiled.latencyFrames;
  const recorded = new Map<string, ChannelRoute>();
  for (const [name, { index, params }] of compiled.recorded) {
    if (params.length === 0) continue;
    const arrays = params.map(() => new Float32Array(resultFrames + latency));
    const source = parameterSource(engine, engineNode(index), params.length);
    const route = new ChannelRoute(engine, arrays, source, latency);
    recorded.set(name, route);
    routes.push(route);
  }

  const pacer = new Pacer(hooks.now ?? defaultClock, engine.maxRenderFrames);
  const pause = async () => {
    // Let an AbortSignal, a close() or other callers in while a long render runs.
    await yieldToEventLoop();
    hooks.afterYield?.();
    pacer.resume();
  };
  engine.seek(job.startFrame - job.prerollFrames);
  // The graph's latency is discarded with the preroll: output frame 0 is then timeline frame
  // startFrame, and the render runs that many frames past the end to keep job.frames.
  for (let left = job.prerollFrames; left > 0; ) {
    if (aborted()) break;
    left -= renderSlice(engine, pacer, null, 0, left);
    if (pacer.sliceUsed()) await pause();
  }
  // The latency's frames: their audio is discarded, their recorded parameters kept (offset -latency
  // lands on index 0 of the records).
  const recordedRoutes = recorded.size > 0 ? [...recorded.values()] : null;
  for (let done = 0; done < latency; ) {
    if (aborted()) break;
    done += renderSlice(engine, pacer, recordedRoutes, done - latency, latency - done);
    if (pacer.sliceUsed()) await pause();
  }
  // Only kept frames count: the preroll's audio is discarded.
  engine.clearNonFinite();
  if (aborted()) return trimmed(output, captures, recorded, compiled, 0, false);

  let rendered = 0;
  /** Kept frames already handed to onChunk; the results hold the frames after them. */
  let delivered = 0;
  const deliver = async () => {
    if (onChunk === undefined || rendered === delivered) return;
    const piece = (channels: Float32Array[]) =>
      channels.map((channel) => channel.subarray(0, rendered - delivered));
    const pieceCaptures = new Map<string, Float32Array[]>();
    for (const [name, route] of captures) pieceCaptures.set(name, piece(route.channels));
    await onChunk({
      offset: delivered,
      frames: rendered - delivered,
      output: piece(output.channels),
      captures: pieceCaptures,
      captureChannels,
    });
    delivered = rendered;
    hooks.afterYield?.();
    pacer.resume();
  };
  let nextReport = Math.min(job.frames, hooks.progressIntervalFrames);
  while (rendered < job.frames) {
    if (aborted()) break;
    if (rendered - delivered === resultFrames) {
      await deliver();
      continue; // the piece's consumer may have cancelled
    }
    // A slice ends early at the next progress report, so reports keep their cadence, and (streaming)
    // where the piece is full.
    const room = resultFrames - (rendered - delivered);
    rendered += renderSlice(
      engine,
      pacer,
      routes,
      rendered - delivered,
      Math.min(nextReport - rendered, room),
    );
    if (rendered >= nextReport) {
      hooks.onProgress?.(rendered);
      nextReport = Math.min(job.frames, nextReport + hooks.progressIntervalFrames);
    }
    if (rendered < job.frames && pacer.sliceUsed()) await pause();
  }
  if (onChunk !== undefined) {
    // A cancelled render still delivers what it rendered.
    await deliver();
    return {
      ...trimmed(output, captures, recorded, compiled, 0, false),
      frames: rendered,
      complete: rendered === job.frames,
    };
  }
  return trimmed(output, captures, recorded, compiled, rendered, rendered === job.frames);
}

/**
 * Renders `frames` frames of the prepared graph into `out` (arrays at least that long), with the
 * channel mapping above, in one go (no yields: for benchmarks and synchronous tests). No allocation
 * per chunk. `now` is the clock that paces it (default performance.now()).
 * @example
 * const out = [new Float32Array(48000), new Float32Array(48000)];
 * renderOffline(engine, 48000, out);
 */
export function renderOffline(
  engine: WasmEngine,
  frames: number,
  out: Float32Array[],
  now: () => number = defaultClock,
): number {
  const routes = [new ChannelRoute(engine, out, audioSource(engine, null))];
  const pacer = new Pacer(now, engine.maxRenderFrames);
  let done = 0;
  while (done < frames) {
    done += renderSlice(engine, pacer, routes, done, frames - done);
    pacer.resume();
  }
  return done;
}

/**
 * Renders chunks until `frames` frames are done or the pacer's slice is used up; copies them into
 * `routes` at `offset` (null: the preroll, discarded). Returns the frames rendered (at least one chunk).
 */
function renderSlice(
  engine: WasmEngine,
  pacer: Pacer,
  routes: ChannelRoute[] | null,
  offset: number,
  frames: number,
): number {
  let done = 0;
  while (done < frames) {
    const n = renderChunk(engine, Math.min(pacer.chunkFrames, frames - done));
    if (routes !== null) {
      const first = routes[0] as ChannelRoute;
      if (engine.exports.memory.buffer !== first.memory || pacer.chunkFrames !== first.chunkFrames) {
        for (let i = 0; i < routes.length; i++) (routes[i] as ChannelRoute).refresh(pacer.chunkFrames);
      }
      // Indexed loops: no iterator objects in the per-chunk path.
      for (let i = 0; i < routes.length; i++) (routes[i] as ChannelRoute).copy(offset + done, n);
    }
    done += n;
    if (pacer.chunkDone()) break;
  }
  return done;
}

function renderChunk(engine: WasmEngine, frames: number): number {
  const rendered = engine.render(frames);
  if (rendered !== frames) {
    throw new WasmEngineError("E_NOT_PREPARED", `the engine rendered ${rendered} of ${frames} frames`);
  }
  return rendered;
}

/**
 * The loop's clock: when a slice is used up, and how long a chunk may be so that one chunk cannot
 * overrun a slice by much.
 *
 * It reads the clock about four times a slice rather than after every chunk: Node's
 * performance.now() allocates a little on each call, and a light graph renders thousands of chunks
 * a second. The first chunk is always timed, so a heavy graph is caught at once; a graph that gets
 * ten times heavier between two readings overruns its slice by about two and a half slices' worth.
 */
class Pacer {
  chunkFrames: number;
  private sliceStart: number;
  private lastReading: number;
  private chunksPerReading = 1;
  private chunksSinceReading = 0;

  constructor(
    private readonly now: () => number,
    maxChunkFrames: number,
  ) {
    this.chunkFrames = maxChunkFrames;
    this.sliceStart = this.lastReading = now();
  }

  /** After each chunk: true when the slice is used up and the loop should yield. */
  chunkDone(): boolean {
    if (++this.chunksSinceReading < this.chunksPerReading) return false;
    const now = this.now();
    const perChunk = (now - this.lastReading) / this.chunksSinceReading;
    this.lastReading = now;
    this.chunksSinceReading = 0;
    if (perChunk > YIELD_INTERVAL_MS / 2 && this.chunkFrames > MIN_CHUNK_FRAMES) {
      // Aim for chunks of a quarter slice: a power of two, so the engine's blocks still tile them.
      const fit = (this.chunkFrames * YIELD_INTERVAL_MS) / 4 / perChunk;
      this.chunkFrames = Math.max(MIN_CHUNK_FRAMES, 2 ** Math.floor(Math.log2(Math.max(1, fit))));
    }
    this.chunksPerReading = Math.max(1, Math.floor(YIELD_INTERVAL_MS / 4 / Math.max(perChunk, 1e-3)));
    return now - this.sliceStart >= YIELD_INTERVAL_MS;
  }

  /** Whether the slice was used up at the last reading (for slices that ended for other reasons). */
  sliceUsed(): boolean {
    return this.lastReading - this.sliceStart >= YIELD_INTERVAL_MS;
  }

  /** After a yield: a new slice starts now. */
  resume(): void {
    this.sliceStart = this.lastReading = this.now();
    this.chunksSinceReading = 0;
  }
}

function defaultClock(): number {
  return performance.now();
}

/**
 * One result (the output, or a capture): its preallocated channels and the engine staging buffers
 * they are copied from.
 */
class ChannelRoute {
  readonly channels: Float32Array[];
  /** Frames of a full chunk: the copies of this many frames use the cached views. */
  chunkFrames: number;
  /** The engine memory the views were made on (a grown memory detaches them). */
  memory: ArrayBufferLike;
  /** The source's own channels among the results: its channel count, within 1..channels.length. */
  readonly ownChannels: number;
  /** For each result channel, the engine channel it copies, or -1 for silence. */
  private readonly sourceChannel: number[];
  /** Staging views (maxRenderFrames long) of each engine channel, and their chunk-length views. */
  private sources: Float32Array[] = [];
  private chunkViews: Float32Array[] = [];

  /**
   * `channels` are the result arrays (long enough for the whole render); `source` is the engine
   * staging they copy: the output, a captured node's channels, or a node's recorded parameters.
   */
  constructor(
    private readonly engine: WasmEngine,
    channels: Float32Array[],
    private readonly source: StagingSource,
    /** Frames the results are written further on than the kept frames' offsets (recorded parameters). */
    private readonly shift = 0,
  ) {
    this.channels = channels;
    this.chunkFrames = engine.maxRenderFrames;
    this.memory = engine.exports.memory.buffer;
    const engineChannels = source.channels;
    this.ownChannels = Math.max(1, Math.min(engineChannels, channels.length));
    this.sourceChannel = this.channels.map((_, channel) => {
      if (channel < engineChannels) return channel;
      return engineChannels === 1 ? 0 : -1;
    });
    this.refresh(this.chunkFrames);
  }

  /**
   * Rebuilds the staging views for chunks of `chunkFrames` (after the engine's memory grew, which
   * detaches the old ones, or the loop shortened its chunks).
   */
  refresh(chunkFrames: number): void {
    this.chunkFrames = chunkFrames;
    this.memory = this.engine.exports.memory.buffer;
    const used = Math.max(-1, ...this.sourceChannel) + 1;
    this.sources = [];
    for (let channel = 0; channel < used; channel++) this.sources.push(this.source.view(channel));
    this.chunkViews = this.sources.map((source) => source.subarray(0, chunkFrames));
  }

  /** Copies `frames` rendered frames into the results at `offset`. */
  copy(offset: number, frames: number): void {
    const whole = frames === this.chunkFrames;
    for (let channel = 0; channel < this.channels.length; channel++) {
      const source = this.sourceChannel[channel] as number;
      if (source < 0) continue;
      // A full chunk uses the cached view; only a slice's last, shorter chunk makes a new one.
      const view = whole
        ? (this.chunkViews[source] as Float32Array)
        : (this.sources[source] as Float32Array).subarray(0, frames);
      (this.channels[channel] as Float32Array).set(view, offset + this.shift);
    }
  }

  /** The non-finite samples the engine replaced on this route since its counts were cleared. */
  nonFinite(): NonFiniteCount {
    return this.source.nonFinite();
  }
}

/** Engine staging buffers a route copies from (maxRenderFrames long each, valid after a render). */
interface StagingSource {
  /** How many the engine has. */
  channels: number;
  view(channel: number): Float32Array;
  nonFinite(): NonFiniteCount;
}

/** The engine's output (node null) or a captured node's output. */
function audioSource(engine: WasmEngine, node: number | null): StagingSource {
  const counted = node ?? -1;
  return {
    channels: node === null ? engine.outputChannels : Math.max(0, engine.nodeOutputChannels(node)),
    view: (channel) => (node === null ? engine.outputChannel(channel) : engine.captureChannel(node, channel)),
    nonFinite: () => ({
      samples: engine.nonFiniteSamples(counted),
      firstFrame: engine.nonFiniteFirstFrame(counted),
    }),
  };
}

/** A recording node's parameters, one "channel" each (parameters are clamped: always finite). */
function parameterSource(engine: WasmEngine, node: number, parameters: number): StagingSource {
  return {
    channels: parameters,
    view: (param) => engine.parameterRecord(node, param),
    nonFinite: () => ({ ...NO_NON_FINITE }),
  };
}

function trimmed(
  output: ChannelRoute,
  captures: ReadonlyMap<string, ChannelRoute>,
  recorded: ReadonlyMap<string, ChannelRoute>,
  compiled: CompiledGraph,
  frames: number,
  complete: boolean,
): RenderJobOutput {
  // A partial render keeps copies of its first frames, so the full-length arrays can be collected.
  const keep = (channels: Float32Array[]) =>
    complete ? channels : channels.map((channel) => channel.slice(0, frames));
  const kept = new Map<string, Float32Array[]>();
  const counts = new Map<string, NonFiniteCount>();
  for (const [name, route] of captures) {
    kept.set(name, keep(route.channels));
    counts.set(name, route.nonFinite());
  }
  const parameters = new Map<string, Map<string, Float32Array>>();
  for (const [name, { params }] of compiled.recorded) {
    const route = recorded.get(name);
    // Longer than the kept frames by the latency (see runRenderJob): always cut to them.
    const values = route === undefined ? [] : route.channels.map((channel) => channel.slice(0, frames));
    parameters.set(name, new Map(params.map((id, param) => [id, values[param] ?? new Float32Array(0)])));
  }
  return {
    frames,
    complete,
    output: keep(output.channels),
    captures: kept,
    parameters,
    nonFinite: { output: output.nonFinite(), captures: counts },
  };
}

const NO_NON_FINITE: NonFiniteCount = { samples: 0, firstFrame: -1 };

function emptyOutput(job: RenderJob): RenderJobOutput {
  const silence = () => Array.from({ length: job.channels }, () => new Float32Array(0));
  const captures = new Map<string, Float32Array[]>();
  const counts = new Map<string, NonFiniteCount>();
  for (const name of job.compiled.captures.keys()) {
    captures.set(name, silence());
    counts.set(name, { ...NO_NON_FINITE });
  }
  const parameters = new Map<string, Map<string, Float32Array>>();
  for (const [name, { params }] of job.compiled.recorded) {
    parameters.set(name, new Map(params.map((id) => [id, new Float32Array(0)])));
  }
  return {
    frames: 0,
    complete: job.frames === 0,
    output: silence(),
    captures,
    parameters,
    nonFinite: { output: { ...NO_NON_FINITE }, captures: counts },
  };
}

/**
 * Resolves on a later turn of the event loop, behind the tasks already queued (a cancel, a close):
 * setImmediate in Node, a message to itself elsewhere. Not setTimeout(0): browsers clamp nested
 * timeouts to 4 ms, which every 10 ms slice would pay.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === "function") setImmediate(resolve);
    else selfMessages().post(resolve);
  });
}

/** One MessageChannel per thread, made on first use, that resumes its callers in order. */
let channel: { post(resume: () => void): void } | null = null;

function selfMessages(): { post(resume: () => void): void } {
  if (channel !== null) return channel;
  const { port1, port2 } = new MessageChannel();
  const waiting: (() => void)[] = [];
  port1.onmessage = () => waiting.shift()?.();
  channel = {
    post(resume) {
      waiting.push(resume);
      port2.postMessage(null);
    },
  };
  return channel;
}
