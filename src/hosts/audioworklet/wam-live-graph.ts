/**
 * A graph with WAM nodes playing in real time (main thread; docs/wam.md, "Hosting"). The primary
 * EngineProcessor keeps the transport, the command ring, the meters and the capture, and plays a silent
 * graph; the partitioned graph's stages follow its transport (stage-group.ts), its WAMs get their MIDI
 * and automation from its audio thread (wam-event-lanes.ts), and the graph's output returns into its
 * input 0, so what it plays, meters and captures is the WAM graph's sound.
 */

import { makeCommand, scheduleAutomationCommand } from "../../api/call-validation";
import type { ScheduleAutomationOptions } from "../../api/engine-client";
import { automationAfter } from "../../contracts/automation-lane";
import { EngineError } from "../../contracts/errors";
import type {
  Automation,
  AutomationInput,
  GraphDescriptor,
  GraphDescriptorInput,
  GraphNode,
  MidiEventInput,
} from "../../contracts/graph-descriptor";
import { type LiveMidiMessage, liveMidiBytes } from "../../contracts/live-midi";
import type { MainToWorkletMessage } from "../../protocol/main-to-worklet";
import type { CompiledStage, StageCompileOptions } from "../../protocol/main-worker";
import type { TypedPort } from "../../protocol/typed-port";
import type { WorkletToMainMessage } from "../../protocol/worklet-to-main";
import type { WamLoadPolicy } from "../../wam/load-wam";
import { partitionGraph } from "../../wam/partition";
import { wamLaneData } from "../../wam/wam-lanes";
import { type FramedWamEvent, wamNodeTimeline } from "../../wam/wam-timeline";
import type { EngineAssets } from "../assets/engine-assets";
import { type ReturnLayout, returnSlots } from "./return-graph";
import { MAX_MERGED_CHANNELS, type MergedSignals, mergeSignals } from "./signal-merger";
import { type BuiltWam, type BuiltWamGraph, buildWamGraph, type WamFault } from "./wam-graph";
import { routeParameterSets } from "./wam-parameter-route";

function returnLayoutOf(built: BuiltWamGraph): ReturnLayout {
  return { output: built.output.channels, stems: built.captures.map((capture) => capture.channels) };
}

/**
 * E_SCHEMA at options.capture when the output and the stems, each with its own channels (the output at
 * least two), need more than the 32 channels of the primary's input 0; names the stems left out.
 */
function refuseOverfullReturn(built: BuiltWamGraph, stems: readonly string[]): void {
  const slots = returnSlots(returnLayoutOf(built));
  const ends = slots.map((_, i) => slots.slice(0, i + 1).reduce((sum, n) => sum + n, 0));
  const fit = ends.findIndex((end) => end > MAX_MERGED_CHANNELS);
  if (fit < 0) return;
  const channels = slots.map((n, i) => (i === 0 ? `the output ${n}` : `"${stems[i - 1]}" ${n}`)).join(", ");
  throw new EngineError(
    "E_SCHEMA",
    `a real-time render of a graph with WAM nodes receives its output and stems, each with its own channels, on one engine input of at most ${MAX_MERGED_CHANNELS} channels (${channels}): ${stems
      .slice(Math.max(0, fit - 1))
      .map((name) => `"${name}"`)
      .join(", ")} cannot be recorded (render them in another request)`,
    "options.capture",
  );
}

/** How long a load waits at most for the stages of a running context to join their group. */
const JOIN_WAIT_MS = 1000;

/** Resolves when `stage` reports it joined group `groupId` (its node's port; earlier handlers kept). */
function stageJoined(stage: AudioWorkletNode, groupId: string): Promise<void> {
  return new Promise((resolve) => {
    const port = stage.port;
    const previous = port.onmessage;
    port.onmessage = (event: MessageEvent<WorkletToMainMessage>) => {
      previous?.call(port, event);
      if (event.data.type === "joined" && event.data.groupId === groupId) resolve();
    };
  });
}

