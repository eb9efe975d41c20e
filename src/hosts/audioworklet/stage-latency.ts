/**
 * Latency compensation across a WAM graph's stages (docs/wam.md, "Latency compensation"): a WAM's
 * compensation delay makes every signal after it late, and a stage that reads such a signal beside
 * a dry one must align them where they meet, as the engine aligns parallel paths inside one graph
 * (src/engine/latency-compensation.ts).
 *
 * The stages are compiled in order. Each stage's input ports declare how late the signal they read
 * is (`extensions.latency_frames`, the signal's latency on the timeline); the stage's compiler then
 * treats a port as a latent node and delays the stage's shorter paths with its internal
 * `latency_delay`, exactly. What a stage's tap carries is as late as the tapped node's path latency
 * (CompiledStage.tapLatency), which the stages after it read in turn. A WAM's output is late by its
 * own compensation delay plus the latest of its inputs.
 *
 * The same order gives each input port its signal's channel count (`extensions.stage_channels`): a
 * tap carries the tapped node's channels (CompiledStage.tapChannels), a WAM its node's channelCount.
 *
 * Not aligned: several signals summed at one WAM's audio input (Web Audio sums the connections),
 * so a WAM should read one path (put a mixer before it).
 */
import type { GraphDescriptor } from "../../contracts/graph-descriptor";
import type { CompiledStage } from "../../protocol/main-worker";
import {
  type PartitionedGraph,
  type SignalSource,
  STAGE_CHANNELS,
  STAGE_INPUT_NODE_ID,
} from "../../wam/partition";

/** Compiles stage graphs in the engine Worker (null for a stage the caller builds itself). */
export type StageCompiler = (graphs: GraphDescriptor[]) => Promise<(CompiledStage | null)[]>;

export interface AlignedStages {
  /** The stage graphs as compiled: input ports carry their signal's latency and channel count. */
  graphs: GraphDescriptor[];
  programs: (CompiledStage | null)[];
  /** Frames the graph's output is late by: its signal's latency. */
  latencyFrames: number;
  /** Frames any signal of the plan is late by (a captured node's, for its trim). */
  latencyOf: (source: SignalSource) => number;
  /** Channels any signal of the plan carries (a stage output's, a WAM output's). */
  channelsOf: (source: SignalSource) => number;
}

/**
 * Compiles `plan`'s stages with their input ports' latencies and channel counts, given each WAM's
 * compensation delay (`wamLatency[w]`, frames) and output channels (`wamChannels[w]`, default 2).
 * One compile per stage, in order, when a signal crossing a stage is late or has other than the
 * ports' default two channels (a port reads what an earlier stage's tap carries, known once that
 * stage is compiled); one compile for all stages otherwise (nothing to align).
 * @example
 * // osc -> fx (300 frames) -> mix, osc -> mix: stage 1's port for fx declares 300 frames,
 * // so its compiler delays the port for osc by 300 frames before the mixer.
 * const { programs, latencyFrames } = await alignStages(plan, [300], compile); // latencyFrames 300
 */
export async function alignStages(
  plan: PartitionedGraph,
  wamLatency: readonly number[],
  compile: StageCompiler,
  wamChannels: readonly number[] = [],
): Promise<AlignedStages> {
  const first = await compile(plan.stages.map((stage) => stage.graph));
  const unaligned = signals(plan, wamLatency, wamChannels, first);
  const differs = plan.stages.some((stage) =>
    stage.inputs.some(
      (source) => unaligned.latency(source) > 0 || unaligned.channels(source) !== STAGE_CHANNELS,
    ),
  );
  if (!differs)
    return {
      graphs: plan.stages.map((s) => s.graph),
      programs: first,
      latencyFrames: unaligned.latency(plan.output),
      latencyOf: unaligned.latency,
      channelsOf: unaligned.channels,
    };
  // Stage s reads only earlier stages and WAMs fed by them: compile in order, each with its ports'
  // latencies and channel counts.
  const programs: (CompiledStage | null)[] = [];
  const graphs: GraphDescriptor[] = [];
  const aligned = signals(plan, wamLatency, wamChannels, programs);
  for (const stage of plan.stages) {
    const graph = withPorts(
      stage.graph,
      stage.inputs.map(aligned.latency),
      stage.inputs.map(aligned.channels),
    );
    graphs.push(graph);
    programs.push((await compile([graph]))[0] ?? null);
  }
  return {
    graphs,
    programs,
    latencyFrames: aligned.latency(plan.output),
    latencyOf: aligned.latency,
    channelsOf: aligned.channels,
  };
}

/** The latency and channels of each signal, from the stages compiled so far (`programs`, read when asked). */
function signals(
  plan: PartitionedGraph,
  wamLatency: readonly number[],
  wamChannels: readonly number[],
  programs: readonly (CompiledStage | null)[],
): { latency: (source: SignalSource) => number; channels: (source: SignalSource) => number } {
  const wams = new Map<number, number>();
  const latency = (source: SignalSource): number => {
    if (source.kind === "stage") return programs[source.stage]?.tapLatency[source.tap] ?? 0;
    const known = wams.get(source.wam);
    if (known !== undefined) return known;
    // partitionGraph refuses cycles through WAMs: this recursion ends.
    let upstream = 0;
    for (const input of plan.wams[source.wam]?.inputs ?? []) upstream = Math.max(upstream, latency(input));
    const frames = upstream + Math.max(0, Math.round(wamLatency[source.wam] ?? 0));
    wams.set(source.wam, frames);
    return frames;
  };
  const channels = (source: SignalSource): number =>
    source.kind === "stage"
      ? (programs[source.stage]?.tapChannels[source.tap] ?? STAGE_CHANNELS)
      : (wamChannels[source.wam] ?? STAGE_CHANNELS);
  return { latency, channels };
}

/**
 * `graph` with input port k declaring `latency[k]` frames (ports on time left so) and reading
 * `channels[k]` channels.
 */
function withPorts(
  graph: GraphDescriptor,
  latency: readonly number[],
  channels: readonly number[],
): GraphDescriptor {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      if (node.node_id !== STAGE_INPUT_NODE_ID) return node;
      const k = Number(node.extensions.stage_port ?? 0);
      const frames = latency[k] ?? 0;
      return {
        ...node,
        extensions: {
          ...node.extensions,
          ...(frames > 0 ? { latency_frames: frames } : {}),
          stage_channels: channels[k] ?? STAGE_CHANNELS,
        },
      };
    }),
  };
}
