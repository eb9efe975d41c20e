/**
 * A graph with WAM nodes playing in real time (main thread; docs/wam.md, "Hosting"). The primary
 * EngineProcessor keeps the transport, the command ring, the meters and the capture, and plays a silent
 * graph; the partitioned graph's stages follow its transport (stage-group.ts), its WAMs get their MIDI
 * and automation from its audio thread (wam-event-lanes.ts), and the graph's output returns into its
 * input 0, so what it plays, meters and captures is the WAM graph's sound.
 */

import { EngineError } from "../../contracts/errors";
import type { GraphDescriptor, GraphDescriptorInput } from "../../contracts/graph-descriptor";
import type { MainToWorkletMessage } from "../../protocol/main-to-worklet";
import type { CompiledStage } from "../../protocol/main-worker";
import type { TypedPort } from "../../protocol/typed-port";
import type { WorkletToMainMessage } from "../../protocol/worklet-to-main";
import type { WamLoadPolicy } from "../../wam/load-wam";
import { partitionGraph } from "../../wam/partition";
import { wamLaneData } from "../../wam/wam-lanes";
import type { EngineAssets } from "../assets/engine-assets";
import { type BuiltWam, type BuiltWamGraph, buildWamGraph, type WamFault } from "./wam-graph";

/** What the primary plays while a WAM graph plays: silence (the WAM graph returns on its input). */
export const RETURN_GRAPH: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [{ name: "wam_graph_return", node_id: "builtin:constant", params: { offset: 0 } }],
  output: "wam_graph_return",
};

export interface LiveWamGraphHost {
  context: BaseAudioContext;
  /** The primary EngineProcessor's node and port. */
  primary: AudioWorkletNode;
  port: TypedPort<MainToWorkletMessage, WorkletToMainMessage>;
  compileStages(graphs: GraphDescriptorInput[], sampleRate: number, root: string): Promise<CompiledStage[]>;
  assets: EngineAssets;
  /** Where plugin modules may load from (the client's options.wamPolicy; src/wam/load-wam.ts). */
  policy?: WamLoadPolicy;
}

export class LiveWamGraph {
  private constructor(
    /** The graph as loaded (WAM nodes' extensions.wam.state as given). */
    readonly graph: GraphDescriptor,
    private readonly built: BuiltWamGraph,
    private readonly port: TypedPort<MainToWorkletMessage, WorkletToMainMessage>,
  ) {}

  /**
   * Builds `graph` (parsed, checked) in the host's context and starts it following the primary; the
   * primary must play RETURN_GRAPH already. Errors at `root`.
   */
  static async start(graph: GraphDescriptor, host: LiveWamGraphHost, root: string): Promise<LiveWamGraph> {
    const plan = partitionGraph(graph, root);
    const context = host.context;
    const programs = await host.compileStages(
      plan.stages.map((stage) => stage.graph),
      context.sampleRate,
      root,
    );
    const groupId = `stages-${crypto.randomUUID()}`;
    // Stages join the group when they first find it (the message may arrive after they are built).
    host.port.postMessage({ type: "lead-stage-group", groupId });
    const built = await buildWamGraph(context, {
      graph,
      plan,
      programs,
      assets: host.assets,
      ...(host.policy ? { policy: host.policy } : {}),
      root,
      follow: groupId,
    });
    built.output.node.connect(host.primary, built.output.index, 0);
    host.port.postMessage({
      type: "wam-lanes",
      groupId: built.groupId,
      groupKey: built.groupKey,
      lanes: built.wams.map((wam) => wamLaneData(wam.instance.instanceId, wam.events)),
    });
    return new LiveWamGraph(graph, built, host.port);
  }

  /** Frames the output lags by (the WAM path's compensation delay; not trimmed in real time). */
  get latencyFrames(): number {
    return this.built.latencyFrames;
  }

  /** Calls `listener` for each WAM whose processor threw (it then plays silence; the rest plays on). */
  onError(listener: (fault: WamFault) => void): void {
    this.built.onFault(listener);
  }

  /** True when `node` names one of this graph's WAM nodes. */
  hasWam(node: string): boolean {
    return this.built.wams.some((wam) => wam.plan.node.name === node);
  }

  /**
   * Sets a WAM parameter now (a wam-automation event as soon as the plugin takes it).
   * E_UNKNOWN_NODE / E_SCHEMA at set_parameter.*.
   */
  async setParameter(node: string, parameter: string, value: number | string): Promise<void> {
    const wam = this.wam(node, "set_parameter.node");
    const info = wam.params.find((param) => param.id === parameter);
    if (!info) {
      const known = wam.params.map((param) => param.id).join(", ");
      throw new EngineError(
        "E_SCHEMA",
        `unknown parameter "${parameter}" of WAM node "${node}" (known: ${known})`,
        "set_parameter.parameter_id",
      );
    }
    const number = typeof value === "string" ? (info.choices ?? []).indexOf(value) : value;
    if (!Number.isFinite(number) || (typeof value === "string" && number < 0)) {
      throw new EngineError("E_SCHEMA", `"${value}" is not a choice of ${parameter}`, "set_parameter.value");
    }
    wam.node.scheduleEvents({
      type: "wam-automation",
      data: { id: parameter, value: number, normalized: false },
    });
  }

  /** The plugin state of WAM node `node` (its getState()). */
  getState(node: string): Promise<unknown> {
    return this.wam(node, "node").node.getState();
  }

  /** The graph with every WAM node's current state in extensions.wam.state: what a session saves. */
  async graphWithState(): Promise<GraphDescriptor> {
    const states = new Map<string, unknown>();
    for (const wam of this.built.wams) states.set(wam.plan.node.name, await wam.node.getState());
    return {
      ...this.graph,
      nodes: this.graph.nodes.map((node) =>
        states.has(node.name)
          ? {
              ...node,
              extensions: {
                ...node.extensions,
                wam: { ...(node.extensions.wam as object), state: states.get(node.name) },
              },
            }
          : node,
      ),
    };
  }

  /**
   * Mounts WAM node `node`'s GUI (createGui) in `container`; returns a function that unmounts it.
   * E_UNKNOWN_NODE when the node is not a WAM of this graph, E_HOST_UNAVAILABLE when it has no GUI.
   */
  async mountGui(node: string, container: Element): Promise<() => void> {
    const wam = this.wam(node, "node");
    const gui = await wam.instance.createGui();
    if (!gui) throw new EngineError("E_HOST_UNAVAILABLE", `WAM node "${node}" has no GUI`, "node");
    container.appendChild(gui);
    return () => {
      wam.instance.destroyGui(gui);
      gui.remove();
    };
  }

  /** Stops the stages (they leave at their next quantum) and destroys the WAMs. */
  end(): void {
    this.port.postMessage({ type: "end-stage-group" });
    this.built.dispose();
  }

  private wam(node: string, path: string): BuiltWam {
    const wam = this.built.wams.find((candidate) => candidate.plan.node.name === node);
    if (!wam)
      throw new EngineError("E_UNKNOWN_NODE", `no WAM node named "${node}" in the playing graph`, path);
    return wam;
  }
}
