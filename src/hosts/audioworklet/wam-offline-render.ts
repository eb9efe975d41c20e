/**
 * Offline renders of graphs with WAM nodes (main thread, docs/wam.md "Hosting"): the graph is
 * partitioned into engine stages around its WAMs, the stages compiled by the engine Worker, and all of
 * it built in an OfflineAudioContext: stage EngineProcessors playing their programs from frame 0, each
 * WAM created with its state, every event scheduled before rendering. The render then runs in steps
 * (suspend, let the main thread deliver what main-thread plugins need, resume), and the output is
 * trimmed by the WAM path's compensation delay.
 */

import * as z from "zod";
import { CONTRACT_VERSION } from "../../contracts/common";
import { EngineError } from "../../contracts/errors";
import {
  checkRenderRequest,
  type RenderRequestInput,
  RenderRequestSchema,
  type RenderResult,
  renderFrameCount,
} from "../../contracts/render";
import { parseContract } from "../../contracts/validate";
import type { CompiledStage } from "../../protocol/main-worker";
import type { WamLoadPolicy } from "../../wam/load-wam";
import { partitionGraph } from "../../wam/partition";
import type { EngineAssets } from "../assets/engine-assets";
import { MAX_MERGED_CHANNELS, mergeSignals } from "./signal-merger";
import { type BuiltWamGraph, buildWamGraph, capturedNodes, scheduleWamEvents, wamsReady } from "./wam-graph";
import { wamGraphPlayedMidi } from "./wam-played-midi";
import { type WamAutomationHost, wamGraphAutomation } from "./wam-recorded-automation";
import { yieldTask } from "./yield-task";

/** Frames rendered past the end for WAM latency before the latency is known (re-rendered if more). */
const LATENCY_ALLOWANCE_FRAMES = 16_384;

const QUANTUM = 128;

/** Channels an OfflineAudioContext (and a ChannelMergerNode) has at most. */
const MAX_CONTEXT_CHANNELS = MAX_MERGED_CHANNELS;

/** RenderRequest.extensions.wam: how to render WAMs offline. */
export const WamRenderOptionsSchema = z
  .strictObject({
    step_frames: z
      .int()
      .min(0)
      .max(1 << 20)
      .default(128)
      .describe(
        "Suspend the OfflineAudioContext every this many frames so main-thread plugins can act; 0: never. Default 128.",
      ),
    ready_wait_ms: z
      .number()
      .min(0)
      .max(10_000)
      .default(0)
      .describe(
        "Wall-clock wait after the plugins are built, for those with no ready signal (modal). Default 0.",
      ),
  })
  .default({ step_frames: 128, ready_wait_ms: 0 });

export interface WamOfflineHost extends WamAutomationHost {
  compileStages(
    graphs: RenderRequestInput["node_graph"][],
    sampleRate: number,
    root: string,
  ): Promise<CompiledStage[]>;
  uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<string>;
  assets: EngineAssets;
  /** Where plugin modules may load from (the client's options.wamPolicy; src/wam/load-wam.ts). */
  policy?: WamLoadPolicy;
}

/**
 * Renders `input` (a request whose graph has WAM nodes) in an OfflineAudioContext.
 */
