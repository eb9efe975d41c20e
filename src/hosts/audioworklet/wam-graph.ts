/**
 * A graph partitioned around its WAM nodes, built in a Web Audio context (main thread): one engine
 * AudioWorkletNode per stage, one WAM instance per WAM node, and the Web Audio connections between
 * them (src/wam/partition.ts says why). Offline renders and real-time playback share it.
 */

import { EngineError, isEngineError } from "../../contracts/errors";
import type { GraphDescriptor } from "../../contracts/graph-descriptor";
import type { RenderRequest } from "../../contracts/render";
import { formatPath } from "../../contracts/validate";
import type { CompiledStage } from "../../protocol/main-worker";
import type { WamLoadPolicy } from "../../wam/load-wam";
import {
  MAX_STAGE_CHANNELS,
  type PartitionedGraph,
  type SignalSource,
  STAGE_CHANNELS,
  type WamPlan,
} from "../../wam/partition";
import { importWamModule, type WamInstance, type WamNodeLike, wamHostGroup } from "../../wam/wam-module";
import { type FramedWamEvent, type WamParameterInfoLike, wamNodeTimeline } from "../../wam/wam-timeline";
import type { EngineAssets } from "../assets/engine-assets";
import { createEngineWorklet } from "./engine-worklet";
import { type AlignedStages, alignStages, type StageCompiler } from "./stage-latency";

/** One WAM node as built: its plan, its instance, its events and its latency. */
export interface BuiltWam {
  plan: WamPlan;
  instance: WamInstance;
  node: WamNodeLike;
  params: WamParameterInfoLike[];
  events: FramedWamEvent[];
  /** The graph's parameter values before any event (node params, automation's starting values). */
  initial: Record<string, number>;
  /** getCompensationDelay(), in frames (docs/wam.md: the unit WAM 2.0 hosts use in practice). */
  latencyFrames: number;
}

/** A processor error reported by a WAM's node (it then outputs silence; the rest plays on). */
export interface WamFault {
  node: string;
  message: string;
}

/**
 * A signal of a built WAM graph: a Web Audio node's output and the channels it carries (a stage
 * output's: its tapped node's; a WAM's: its node's channelCount).
 */
export interface WamGraphSignal {
  node: AudioNode;
  index: number;
  channels: number;
}

export interface BuiltWamGraph {
  /** The WAM host group of the context (the key opens it on the audio thread). */
  groupId: string;
  groupKey: string;
  /** The engine AudioWorkletNode of each stage, in plan order (null for a stage given by the caller). */
  stages: (AudioWorkletNode | null)[];
  wams: BuiltWam[];
  /** The Web Audio node and output index that carry the graph's output, and its channel count. */
  output: WamGraphSignal;
  /** The Web Audio node and output carrying each captured node (plan.captures), and its latency, by name. */
  captures: (WamGraphSignal & { name: string; latencyFrames: number })[];
  /**
   * Frames the graph's output lags the timeline: the latest path to it (WAM compensation delays and
   * engine nodes' latencies add along a path; parallel paths are aligned where they meet, stage-latency.ts).
   */
  latencyFrames: number;
  /** The stage graphs as compiled (input ports carry their latency) and their programs. */
  stageGraphs: GraphDescriptor[];
  programs: (CompiledStage | null)[];
  /** Processor errors so far (listen with onFault). */
  faults: WamFault[];
  onFault(listener: (fault: WamFault) => void): void;
  /** Disconnects and destroys everything built here. */
  dispose(): void;
}

export interface BuildWamGraphOptions {
  graph: GraphDescriptor;
  plan: PartitionedGraph;
  /**
   * Compiles stage graphs (null for a stage the caller builds itself, see `stageNodes`): called once
   * the WAMs' latencies are known, so that the stages align the paths they join (stage-latency.ts).
   */
  compile: StageCompiler;
  /** Stage nodes the caller made (the real-time host's command-driven primary stage), by stage index. */
  stageNodes?: Map<number, AudioWorkletNode>;
  assets: EngineAssets;
  /** Prefix of error paths. */
  root: string;
  /** Real time: the stages follow the primary's transport in this stage group (stage-group.ts). */
  follow?: string;
  /** Where plugin modules may load from (src/wam/load-wam.ts); same origin when absent. */
  policy?: WamLoadPolicy;
}