export interface LiveWamGraphHost {
  context: BaseAudioContext;
  /** The primary EngineProcessor's node and port. */
  primary: AudioWorkletNode;
  port: TypedPort<MainToWorkletMessage, WorkletToMainMessage>;
  /** Compiles the stages in the engine Worker. */
  compileStages(
    graphs: GraphDescriptorInput[],
    sampleRate: number,
    root: string,
    options?: StageCompileOptions,
  ): Promise<CompiledStage[]>;
  /**
   * The stages are about to play: their commands go to them from now on (worklet-driver.ts). Resolves
   * with the generation of their MIDI naming, for lead-stage-group (midi-record-naming.ts).
   */
  playStages(
    graphs: GraphDescriptorInput[],
    sampleRate: number,
    root: string,
    options?: StageCompileOptions,
  ): Promise<number>;
  assets: EngineAssets;
  /** Where plugin modules may load from (the client's options.wamPolicy; src/wam/load-wam.ts). */
  policy?: WamLoadPolicy;
}

export class LiveWamGraph {
  /** Automation lanes scheduled live on WAM nodes, by node and parameter (over the graph's own). */
  private readonly lanes = new Map<string, Map<string, Automation>>();
  private readonly port: TypedPort<MainToWorkletMessage, WorkletToMainMessage>;
  /** The context's rate: transport seconds to frames. */
  private readonly sampleRate: number;
  /** The output and the stems, side by side on the primary's input 0 (from start()). */
  private merged: MergedSignals | null = null;

  private constructor(
    /** The graph as loaded (WAM nodes' extensions.wam.state as given). */
    readonly graph: GraphDescriptor,
    /** The nodes recorded as stems (captured), in graph order; the primary's return graph reads them. */
    readonly stems: readonly string[],
    /** Engine nodes whose parameters their stage records (a live render's record_automation). */
    readonly recorded: readonly string[],
    private readonly built: BuiltWamGraph,
    private readonly host: LiveWamGraphHost,
    /** What start() needs: the stage graphs, the group the stages follow, error paths. */
    private readonly pending: {
      stageGraphs: GraphDescriptorInput[];
      groupId: string;
      stageNodeCounts: number[];
      root: string;
    },
  ) {
    this.port = host.port;
    this.sampleRate = host.context.sampleRate;
  }

  /**
   * Builds `graph` (parsed, checked) in the host's context beside what plays: its stages compiled,
   * its WAMs created, its stage nodes waiting for their group; nothing reaches the primary and no
   * command goes to it until start(). A plugin that does not load, or whose instance cannot be
   * created, fails here, and what plays plays on (discard() what was built if start() is never
   * called). `stems`: nodes whose output the primary receives too (live renders' captures); E_SCHEMA at
   * options.capture when they and the output, each with its own channels, do not fit on the
   * primary's input (32 channels). Errors at `root`.
   */
  static async build(
    graph: GraphDescriptor,
    host: LiveWamGraphHost,
    root: string,
    stems: readonly string[] = [],
    recorded: readonly string[] = [],
  ): Promise<LiveWamGraph> {
    const plan = partitionGraph(graph, root, stems);
    const context = host.context;
    const groupId = `stages-${crypto.randomUUID()}`;
    // The stages join the group when they first find it: start() creates it.
    const built = await buildWamGraph(context, {
      graph,
      plan,
      compile: (graphs) =>
        host.compileStages(graphs, context.sampleRate, root, { recordAutomation: recorded }),
      assets: host.assets,
      ...(host.policy ? { policy: host.policy } : {}),
      root,
      follow: groupId,
    });
    try {
      refuseOverfullReturn(built, stems);
    } catch (error) {
      built.dispose();
      throw error;
    }
    // Commands name a stage's nodes by group index: the stages' program nodes one after the other.
    // The stage graphs as compiled: start() compiles them again for the driver's routes.
    const stageNodeCounts = built.programs.map((stage) => stage?.program.nodes.length ?? 0);
    return new LiveWamGraph(graph, stems, recorded, built, host, {
      stageGraphs: built.stageGraphs,
      groupId,
      stageNodeCounts,
      root,
    });
  }

