/**
 * Control commands (set_parameter, schedule_events) applied to a stored GraphDescriptor, so a host
 * without a real-time graph (in-process) keeps an exact record of what a real-time host would be playing,
 * and could hand it to one. Pure functions: the input graph is never modified.
 *
 * - A value set now replaces the node's static `params` value. Automation of the same parameter
 *   still overrides it, as the GraphDescriptor contract says.
 * - A value set at a time becomes a "step" breakpoint at that time: inserted into the parameter's
 *   breakpoint curve (on the curve's own timeline; times in beats via the graph's tempo), or, when the
 *   parameter has no automation yet, a new curve that holds the current value until then. Dense
 *   automation (audio_rate, ppqn) has no place for a point, so such a call is rejected with a reason.
 * - MIDI events are appended to the node's `midi` list.
 * - Live automation (schedule_automation) becomes the parameter's automation lane, as
 *   automation-lane.ts works it out.
 */
import { EngineError } from "../../contracts/errors";
import type { Automation, GraphDescriptor, GraphNode, MidiEvent } from "../../contracts/graph-descriptor";
import { graphEventCount } from "../../contracts/graph-limits";
import { checkLimit, formatCount } from "../../contracts/limits";
import { beatAtSeconds } from "../../contracts/tempo-map";

/** One set_parameter, resolved against the node's type. */
export interface ParameterChange {
  node: string;
  parameterId: string;
  /** As the caller wrote it: a number or a choice label (kept as written in `params`). */
  value: number | string;
  /** The value in engine units (a label's index). */
  resolved: number;
  /** Transport time, or null for now. */
  atSeconds: number | null;
  /** The parameter's value before the change (its static value or default), held until atSeconds. */
  current: number;
}

/**
 * The graph with one parameter change recorded. E_SCHEMA at set_parameter.at_seconds for a timed
 * change of a parameter under audio_rate or ppqn automation.
 * @example
 * graph = withParameterChange(graph, { node: "filter", parameterId: "frequency", value: 1200,
 *   resolved: 1200, atSeconds: 4, current: 1000 });
 */
export function withParameterChange(graph: GraphDescriptor, change: ParameterChange): GraphDescriptor {
  return replaceNode(graph, change.node, (node) => {
    if (change.atSeconds === null) {
      return { ...node, params: { ...node.params, [change.parameterId]: change.value } };
    }
    const automation = scheduledAutomation(graph, node, change, change.atSeconds);
    return { ...node, automation: { ...node.automation, [change.parameterId]: automation } };
  });
}

/**
 * The graph with MIDI events appended to a node. E_LIMIT at schedule_events.events when the graph
 * would hold more events than graphEvents allows: events accumulate in the record (a real-time host
 * plays from it), so a long session of scheduling reaches the limit as one big graph would.
 * @example
 * graph = withMidiEvents(graph, "bass", [{ type: "cc", timeline: "seconds", time: 1, controller: 1, value: 64, channel: 1 }]);
 */
export function withMidiEvents(
  graph: GraphDescriptor,
  nodeName: string,
  events: readonly MidiEvent[],
): GraphDescriptor {
  const held = graphEventCount(graph);
  const context = `${formatCount(held)} in the loaded graph and ${formatCount(events.length)} scheduled now`;
  checkLimit("graphEvents", held + events.length, "schedule_events.events", context);
  return replaceNode(graph, nodeName, (node) => ({ ...node, midi: [...node.midi, ...events] }));
}

/**
 * The graph with a parameter's automation lane replaced by `automation` (a schedule_automation call,
 * its lane already worked out by automationAfter).
 * @example
 * graph = withAutomation(graph, "amp", "gain", {
 *   kind: "web_audio", timeline: "seconds", events: [{ type: "setValueAtTime", value: 0, time: 1 }],
 * });
 */
export function withAutomation(
  graph: GraphDescriptor,
  nodeName: string,
  parameterId: string,
  automation: Automation,
): GraphDescriptor {
  return replaceNode(graph, nodeName, (node) => ({
    ...node,
    automation: { ...node.automation, [parameterId]: automation },
  }));
}

function scheduledAutomation(
  graph: GraphDescriptor,
  node: GraphNode,
  change: ParameterChange,
  atSeconds: number,
): Automation {
  // Own keys only: an id such as "constructor" must not find Object.prototype's.
  const existing = Object.hasOwn(node.automation, change.parameterId)
    ? node.automation[change.parameterId]
    : undefined;
  if (existing === undefined) {
    return {
      kind: "breakpoints",
      timeline: "seconds",
      points: [
        { time: 0, value: change.current, curve: "step" },
        { time: atSeconds, value: change.resolved, curve: "step" },
      ],
    };
  }
  if (existing.kind !== "breakpoints") {
    throw new EngineError(
      "E_SCHEMA",
      `cannot schedule ${change.parameterId} of node "${change.node}": it follows ${existing.kind} automation ` +
        "(set it without at_seconds, or load a graph with a breakpoint curve)",
      "set_parameter.at_seconds",
    );
  }
  const time = existing.timeline === "seconds" ? atSeconds : beatAtSeconds(graph.tempo, atSeconds);
  const points = [...existing.points];
  const at = points.findIndex((point) => point.time > time);
  points.splice(at < 0 ? points.length : at, 0, { time, value: change.resolved, curve: "step" });
  return { ...existing, points };
}

function replaceNode(
  graph: GraphDescriptor,
  name: string,
  edit: (node: GraphNode) => GraphNode,
): GraphDescriptor {
  return { ...graph, nodes: graph.nodes.map((node) => (node.name === name ? edit(node) : node)) };
}