/**
 * Builds `plan` in `context`: stage nodes, WAM instances (created with their state, parameters set,
 * not yet given their events), and the connections. Rejects with E_UNKNOWN_NODE at the WAM node's
 * extensions.wam.module_url when its module does not load or its instance cannot be created.
 * built.output.node.connect(context.destination, built.output.index);
 */
export async function buildWamGraph(
  context: BaseAudioContext,
  options: BuildWamGraphOptions,
): Promise<BuiltWamGraph> {
  const { graph, plan, assets, root } = options;
  const { groupId, groupKey } = await wamHostGroup(context);
  const faults: WamFault[] = [];
  const listeners: ((fault: WamFault) => void)[] = [];
  const report = (fault: WamFault): void => {
    faults.push(fault);
    for (const listener of listeners) listener(fault);
  };
  const wams: BuiltWam[] = [];
  const stages: (AudioWorkletNode | null)[] = [];
  let aligned: AlignedStages | null = null;
  const dispose = (): void => {
    for (const stage of stages) stage?.disconnect();
    for (const wam of wams) {
      wam.node.disconnect();
      wam.node.destroy();
    }
  };
  try {
    for (const wamPlan of plan.wams)
      wams.push(await createWam(context, groupId, graph, wamPlan, root, report, options.policy ?? {}));
    aligned = await alignStages(
      plan,
      wams.map((wam) => wam.latencyFrames),
      options.compile,
      wams.map((wam) => wamOutputChannels(wam.node)),
    );
    const programs = aligned.programs;
    for (let s = 0; s < plan.stages.length; s++) {
      const given = options.stageNodes?.get(s);
      if (given) {
        stages.push(given);
        continue;
      }
      const stage = plan.stages[s];
      const compiled = programs[s];
      if (!stage || !compiled) throw new EngineError("E_INTERNAL", `stage ${s} has no program`);
      const { node } = await createEngineWorklet(context, {
        program: compiled.program,
        buffers: compiled.buffers,
        assets,
        stage: {
          inputs: stage.inputs.length,
          outputs: stage.taps.length,
          outputChannels: compiled.tapChannels,
          ...(options.follow === undefined ? {} : { follow: options.follow, index: s }),
        },
      });
      stages.push(node);
    }
  } catch (error) {
    dispose();
    throw error;
  }
  const channelsOf = (aligned as AlignedStages).channelsOf;
  const sourceNode = (source: SignalSource): WamGraphSignal =>
    source.kind === "wam"
      ? { node: (wams[source.wam] as BuiltWam).node, index: 0, channels: channelsOf(source) }
      : { node: stages[source.stage] as AudioWorkletNode, index: source.tap, channels: channelsOf(source) };
  plan.stages.forEach((stage, s) => {
    stage.inputs.forEach((source, k) => {
      const from = sourceNode(source);
      from.node.connect(stages[s] as AudioWorkletNode, from.index, k);
    });
  });
  wams.forEach((wam) => {
    for (const source of wam.plan.inputs) {
      const from = sourceNode(source);
      from.node.connect(wam.node, from.index, 0);
    }
  });
  return {
    groupId,
    groupKey,
    stages,
    wams,
    output: sourceNode(plan.output),
    captures: plan.captures.map(({ name, source }) => ({
      name,
      ...sourceNode(source),
      latencyFrames: (aligned as AlignedStages).latencyOf(source),
    })),
    latencyFrames: aligned.latencyFrames,
    stageGraphs: aligned.graphs,
    programs: aligned.programs,
    faults,
    onFault: (listener) => listeners.push(listener),
    dispose,
  };
}

/**
 * The channels a WAM's output is read as: its node's channelCount (Web Audio exposes no output channel
 * count of an AudioWorkletNode; describe-wam.ts takes the same), 2 when it has none.
 */
function wamOutputChannels(node: WamNodeLike): number {
  const count = Math.round(Number(node.channelCount) || STAGE_CHANNELS);
  return Math.min(MAX_STAGE_CHANNELS, Math.max(1, count));
}