  /**
   * Starts the built graph following the primary, which must play RETURN_GRAPH already: commands for
   * its engine nodes go to its stages, its output returns into the primary, its WAMs get their events.
   */
  async start(): Promise<void> {
    const { stageGraphs, groupId, stageNodeCounts, root } = this.pending;
    const midiNaming = await this.host.playStages(stageGraphs, this.sampleRate, root, {
      recordAutomation: this.recorded,
      wamNodes: this.built.wams.map((wam) => wam.plan.node.name),
    });
    const joined = Promise.all(
      this.built.stages.flatMap((stage) => (stage ? [stageJoined(stage, groupId)] : [])),
    );
    this.port.postMessage({ type: "lead-stage-group", groupId, stageNodeCounts, midiNaming });
    const built = this.built;
    // The output, then each stem, on the primary's input 0 (returnGraph reads them there).
    const slots = returnSlots(this.returnLayout);
    this.merged = mergeSignals(
      this.host.context,
      [built.output, ...built.captures].map((source, i) => ({ ...source, slots: slots[i] as number })),
    );
    this.merged.merger.connect(this.host.primary, 0, 0);
    this.port.postMessage({
      type: "wam-lanes",
      groupId: built.groupId,
      groupKey: built.groupKey,
      lanes: built.wams.map((wam) =>
        wamLaneData(
          wam.instance.instanceId,
          wam.events,
          wam.params.map((param) => param.id),
          wam.initial,
        ),
      ),
    });
    // A plugin GUI's parameter changes go through the primary too, so they land on a known frame and
    // a live render records them (wam-parameter-route.ts).
    for (const wam of built.wams) {
      routeParameterSets(wam.node, wam.params, (values) =>
        this.port.postMessage({
          type: "wam-events",
          instanceId: wam.instance.instanceId,
          frames: values.map(() => -1),
          events: values.map(({ id, value }) => ({
            type: "wam-automation",
            data: { id, value, normalized: false },
          })),
        }),
      );
    }
    // A stage joins at its next quantum after the group exists; commands for its nodes need it joined.
    // A context that does not run renders no quantum: then the stages join when it does.
    if (this.host.context.state === "running") {
      await Promise.race([joined, new Promise((resolve) => setTimeout(resolve, JOIN_WAIT_MS))]);
    }
  }

  /**
   * A graph built but not started: its WAMs destroyed, its nodes disconnected (its stage nodes,
   * waiting for a group that never comes, stay silent until the context goes).
   */
  discard(): void {
    this.built.dispose();
  }

  /** The channels of the output and of each stem on the primary's input 0 (its return graph's). */
  get returnLayout(): ReturnLayout {
    return returnLayoutOf(this.built);
  }

  /** Frames each stem lags the timeline (its path's latency), in stem order. */
  get stemLatencyFrames(): number[] {
    return this.built.captures.map((capture) => capture.latencyFrames);
  }

  /** Frames the output lags by (the WAM path's compensation delay; not trimmed in real time). */
  get latencyFrames(): number {
    return this.built.latencyFrames;
  }

  /** Calls `listener` for each WAM whose processor threw (it then plays silence; the rest plays on). */
  onError(listener: (fault: WamFault) => void): void {
    this.built.onFault(listener);
  }

  /** The graph's WAM nodes as built (their parameters and their events: recorded automation). */
  get wams(): readonly BuiltWam[] {
    return this.built.wams;
  }

  /** True when `node` names one of this graph's WAM nodes. */
  hasWam(node: string): boolean {
    return this.built.wams.some((wam) => wam.plan.node.name === node);
  }

