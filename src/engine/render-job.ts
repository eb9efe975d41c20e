/**
 * Runs a compiled graph on one engine, as fast as it goes, into result arrays: the in-process host's
 * render loop for a RenderRequest (preroll, start position, captures, progress, cancellation); the
 * Worker host runs the same code.
 *
 * The loop allocates nothing per chunk: result arrays are allocated once at their full length, each
 * chunk is copied with TypedArray.set from views of the engine's staging buffers made before the loop
 * (the views are rebuilt only if the engine's memory grew, which rendering itself never does), and
 * the only per-chunk work besides the engine call is that copy. With `onChunk` the result arrays are
 * one piece long (about a progress interval) and are handed over and refilled piece by piece: one
 * render, so every processor's state carries across pieces exactly as in a whole render.
 *
 * `renderOffline` is the same loop without a RenderRequest around it (benchmarks and tests time and
 * use it), so what the benchmarks measure is the copy and mapping every render runs.
 *
 * Channel mapping, for the main output and for every capture alike: engine channel c goes to result
 * channel c; a mono source fills every result channel; result channels the source lacks stay silent,
 * and source channels beyond the request's count are dropped.
 */
import type { CompiledGraph } from "./graph-compiler";
import { applyGraphProgram } from "./graph-program";
import { type WasmEngine, WasmEngineError } from "./wasm-engine";

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
  /** Stops the render between chunks; the output then holds the frames rendered so far. */
  signal?: AbortSignal;
  /** Called with the kept frames rendered so far, every `progressIntervalFrames` and at the end. */
  onProgress?: (framesRendered: number) => void;
  /** Kept frames between progress reports; the loop also yields to the event loop there. */
  progressIntervalFrames: number;
  /** Called after each yield; throwing ends the render (the client closed meanwhile). */
  afterYield?: () => void;
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
}

export interface RenderJobOutput {
  /** Kept frames rendered: job.frames when complete, fewer when the signal stopped it. */
  frames: number;
  complete: boolean;
  /** job.channels arrays of `frames` frames. */
  output: Float32Array[];
  /** Each captured node's job.channels arrays of `frames` frames, by name. */
  captures: Map<string, Float32Array[]>;
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
  const chunkFrames = engine.maxRenderFrames;
  const { onChunk } = hooks;
  // Streaming keeps one piece: whole engine chunks of about a progress interval.
  const resultFrames =
    onChunk === undefined
      ? job.frames
      : Math.min(
          job.frames,
          Math.ceil(Math.max(1, hooks.progressIntervalFrames) / chunkFrames) * chunkFrames,
        );
  const results = () => Array.from({ length: job.channels }, () => new Float32Array(resultFrames));
  const output = new ChannelRoute(
    engine,
    results(),
    outputFromEngine ? null : engineNode(compiled.outputNode),
  );
  routes.push(output);
  const captures = new Map<string, ChannelRoute>();
  for (const [name, programIndex] of compiled.captures) {
    const route = new ChannelRoute(engine, results(), engineNode(programIndex));
    captures.set(name, route);
    routes.push(route);
  }

  engine.seek(job.startFrame - job.prerollFrames);
  for (let left = job.prerollFrames; left > 0; ) {
    if (aborted()) return trimmed(output, captures, 0, false);
    left -= renderChunk(engine, Math.min(chunkFrames, left));
  }

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
    });
    delivered = rendered;
    hooks.afterYield?.();
  };
  let nextReport = Math.min(job.frames, hooks.progressIntervalFrames);
  let memory = engine.exports.memory.buffer;
  while (rendered < job.frames) {
    if (aborted()) break;
    const want = Math.min(chunkFrames, job.frames - rendered);
    if (rendered - delivered + want > resultFrames) await deliver();
    const frames = renderChunk(engine, want);
    if (engine.exports.memory.buffer !== memory) {
      memory = engine.exports.memory.buffer;
      for (let i = 0; i < routes.length; i++) (routes[i] as ChannelRoute).refreshSources();
    }
    // Indexed loops: no iterator objects in the per-chunk path.
    for (let i = 0; i < routes.length; i++) (routes[i] as ChannelRoute).copy(rendered - delivered, frames);
    rendered += frames;
    if (rendered >= nextReport) {
      hooks.onProgress?.(rendered);
      nextReport = Math.min(job.frames, nextReport + hooks.progressIntervalFrames);
      if (rendered < job.frames) {
        // Let an AbortSignal, a close() or other callers in while a long render runs.
        await yieldToEventLoop();
        hooks.afterYield?.();
      }
    }
  }
  if (onChunk !== undefined) {
    // A cancelled render still delivers what it rendered.
    await deliver();
    return { ...emptyOutput(job), frames: rendered, complete: rendered === job.frames };
  }
  return trimmed(output, captures, rendered, rendered === job.frames);
}

