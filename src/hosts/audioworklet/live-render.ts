/**
 * A live render (RenderRequest options.offline = false) on the AudioWorklet host, engine Worker side:
 * the worklet plays the request's graph from its start position, and the same things as an offline
 * render come back (docs/realtime.md, "Rendering in real time"): the output with the request's
 * channel count, a stem for every node captured (options.capture and capture: true), the preroll
 * played and dropped, the non-finite policy applied.
 *
 * The steps, each answered by the worklet between two quanta (live-render-session.ts):
 * 1. hold: the transport as it is is kept; it pauses and its loop goes off (a render never wraps);
 * 2. the request's graph (with its captures marked) is loaded, unless it is the graph playing;
 * 3. arm: a LiveCaptureTap on the output, the captured nodes and the recorded parameters
 *    (record_automation: the graph is loaded with them recorded), a seek to the start less the
 *    preroll, play; the tap pauses the transport on the capture's last frame; with record_midi the
 *    worklet's MIDI recorder runs meanwhile (the live messages sent during the render);
 * 4. the graph that played before is loaded again (when the render replaced it);
 * 5. release: the held transport is put back (position, beats, loop, playing or not).
 * The audio comes through a ring made for this render (shared memory, or the MessagePort twin on
 * pages without cross-origin isolation), drained here when the worklet rings the doorbell.
 */
import type { RenderProgress } from "../../api/engine-client";
import type { RecordedMidiEvent } from "../../api/midi-recording";
import { EngineError } from "../../contracts/errors";
import type { GraphDescriptor } from "../../contracts/graph-descriptor";
import { type NonFiniteCounts, nonFiniteReport } from "../../contracts/non-finite";
import {
  checkRenderRequest,
  type RenderRequest,
  type RenderRequestInput,
  RenderRequestSchema,
  type RenderResult,
  renderFrameCount,
} from "../../contracts/render";
import { formatPath, parseContract } from "../../contracts/validate";
import { createDataPlane } from "../../dataplane/data-plane";
import type { RecordedNode } from "../../engine/graph-compiler";
import { automationBlockFrames } from "../../engine/recorded-automation";
import type { HeldTransport, WorkletToWorkerMessage } from "../../protocol/worklet-to-worker";
import { nonFiniteFailure, renderResult } from "../in-process/render-outcome";
import { LiveCaptureReader } from "./live-capture-reader";
import {
  liveAutomationExtensions,
  liveMidiExtensions,
  recordedParameterSources,
  WAM_LIVE_PARAMETERS,
  WAM_LIVE_RECORDS,
  type WamLiveRecords,
  wamParameterChangesIn,
} from "./live-render-records";
import type { RecordedParameterChange } from "./midi-record-reader";
import type { LoadedSources, WorkletDriver } from "./worklet-driver";

/** Frames of a processing block in the worklet: a render quantum (record_automation's "block"). */
const QUANTUM_FRAMES = 128;

/** A capture with no new frame for this long (beyond its preroll) gives up with what it has. */
const STALL_MS = 3000;
/** The ring holds this long of every source's channels (the Worker drains it every quantum or so). */
const RING_SECONDS = 0.5;
/** ... and at most this many floats (16 MiB), however many channels and captures. */
const RING_MAX_FLOATS = 1 << 22;

export interface LiveRenderHost {
  driver: WorkletDriver;
  /** The audio context's rate: a live render runs at it. */
  sampleRate: number;
  /** E_LIMIT when the results could not be kept (before anything plays). */
  ensureBufferRoom(bytes: number): void;
  /** Keeps a result under a handle. */
  uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<string>;
}

/** What a live render did to the graph the worklet played (RenderResult.extensions.live_render). */
export type LiveGraphOutcome = "kept" | "restored" | "left_loaded";