  /**
   * Sets a WAM parameter now (a wam-automation event the audio thread hands over at once: the plugin
   * takes it at its next quantum) or at transport time `atSeconds` (handed to the plugin's processor
   * on that frame). Both go through the audio thread (wam-event-lanes.ts), which tells a live
   * render's record the frame they land on. E_UNKNOWN_NODE / E_SCHEMA at set_parameter.*.
   */
  async setParameter(
    node: string,
    parameter: string,
    value: number | string,
    atSeconds?: number,
  ): Promise<void> {
    const wam = this.wam(node, "set_parameter.node");
    const info = this.parameter(wam, parameter, "set_parameter.parameter_id");
    const number = typeof value === "string" ? (info.choices ?? []).indexOf(value) : value;
    if (!Number.isFinite(number) || (typeof value === "string" && number < 0)) {
      throw new EngineError("E_SCHEMA", `"${value}" is not a choice of ${parameter}`, "set_parameter.value");
    }
    const data = { id: parameter, value: number, normalized: false };
    // Frame -1: now (wam-event-lanes.ts hands it over at once).
    const frame = atSeconds === undefined ? -1 : Math.round(atSeconds * this.sampleRate);
    this.port.postMessage({
      type: "wam-events",
      instanceId: wam.instance.instanceId,
      frames: [frame],
      events: [{ type: "wam-automation", data }],
    });
  }

  /**
   * MIDI for a WAM node (validated events, on the transport timeline): wam-midi events on the frames a
   * builtin instrument would play them, handed to the plugin from the audio thread. E_UNKNOWN_NODE /
   * E_SCHEMA at schedule_events.*.
   */
  async scheduleEvents(node: string, events: MidiEventInput[]): Promise<void> {
    const wam = this.wam(node, "schedule_events.node");
    const command = makeCommand("schedule_events", { node, events });
    const timeline = this.timeline(wam.plan.node, { midi: command.events }, wam, "schedule_events", "midi");
    this.post("wam-events", wam, timeline, true);
  }

  /**
   * A live MIDI message (validated) for a WAM node: wam-midi events handed to the plugin from the
   * audio thread, now (frame -1: the first frame of the next quantum the transport plays) or on the
   * frame of `atSeconds`, as an engine instrument would play it. E_UNKNOWN_NODE at send_midi.node.
   */
  sendMidi(node: string, message: LiveMidiMessage, atSeconds?: number): void {
    const wam = this.wam(node, "send_midi.node");
    const frame = atSeconds === undefined ? -1 : Math.round(atSeconds * this.sampleRate);
    const events = liveMidiBytes(message).map((bytes) => ({ type: "wam-midi", data: { bytes: [...bytes] } }));
    this.port.postMessage({
      type: "wam-events",
      instanceId: wam.instance.instanceId,
      frames: events.map(() => frame),
      events,
    });
  }

  /**
   * Automation of a WAM parameter while it plays (validated as for an engine node): the parameter's
   * lane becomes the new one (appended for web_audio, as the engine does: automation-lane.ts) and
   * replays on every pass, as the graph's own automation would. E_UNKNOWN_NODE / E_SCHEMA at
   * schedule_automation.*.
   */
  async scheduleAutomation(
    node: string,
    parameterId: string,
    automation: AutomationInput,
    options: ScheduleAutomationOptions = {},
  ): Promise<void> {
    const wam = this.wam(node, "schedule_automation.node");
    const command = scheduleAutomationCommand(node, parameterId, automation, options);
    this.parameter(wam, parameterId, "schedule_automation.parameter_id");
    const lanes = this.lanes.get(node) ?? new Map<string, Automation>();
    const own = wam.plan.node.automation;
    const existing = lanes.has(parameterId)
      ? lanes.get(parameterId)
      : Object.hasOwn(own, parameterId)
        ? own[parameterId]
        : undefined;
    const lane = automationAfter(existing, command.automation, command.mode);
    const events = this.timeline(
      wam.plan.node,
      { automation: { [parameterId]: lane } },
      wam,
      "schedule_automation",
      `automation.${parameterId}`,
    );
    lanes.set(parameterId, lane);
    this.lanes.set(node, lanes);
    this.port.postMessage({
      type: "wam-lane-param",
      instanceId: wam.instance.instanceId,
      param: parameterId,
      frames: events.map((event) => event.frame),
      events: events.map((event) => ({ type: event.type, data: event.data })),
    });
  }