/**
 * Renders `frames` frames of the prepared graph into `out` (arrays at least that long), with the
 * channel mapping above. Returns the frames rendered: fewer when `shouldStop`, asked before each
 * chunk with the frames done so far, returned true. No allocation per chunk.
 * @example
 * const out = [new Float32Array(48000), new Float32Array(48000)];
 * renderOffline(engine, 48000, out);
 */
export function renderOffline(
  engine: WasmEngine,
  frames: number,
  out: Float32Array[],
  shouldStop?: (framesDone: number) => boolean,
): number {
  const route = new ChannelRoute(engine, out, null);
  let done = 0;
  while (done < frames) {
    if (shouldStop?.(done)) break;
    const n = renderChunk(engine, Math.min(engine.maxRenderFrames, frames - done));
    route.copy(done, n);
    done += n;
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
 * One result (the output, or a capture): its preallocated channels and the engine staging buffers
 * they are copied from.
 */
class ChannelRoute {
  readonly channels: Float32Array[];
  /** For each result channel, the engine channel it copies, or -1 for silence. */
  private readonly sourceChannel: number[];
  /** Staging views (maxRenderFrames long) of each engine channel, and their first-chunk-length views. */
  private sources: Float32Array[] = [];
  private chunkViews: Float32Array[] = [];
  /** Frames of a full chunk (the engine's staging length). */
  private readonly chunkFrames: number;

  /**
   * `channels` are the result arrays (long enough for the whole render); `node` is the engine node
   * whose capture to read, or null for the engine's output.
   */
  constructor(
    private readonly engine: WasmEngine,
    channels: Float32Array[],
    private readonly node: number | null,
  ) {
    this.channels = channels;
    this.chunkFrames = engine.maxRenderFrames;
    const engineChannels =
      node === null ? engine.outputChannels : Math.max(0, engine.nodeOutputChannels(node));
    this.sourceChannel = this.channels.map((_, channel) => {
      if (channel < engineChannels) return channel;
      return engineChannels === 1 ? 0 : -1;
    });
    this.refreshSources();
  }

  /** Rebuilds the staging views (after the engine's memory grew, which detaches the old ones). */
  refreshSources(): void {
    const used = Math.max(-1, ...this.sourceChannel) + 1;
    this.sources = [];
    for (let channel = 0; channel < used; channel++) {
      this.sources.push(
        this.node === null
          ? this.engine.outputChannel(channel)
          : this.engine.captureChannel(this.node, channel),
      );
    }
    this.chunkViews = this.sources.map((source) => source.subarray(0, this.chunkFrames));
  }

  /** Copies `frames` rendered frames into the results at `offset`. */
  copy(offset: number, frames: number): void {
    const whole = frames === this.chunkFrames;
    for (let channel = 0; channel < this.channels.length; channel++) {
      const source = this.sourceChannel[channel] as number;
      if (source < 0) continue;
      // A full chunk uses the cached view; only the last, shorter chunk of a render makes a new one.
      const view = whole
        ? (this.chunkViews[source] as Float32Array)
        : (this.sources[source] as Float32Array).subarray(0, frames);
      (this.channels[channel] as Float32Array).set(view, offset);
    }
  }
}

function trimmed(
  output: ChannelRoute,
  captures: ReadonlyMap<string, ChannelRoute>,
  frames: number,
  complete: boolean,
): RenderJobOutput {
  // A partial render keeps copies of its first frames, so the full-length arrays can be collected.
  const keep = (channels: Float32Array[]) =>
    complete ? channels : channels.map((channel) => channel.slice(0, frames));
  const kept = new Map<string, Float32Array[]>();
  for (const [name, route] of captures) kept.set(name, keep(route.channels));
  return { frames, complete, output: keep(output.channels), captures: kept };
}

function emptyOutput(job: RenderJob): RenderJobOutput {
  const silence = () => Array.from({ length: job.channels }, () => new Float32Array(0));
  const captures = new Map<string, Float32Array[]>();
  for (const name of job.compiled.captures.keys()) captures.set(name, silence());
  return { frames: 0, complete: job.frames === 0, output: silence(), captures };
}

/** Resolves on a later turn of the event loop (setImmediate in Node: no 1 ms timer clamp). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === "function") setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