async function createWam(
  context: BaseAudioContext,
  groupId: string,
  graph: GraphDescriptor,
  plan: WamPlan,
  root: string,
  report: (fault: WamFault) => void,
  policy: WamLoadPolicy,
): Promise<BuiltWam> {
  const path = formatPath(["nodes", plan.index], root);
  const urlPath = formatPath(["extensions", "wam", "module_url"], path);
  const name = plan.node.name;
  let instance: WamInstance;
  try {
    const WamClass = await importWamModule(plan.extension.module_url, policy, urlPath);
    instance = await WamClass.createInstance(groupId, context, plan.extension.state);
  } catch (error) {
    // The loader's refusals (E_ORIGIN_NOT_ALLOWED, E_PLUGIN_LOAD) name the URL and why: add the node.
    if (isEngineError(error))
      throw new EngineError(error.code, `WAM node "${name}": ${error.detail}`, error.path);
    throw new EngineError(
      "E_UNKNOWN_NODE",
      `WAM node "${name}" could not be loaded from ${plan.extension.module_url}: ${String((error as Error)?.message ?? error)}`,
      urlPath,
    );
  }
  const node = instance.audioNode;
  // A processor that throws is stopped by Web Audio and outputs silence: one error naming the node.
  // The attribute, not addEventListener: Chromium fires processorerror to the attribute handler only
  // (checked in Chromium 156), and the SDK's WamNode ignores listeners for non-WAM event types anyway.
  const worklet = node as unknown as { onprocessorerror?: ((event: Event) => void) | null };
  const previous = worklet.onprocessorerror;
  worklet.onprocessorerror = (event: Event) => {
    previous?.(event);
    const detail = (event as ErrorEvent).message ? `: ${(event as ErrorEvent).message}` : "";
    report({
      node: name,
      message: `WAM node "${name}" (${plan.node.node_id}): its processor threw and was stopped${detail}`,
    });
  };
  const params = Object.values(await node.getParameterInfo());
  const { initial, events } = wamNodeTimeline(graph, plan.node, params, context.sampleRate, path);
  const values = Object.fromEntries(
    Object.entries(initial).map(([id, value]) => [id, { id, value, normalized: false }]),
  );
  if (Object.keys(values).length > 0) await node.setParameterValues(values);
  const latencyFrames = Math.max(0, Math.round(Number(await node.getCompensationDelay()) || 0));
  return { plan, instance, node, params, events, initial, latencyFrames };
}

/**
 * Gives each WAM its events, at time = (frame + offsetFrames) / sampleRate, one scheduleEvents call
 * per event (the SDK's event ring mishandles a batch it cannot encode whole).
 */
export function scheduleWamEvents(built: BuiltWamGraph, sampleRate: number, offsetFrames = 0): number {
  let count = 0;
  for (const wam of built.wams) {
    for (const event of wam.events) {
      wam.node.scheduleEvents({
        type: event.type,
        time: (event.frame + offsetFrames) / sampleRate,
        data: event.data,
      });
      count++;
    }
  }
  return count;
}

/**
 * Resolves once every WAM processor has taken the messages sent before: a request answered through
 * each node's port (getParameterValues) comes back after the events posted earlier on it.
 */
export async function wamsReady(built: BuiltWamGraph): Promise<void> {
  await Promise.all(built.wams.map((wam) => wam.node.getParameterValues(false)));
}

/**
 * Every node recorded besides the output, in graph order: those with capture: true and those named
 * in options.capture (E_UNKNOWN_NODE at options.capture[i] for a name the graph lacks).
 */
export function capturedNodes(request: RenderRequest): string[] {
  const names = new Set(request.node_graph.nodes.map((node) => node.name));
  const asked = request.options.capture ?? [];
  asked.forEach((name, i) => {
    if (!names.has(name))
      throw new EngineError("E_UNKNOWN_NODE", `no node named "${name}"`, `options.capture[${i}]`);
  });
  return request.node_graph.nodes
    .filter((node) => node.capture || asked.includes(node.name))
    .map((node) => node.name);
}