/**
 * Plays `input` through the worklet and returns what an offline render of it returns. Rejects as an
 * offline render does (E_SCHEMA, E_UNKNOWN_NODE at options.capture[i], E_LIMIT), and with E_SCHEMA at
 * sample_rate when it is not the context's; a fault while playing is status error.
 */
export async function renderLive(
  host: LiveRenderHost,
  input: RenderRequestInput,
  signal: AbortSignal,
  onProgress?: (progress: RenderProgress) => void,
): Promise<RenderResult> {
  const { driver } = host;
  const request = parseContract(RenderRequestSchema, input);
  checkRenderRequest(request);
  if (request.sample_rate !== host.sampleRate) {
    throw new EngineError(
      "E_SCHEMA",
      `must be ${host.sampleRate}: a real-time render runs at the audio context's rate`,
      "sample_rate",
    );
  }
  const graph = graphWithCaptures(request);
  const captureNames = graph.nodes.filter((node) => node.capture).map((node) => node.name);
  const frames = renderFrameCount(request);
  const recordNodes = request.options.record_automation?.nodes;
  const wamRecords = request.extensions[WAM_LIVE_RECORDS] as WamLiveRecords | undefined;
  const midiNodes = request.options.record_midi?.nodes ?? wamRecords?.record_midi;
  // WAM nodes whose parameter changes are recorded: the MIDI recorder carries them (midi-record-tap.ts).
  const wamParameterNodes = wamRecords?.wam_parameters ?? [];
  const recordsLive = midiNodes !== undefined || wamParameterNodes.length > 0;
  const automationAsked = request.options.record_automation ?? wamRecords?.record_automation;
  // The results are kept under handles at the end: refuse now rather than after playing them (the
  // recorded parameters are counted once the graph is loaded and their number known).
  host.ensureBufferRoom(4 * frames * request.channels * (1 + captureNames.length));
  const started = performance.now();
  driver.throwIfFaulted();
  const startFrame = driver.frameAt(request.start_position_seconds ?? 0);
  // As offline: nothing plays before the timeline's zero, so a preroll never reaches before it.
  const skipFrames = Math.min(startFrame, Math.round(request.options.preroll * host.sampleRate));

  await converse(driver, { type: "live-hold" }, "live-held");
  let outcome: LiveGraphOutcome = "kept";
  let leadFrames = 0;
  let latencyFrames = 0;
  let restoreError: string | null = null;
  let capture: LiveCapture;
  let after: HeldTransport;
  let loaded: LoadedSources | null = null;
  let stageRecorded: { name: string; node: RecordedNode }[] = [];
  let liveMidi: RecordedMidiEvent[] = [];
  let liveParameters: RecordedParameterChange[] = [];
  let lostMidi = 0;
  try {
    const previous = driver.loadedGraph;
    if (JSON.stringify(previous) !== JSON.stringify(graph) || !recordsExactly(driver, recordNodes)) {
      await driver.load(graph, "node_graph", { recordAutomation: recordNodes });
      outcome = previous === null ? "left_loaded" : "restored";
    }
    try {
      latencyFrames = driver.loadedLatencyFrames;
      loaded = driver.loadedSources as LoadedSources;
      const recorded = [
        ...recordedParameterSources(loaded, recordNodes),
        // A real-time WAM graph's engine nodes, recorded by their stages.
        ...driver.stageRecordedSources(wamRecords?.record_automation?.nodes ?? []),
      ];
      stageRecorded = recorded;
      let parameters = 0;
      for (const { node } of recorded) parameters += node.params.length;
      host.ensureBufferRoom(4 * frames * parameters);
      // Parameters belong to the timeline, the audio is late by the graph's latency: the tap keeps
      // the latency's frames too when parameters are recorded, and the audio is read after them.
      leadFrames = recorded.length > 0 ? latencyFrames : 0;
      if (recordsLive) {
        await driver.startRenderMidi(
          midiNodes === undefined ? "options.record_automation" : "options.record_midi",
        );
      }
      try {
        capture = await captureLive(driver, request, {
          startFrame: startFrame - skipFrames,
          // The graph's latency is played and dropped with the preroll, as offline (render-job.ts):
          // frame 0 of the result is the start position.
          skipFrames: skipFrames + latencyFrames - leadFrames,
          frames: frames + leadFrames,
          captureNames,
          leadFrames,
          parameterSources: recorded.map((source) => ({
            node: source.node.index,
            params: source.node.params.length,
            ...("stage" in source ? { stage: source.stage } : {}),
          })),
          signal,
          onFrames: (done) =>
            onProgress?.({
              request_id: request.request_id,
              frames_rendered: Math.max(0, done - leadFrames),
              frames_total: frames,
            }),
        });
      } finally {
        // Before a restore: the recorder names each message's node in the render's graph.
        if (recordsLive) {
          const take = await driver.stopRenderMidi();
          liveMidi = take.events;
          liveParameters = take.parameters;
          lostMidi = take.lost;
        }
      }
    } finally {
      if (outcome === "restored" && previous !== null) {
        await driver.load(previous, "node_graph").catch((error: unknown) => {
          restoreError = String((error as Error)?.message ?? error);
        });
      }
    }
  } finally {
    after = (await converse(driver, { type: "live-release" }, "live-released")).transport;
  }
  const live = {
    graph: restoreError === null ? outcome : "left_loaded",
    ...(restoreError === null ? {} : { graph_restore_error: restoreError }),
    transport: {
      position_seconds: after.positionFrames / host.sampleRate,
      running: after.running,
      loop: after.loopEnabled,
    },
  };
  if (capture.fault !== null) {
    const error = new EngineError(
      "E_RENDER",
      `the engine faulted while playing the render: ${capture.fault}`,
    );
    return renderResult(request, started, {
      status: "error",
      error: error.message,
      frames: 0,
      extensions: { lost_frames: capture.lostFrames, live_render: live },
    });
  }
  const report = nonFiniteReport(capture.nonFinite[0] ?? NONE, captureCounts(captureNames, capture));
  const failed = nonFiniteFailure(request, report);
  if (failed !== null) {
    return renderResult(request, started, {
      ...failed,
      extensions: { ...failed.extensions, lost_frames: capture.lostFrames, live_render: live },
    });
  }
  const { reader } = capture;
  const kept = Math.max(0, reader.framesRead - leadFrames);
  const upload = (channels: Float32Array[]) => host.uploadBuffer(channels, request.sample_rate);
  const output = await upload(reader.channelsOf(0, request.channels, kept, leadFrames));
  const captures: Record<string, string> = {};
  for (const [i, name] of captureNames.entries()) {
    const channels = reader.channelsOf(i + 1, request.channels, kept, leadFrames);
    Object.defineProperty(captures, name, {
      value: await host.uploadBuffer(channels, request.sample_rate),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const sources = loaded as LoadedSources;
  const automation =
    automationAsked === undefined
      ? null
      : await liveAutomationExtensions(
          reader,
          stageRecorded,
          1 + captureNames.length,
          kept,
          automationBlockFrames(
            { ...request, options: { ...request.options, record_automation: automationAsked } },
            QUANTUM_FRAMES,
          ),
          (channels) => upload(channels),
        );
  const midi = liveMidiExtensions(request, midiNodes, sources, liveMidi, startFrame, kept);
  const reason = capture.cancelled
    ? new EngineError("E_CANCELLED", `render cancelled after ${kept} of ${frames} frames`).message
    : capture.stalled
      ? "the transport stopped before the render's end (stalled capture)"
      : capture.lostFrames > 0
        ? `the capture ring overflowed: the render stopped after ${kept} of ${frames} frames`
        : lostMidi > 0
          ? `${lostMidi} live MIDI message${lostMidi === 1 ? "" : "s"} or WAM parameter change${lostMidi === 1 ? "" : "s"} played during the render could not be recorded (the MIDI recording ring was full): extensions.midi or extensions.automation lacks them`
          : null;
  return renderResult(request, started, {
    status: reason === null ? "ok" : "partial",
    error: reason,
    buffer_handle: output,
    frames: kept,
    extensions: {
      captures,
      lost_frames: capture.lostFrames,
      live_render: live,
      ...(report === null ? {} : { non_finite: report }),
      ...(latencyFrames === 0 ? {} : { latency_frames: latencyFrames }),
      ...(automation ?? {}),
      ...(midi ?? {}),
      ...(wamParameterNodes.length > 0
        ? {
            [WAM_LIVE_PARAMETERS]: wamParameterChangesIn(liveParameters, wamParameterNodes, startFrame, kept),
          }
        : {}),
    },
  });
}

/** True when the graph loaded records the parameters of exactly `nodes` (none when undefined). */
function recordsExactly(driver: WorkletDriver, nodes: readonly string[] | undefined): boolean {
  const recorded = driver.loadedSources?.recorded ?? new Map();
  const asked = new Set(nodes ?? []);
  return recorded.size === asked.size && [...asked].every((name) => recorded.has(name));
}

/**
 * The request's graph with `capture: true` on the nodes options.capture names (each must exist:
 * E_UNKNOWN_NODE at options.capture[i]), so the worklet's engine keeps their output.
 */
function graphWithCaptures(request: RenderRequest): GraphDescriptor {
  const graph = request.node_graph;
  const asked = new Set<string>();
  request.options.capture?.forEach((name, i) => {
    if (!graph.nodes.some((node) => node.name === name)) {
      throw new EngineError("E_UNKNOWN_NODE", `no node named "${name}"`, formatPath([i], "options.capture"));
    }
    asked.add(name);
  });
  if (asked.size === 0) return graph;
  return {
    ...graph,
    nodes: graph.nodes.map((node) => (asked.has(node.name) ? { ...node, capture: true } : node)),
  };
}

const NONE: NonFiniteCounts = { samples: 0, firstFrame: -1 };

function captureCounts(names: readonly string[], capture: LiveCapture): Map<string, NonFiniteCounts> {
  return new Map(names.map((name, i) => [name, capture.nonFinite[i + 1] ?? NONE]));
}

interface LiveCapture {
  reader: LiveCaptureReader;
  lostFrames: number;
  cancelled: boolean;
  stalled: boolean;
  fault: string | null;
  /** Per source (output, then captures): NaN or ±Infinity samples in the kept frames. */
  nonFinite: NonFiniteCounts[];
}

/** Arms the worklet's tap on the loaded graph and drains the ring until every frame is in. */
async function captureLive(
  driver: WorkletDriver,
  request: RenderRequest,
  options: {
    startFrame: number;
    skipFrames: number;
    frames: number;
    captureNames: readonly string[];
    /** Frames kept before the audio's first (a latent graph's, when parameters are recorded). */
    leadFrames: number;
    /** Recorded parameters carried after the audio (record_automation). */
    parameterSources: { node: number; params: number }[];
    signal: AbortSignal;
    onFrames(done: number): void;
  },
): Promise<LiveCapture> {
  const loaded = driver.loadedSources;
  if (loaded === null) throw new EngineError("E_INTERNAL", "no graph is loaded for the live render");
  const sources = [loaded.output, ...options.captureNames.map((name) => loaded.captures.get(name) ?? -1)];
  let parameters = 0;
  for (const source of options.parameterSources) parameters += source.params;
  const perFrame = request.channels * sources.length + parameters;
  const ringFrames = Math.max(
    1024,
    Math.min(Math.ceil(RING_SECONDS * driver.sampleRate), Math.floor(RING_MAX_FLOATS / perFrame)),
  );
  const plane = createDataPlane({ isolated: globalThis.crossOriginIsolated === true });
  // Over MessagePorts the worklet sends chunks of 8 quanta: few messages, drained steadily.
  const ring = plane.createRing(Float32Array, ringFrames * perFrame, {
    localRole: "consumer",
    chunkLength: 8 * 128 * perFrame,
  });
  let captured: Extract<WorkletToWorkerMessage, { type: "live-captured" }> | null = null;
  let onCaptured = () => {};
  const finished = new Promise<void>((resolve) => {
    onCaptured = resolve;
  });
  const ownChannels = await new Promise<number[]>((resolve) => {
    driver.converse(
      {
        type: "live-arm",
        startFrame: options.startFrame,
        skipFrames: options.skipFrames,
        frames: options.frames,
        sources,
        parameterSources: options.parameterSources,
        maxChannels: request.channels,
        ring: ring.remote,
      },
      (reply) => {
        if (reply.type === "live-armed") resolve(reply.ownChannels);
        if (reply.type !== "live-captured") return false;
        captured = reply;
        onCaptured();
        return true;
      },
      ring.transfer,
    );
  });
  const reader = new LiveCaptureReader(ownChannels, options.frames);
  const chunk = new Float32Array(Math.max(4096, 8 * 128 * reader.frameFloats));
  const drain = () => {
    for (;;) {
      const n = ring.local.pop(chunk);
      if (n === 0) return;
      reader.take(chunk, n);
      lastProgress = Date.now();
    }
  };
  const stallMs = STALL_MS + 1000 * (options.skipFrames / driver.sampleRate);
  let lastProgress = Date.now();
  let cancelled = false;
  let stalled = false;
  const end = () => captured as { frames: number; lost: number } | null;
  const complete = () => {
    const result = end();
    return result !== null && reader.framesRead >= result.frames;
  };
  while (!complete()) {
    if (options.signal.aborted) {
      cancelled = true;
      break;
    }
    if (driver.fault !== null) break;
    if (Date.now() - lastProgress > stallMs) {
      stalled = true;
      break;
    }
    // Once live-captured has arrived, the last frames may still be in flight on the ring's own port
    // (the MessagePort fallback): wait on the bell alone then (racing a settled promise would spin).
    await (end() === null
      ? Promise.race([driver.doorbell.waitForRingAsync(50), finished])
      : driver.doorbell.waitForRingAsync(10));
    drain();
    options.onFrames(reader.framesRead);
  }
  drain();
  const result = end();
  const counted = complete() && result !== null;
  const last = captured as Extract<WorkletToWorkerMessage, { type: "live-captured" }> | null;
  return {
    reader,
    lostFrames: result?.lost ?? 0,
    cancelled,
    stalled,
    fault: complete() ? null : driver.fault,
    // Counts exist once the capture ended; a first frame past the kept ones (the last quantum is
    // counted whole) is not in the render.
    nonFinite: sources.map((_, i) => {
      const samples = counted ? (last?.nonFiniteSamples[i] ?? 0) : 0;
      const ringFirst = counted ? (last?.nonFiniteFirstFrames[i] ?? -1) : -1;
      const first = ringFirst < 0 ? -1 : ringFirst - options.leadFrames;
      const kept = reader.framesRead - options.leadFrames;
      return samples > 0 && first >= 0 && first < kept ? { samples, firstFrame: first } : NONE;
    }),
  };
}

/** Sends a hold or release and resolves with its answer. */
function converse<T extends WorkletToWorkerMessage["type"]>(
  driver: WorkletDriver,
  message: { type: "live-hold" | "live-release" },
  answer: T,
): Promise<Extract<WorkletToWorkerMessage, { type: T }>> {
  return new Promise((resolve) => {
    driver.converse(message, (reply) => {
      if (reply.type !== answer) return false;
      resolve(reply as Extract<WorkletToWorkerMessage, { type: T }>);
      return true;
    });
  });
}