  /** The plugin state of WAM node `node` (its getState()). */
  getState(node: string): Promise<unknown> {
    return this.wam(node, "node").node.getState();
  }

  /**
   * WAM node `node`'s parameter values as the plugin reports them now (getParameterValues, plain
   * units), by parameter id: what its own GUI set shows here too.
   */
  async parameterValues(node: string): Promise<Record<string, number>> {
    const values = await this.wam(node, "node").node.getParameterValues(false);
    return Object.fromEntries(Object.entries(values).map(([id, entry]) => [id, entry.value]));
  }

  /**
   * The value WAM node `node`'s parameter `parameter` has now in its processor (getParameterValues,
   * plain units; a WAM has no choice parameters, so it is always a number). The processor answers on
   * its port between two quanta, after the primary's port handed it the events posted before
   * (setParameter without a time: the main thread posts to both ports of one audio thread in order).
   * E_UNKNOWN_NODE at get_parameter.node, E_SCHEMA at get_parameter.parameter_id naming the known ids.
   */
  async parameterValue(node: string, parameter: string): Promise<number> {
    const wam = this.wam(node, "get_parameter.node");
    this.parameter(wam, parameter, "get_parameter.parameter_id");
    const values = await wam.node.getParameterValues(false, parameter);
    const value = values[parameter]?.value;
    if (typeof value !== "number") {
      throw new EngineError(
        "E_INTERNAL",
        `WAM node "${node}" did not report parameter "${parameter}" (getParameterValues)`,
        "get_parameter.parameter_id",
      );
    }
    return value;
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
    this.merged?.dispose();
    this.built.dispose();
  }

  /** The WAM parameter `id`, or E_SCHEMA at `path` naming the node, the parameter and the known ones. */
  private parameter(wam: BuiltWam, id: string, path: string) {
    const info = wam.params.find((param) => param.id === id);
    if (info) return info;
    const known = wam.params.map((param) => param.id).join(", ");
    throw new EngineError(
      "E_SCHEMA",
      `unknown parameter "${id}" of WAM node "${wam.plan.node.name}" (known: ${known})`,
      path,
    );
  }

  /**
   * The WAM events of `node` carrying only `fields` (its MIDI or one automation lane), compiled as the
   * graph's own timeline is (wam-timeline.ts); errors from the compiler move from the node's path to
   * the call's (`root`.events..., `root`.automation...).
   */
  private timeline(
    node: GraphNode,
    fields: Partial<Pick<GraphNode, "midi" | "automation">>,
    wam: BuiltWam,
    root: string,
    field: string,
  ): FramedWamEvent[] {
    const only: GraphNode = { ...node, params: {}, automation: {}, midi: [], ...fields };
    const path = `${root}.node`;
    try {
      return wamNodeTimeline(this.graph, only, wam.params, this.sampleRate, path).events;
    } catch (error) {
      if (error instanceof EngineError && error.path?.startsWith(`${path}.${field}`)) {
        const target = field === "midi" ? `${root}.events` : `${root}.automation`;
        throw new EngineError(error.code, error.detail, target + error.path.slice(`${path}.${field}`.length));
      }
      throw error;
    }
  }

  private post(type: "wam-events", wam: BuiltWam, events: FramedWamEvent[], scheduled = false): void {
    this.port.postMessage({
      type,
      scheduled,
      instanceId: wam.instance.instanceId,
      frames: events.map((event) => event.frame),
      events: events.map((event) => ({ type: event.type, data: event.data })),
    });
  }

  private wam(node: string, path: string): BuiltWam {
    const wam = this.built.wams.find((candidate) => candidate.plan.node.name === node);
    if (!wam)
      throw new EngineError("E_UNKNOWN_NODE", `no WAM node named "${node}" in the playing graph`, path);
    return wam;
  }
}
