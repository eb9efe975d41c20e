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
 * Not aligned: several signals summed at one WAM's audio input (Web Audio sums the connections),
 * so a WAM should read one path (put a mixer before it).
 */
import type { GraphDescriptor } from "../../contracts/graph-descriptor";
import type { CompiledStage } from "../../protocol/main-worker";
import { type PartitionedGraph, type SignalSource, STAGE_INPUT_NODE_ID } from "../../wam/partition";

/** Compiles stage graphs in the engine Worker (null for a stage the caller builds itself). */
export type StageCompiler = (graphs: GraphDescriptor[]) => Promise<(CompiledStage | null)[]>;

export interface AlignedStages {
  /** The stage graphs as compiled: input ports carry their signal's latency. */
  graphs: GraphDescriptor[];
  programs: (CompiledStage | null)[];
  /** Frames the graph's output is late by: its signal's latency. */
  latencyFrames: number;
  /** Frames any signal of the plan is late by (a captured node's, for its trim). */
  latencyOf: (source: SignalSource) => number;
}

/**
 * Compiles `plan`'s stages with their input ports' latencies, given each WAM's compensation delay
 * (`wamLatency[w]`, frames). One compile per stage, in order, when a signal crossing a stage is late;
 * one compile for all stages otherwise (nothing to align).
 * @example
 * // osc -> fx (300 frames) -> mix, osc -> mix: stage 1's port for fx declares 300 frames,
 * // so its compiler delays the port for osc by 300 frames before the mixer.
 * const { programs, latencyFrames } = await alignStages(plan, [300], compile); // latencyFrames 300
 */
export async function alignStages(
  plan: PartitionedGraph,
  wamLatency: readonly number[],
  compile: StageCompiler,
): Promise<AlignedStages> {
  const first = await compile(plan.stages.map((stage) => stage.graph));
  const unaligned = latencies(plan, wamLatency, first);
  const late = plan.stages.some((stage) => stage.inputs.some((source) => unaligned.of(source) > 0));
  if (!late)
    return {
      graphs: plan.stages.map((s) => s.graph),
      programs: first,
      latencyFrames: unaligned.of(plan.output),
      latencyOf: unaligned.of,
    };
  // Stage s reads only earlier stages and WAMs fed by them: compile in order, each with its ports' latencies.
  const programs: (CompiledStage | null)[] = [];
  const graphs: GraphDescriptor[] = [];
  const aligned = latencies(plan, wamLatency, programs);
  for (const stage of plan.stages) {
    const graph = withPortLatencies(stage.graph, stage.inputs.map(aligned.of));
    graphs.push(graph);
    programs.push((await compile([graph]))[0] ?? null);
  }
  return { graphs, programs, latencyFrames: aligned.of(plan.output), latencyOf: aligned.of };
}

/** The latency of each signal, from the stages compiled so far (`programs`, read when asked). */
function latencies(
  plan: PartitionedGraph,
  wamLatency: readonly number[],
  programs: readonly (CompiledStage | null)[],
): { of: (source: SignalSource) => number } {
  const wams = new Map<number, number>();
  const of = (source: SignalSource): number => {
    if (source.kind === "stage") return programs[source.stage]?.tapLatency[source.tap] ?? 0;
    const known = wams.get(source.wam);
    if (known !== undefined) return known;
    // partitionGraph refuses cycles through WAMs: this recursion ends.
    let upstream = 0;
    for (const input of plan.wams[source.wam]?.inputs ?? []) upstream = Math.max(upstream, of(input));
    const frames = upstream + Math.max(0, Math.round(wamLatency[source.wam] ?? 0));
    wams.set(source.wam, frames);
    return frames;
  };
  return { of };
}

/** `graph` with input port k declaring `latency[k]` frames (ports on time left as they were). */
function withPortLatencies(graph: GraphDescriptor, latency: readonly number[]): GraphDescriptor {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      if (node.node_id !== STAGE_INPUT_NODE_ID) return node;
      const frames = latency[Number(node.extensions.stage_port ?? 0)] ?? 0;
      return frames > 0 ? { ...node, extensions: { ...node.extensions, latency_frames: frames } } : node;
    }),
  };
}