export async function renderWithWams(input: RenderRequestInput, host: WamOfflineHost): Promise<RenderResult> {
  const started = performance.now();
  const request = parseContract(RenderRequestSchema, input);
  checkRenderRequest(request);
  const options = parseContract(WamRenderOptionsSchema, request.extensions.wam, "extensions.wam");
  if ((request.start_position_seconds ?? 0) !== 0 || request.options.preroll !== 0) {
    throw new EngineError(
      "E_SCHEMA",
      "a graph with WAM nodes renders from position 0 without preroll (its plugins start from their state)",
      (request.start_position_seconds ?? 0) !== 0 ? "start_position_seconds" : "options.preroll",
    );
  }
  // record_midi is made from the graph (wam-played-midi.ts), record_automation from the values the
  // engine nodes and plugins are given (wam-recorded-automation.ts).
  const captures = capturedNodes(request);
  if ((1 + captures.length) * request.channels > MAX_CONTEXT_CHANNELS) {
    const fit = Math.max(0, Math.floor(MAX_CONTEXT_CHANNELS / request.channels) - 1);
    throw new EngineError(
      "E_SCHEMA",
      `a graph with WAM nodes records its output and captures as ${request.channels} channels each in one OfflineAudioContext of at most ${MAX_CONTEXT_CHANNELS} channels: ${fit} captures fit, so ${captures
        .slice(fit)
        .map((name) => `"${name}"`)
        .join(", ")} cannot be recorded (render them in another request)`,
      "options.capture",
    );
  }
  const plan = partitionGraph(request.node_graph, "node_graph", captures);
  const frames = renderFrameCount(request);
  let allowance = LATENCY_ALLOWANCE_FRAMES;
  for (;;) {
    const context = new OfflineAudioContext({
      numberOfChannels: request.channels * (1 + captures.length),
      length: frames + allowance,
      sampleRate: request.sample_rate,
    });
    const built = await buildWamGraph(context, {
      graph: request.node_graph,
      plan,
      compile: (graphs) => host.compileStages(graphs, request.sample_rate, "node_graph"),
      assets: host.assets,
      ...(host.policy ? { policy: host.policy } : {}),
      root: "node_graph",
    });
    const latest = Math.max(built.latencyFrames, ...built.captures.map((capture) => capture.latencyFrames));
    if (latest > allowance) {
      // Rare: a plugin reports more latency than the allowance; build again with room for it.
      built.dispose();
      allowance = latest;
      continue;
    }
    const rendered = await renderBuilt(context, built, options, request.channels);
    // A processor error is reported to the main thread as an event: let those of the last quanta arrive.
    for (let i = 0; i < 4; i++) await yieldTask();
    const latency = built.latencyFrames;
    // Source i (the output, then each capture) is context channels [i * channels, (i + 1) * channels),
    // each trimmed by its own path's latency, so frame 0 of every one is the timeline's frame 0.
    const take = (source: number, late: number): Float32Array[] =>
      Array.from({ length: request.channels }, (_, c) =>
        rendered.getChannelData(source * request.channels + c).slice(late, late + frames),
      );
    const channels = take(0, latency);
    const captured = built.captures.map((capture, i) => ({
      name: capture.name,
      channels: take(i + 1, capture.latencyFrames),
    }));
    let nonFinite = 0;
    for (const channel of [channels, ...captured.map((capture) => capture.channels)].flat()) {
      for (let i = 0; i < channel.length; i++) {
        if (!Number.isFinite(channel[i] as number)) {
          channel[i] = 0;
          nonFinite++;
        }
      }
    }
    built.dispose();
    const automation = await wamGraphAutomation(request, built.wams, frames, host);
    const handle = await host.uploadBuffer(channels, request.sample_rate);
    const stems: Record<string, string> = {};
    for (const capture of captured)
      stems[capture.name] = await host.uploadBuffer(capture.channels, request.sample_rate);
    return {
      version: CONTRACT_VERSION,
      request_id: request.request_id,
      status: "ok",
      error: null,
      buffer_handle: handle,
      frames,
      processing_time_ms: performance.now() - started,
      extensions: {
        ...(captured.length > 0 ? { captures: stems } : {}),
        ...(wamGraphPlayedMidi(request, 0, frames) ?? {}),
        ...(automation ?? {}),
        wam: {
          stages: plan.stages.length,
          plugins: built.wams.length,
          latency_frames: latency,
          step_frames: options.step_frames,
          // Plugins whose processor threw: they played silence from then on, the rest played on.
          errors: built.faults.map((fault) => ({ ...fault })),
          non_finite_samples: nonFinite,
        },
      },
    };
  }
}

/**
 * Connects the output and each capture (source i) to context channels [i × channels, (i + 1) × channels),
 * each mapped onto the request's channels as the engine maps a node's (signal-merger.ts).
 */
function connectSources(context: OfflineAudioContext, built: BuiltWamGraph, channels: number): void {
  const sources = [built.output, ...built.captures].map((source) => ({ ...source, slots: channels }));
  mergeSignals(context, sources).merger.connect(context.destination);
}

/**
 * Schedules every event, waits until the plugins have them (and the readiness wait), then renders,
 * suspending every `step_frames` frames so the main thread can run between steps.
 */
async function renderBuilt(
  context: OfflineAudioContext,
  built: BuiltWamGraph,
  options: z.output<typeof WamRenderOptionsSchema>,
  channels: number,
): Promise<AudioBuffer> {
  connectSources(context, built, channels);
  scheduleWamEvents(built, context.sampleRate);
  await wamsReady(built);
  if (options.ready_wait_ms > 0) await new Promise((resolve) => setTimeout(resolve, options.ready_wait_ms));
  // Web Audio suspends on quantum boundaries only.
  const step = Math.ceil(options.step_frames / QUANTUM) * QUANTUM;
  if (step > 0 && built.wams.length > 0) {
    // Suspensions must be set before rendering reaches them; each one sets the next.
    const suspendAt = (frame: number): void => {
      if (frame >= context.length) return;
      void context.suspend(frame / context.sampleRate).then(async () => {
        // One task: messages the plugins' processors posted meanwhile are handled first.
        await yieldTask();
        suspendAt(frame + step);
        await context.resume();
      });
    };
    suspendAt(step);
  }
  return context.startRendering();
}
