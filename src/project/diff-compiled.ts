/**
 * The smallest change that takes a playing engine from one compiled project to the next: a list of
 * the calls the engine takes without reloading its graph (EngineClient.setParameter,
 * scheduleAutomation, scheduleEvents, setLoop), or "reload" with the reason when none will do.
 *
 * The graph's structure reloads: nodes added or removed, a node's type, inputs, buffers or capture,
 * the tempo. Within one structure:
 * - a changed static parameter is setParameter (a parameter that loses its value reloads: its
 *   default is the node type's, which a compiled graph does not hold);
 * - a changed or added automation lane is scheduleAutomation with mode "replace"; a removed lane
 *   reloads, since no call removes a lane (a one-point lane holding the static value would outlive
 *   the compiled graph's memory of it, and a later setParameter of that parameter would be ignored);
 * - MIDI that only gained events is scheduleEvents of the new ones; any other MIDI change reloads.
 *   The real-time host plays scheduled events and forgets them (docs/reliability.md), so after a
 *   seek or a loop they would not play again: for it pass `{ scheduledEventsReplay: false }`, and
 *   added events reload too;
 * - a changed loop region is setLoop.
 */
import type { Automation, GraphDescriptor, GraphNode, MidiEvent } from "../contracts/graph-descriptor";
import type { LoopRegion } from "../contracts/transport-state";
import type { CompiledProject } from "./compile-project";

/** One call to a playing engine. */
export type EngineEdit =
  | { type: "set_parameter"; node: string; parameter_id: string; value: number | string }
  | { type: "schedule_automation"; node: string; parameter_id: string; automation: Automation }
  | { type: "schedule_events"; node: string; events: MidiEvent[] }
  | { type: "set_loop"; loop: LoopRegion | null };

/** What to send: edits (possibly none), or a reload of the whole graph. */
export type EngineChange =
  | { kind: "edits"; edits: EngineEdit[] }
  | { kind: "reload"; reason: string; graph: GraphDescriptor; loop: LoopRegion | null };

export interface DiffOptions {
  /**
   * Whether the engine keeps events given to scheduleEvents for replays (seek, loop): true for the
   * in-process and Worker hosts (default), false for the real-time host.
   */
  scheduledEventsReplay?: boolean;
}

/** Equal as JSON; the same object (a track's nodes a ProjectCompiler kept) without serialising it. */
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * The change from `before` (what the engine plays) to `after`.
 * @example
 * const change = diffCompiled(playing, next);
 * if (change.kind === "reload") console.log(`reloading: ${change.reason}`);
 */
export function diffCompiled(
  before: CompiledProject,
  after: CompiledProject,
  options: DiffOptions = {},
): EngineChange {
  const reload = (reason: string): EngineChange => ({
    kind: "reload",
    reason,
    graph: after.graph,
    loop: after.loop,
  });
  const structural = graphReloadReason(before.graph, after.graph);
  if (structural !== null) return reload(structural);
  const edits: EngineEdit[] = [];
  const previous = new Map(before.graph.nodes.map((node) => [node.name, node]));
  for (const node of after.graph.nodes) {
    const old = previous.get(node.name) as GraphNode;
    if (old === node) continue;
    const reason = nodeEdits(old, node, options.scheduledEventsReplay ?? true, edits);
    if (reason !== null) return reload(`${node.name}: ${reason}`);
  }
  if (!same(before.loop, after.loop)) edits.push({ type: "set_loop", loop: after.loop });
  return { kind: "edits", edits };
}

function graphReloadReason(before: GraphDescriptor, after: GraphDescriptor): string | null {
  if (!same(before.tempo, after.tempo) || before.ppqn !== after.ppqn) return "the tempo changed";
  if (before.output !== after.output) return "the output node changed";
  if (!same(before.extensions, after.extensions)) return "the graph's extensions (its metered nodes) changed";
  const names = new Set(before.nodes.map((node) => node.name));
  const added = after.nodes.find((node) => !names.has(node.name));
  if (added !== undefined) return `node ${added.name} was added`;
  if (before.nodes.length !== after.nodes.length) {
    const kept = new Set(after.nodes.map((node) => node.name));
    return `node ${before.nodes.find((node) => !kept.has(node.name))?.name} was removed`;
  }
  const previous = new Map(before.nodes.map((node) => [node.name, node]));
  for (const node of after.nodes) {
    const old = previous.get(node.name) as GraphNode;
    if (old === node) continue;
    for (const field of ["node_id", "inputs", "buffers", "capture", "extensions"] as const) {
      if (!same(old[field], node[field])) return `${node.name}: its ${field} changed`;
    }
  }
  return null;
}

/** Appends the edits taking `before` to `after` (one node); a reason when they cannot. */
function nodeEdits(before: GraphNode, after: GraphNode, replay: boolean, edits: EngineEdit[]): string | null {
  for (const key of Object.keys(before.params)) {
    if (!Object.hasOwn(after.params, key)) return `parameter ${key} lost its value`;
  }
  for (const [key, value] of Object.entries(after.params)) {
    if (before.params[key] !== value)
      edits.push({ type: "set_parameter", node: after.name, parameter_id: key, value });
  }
  const keys = new Set([...Object.keys(before.automation), ...Object.keys(after.automation)]);
  for (const key of keys) {
    const old = Object.hasOwn(before.automation, key) ? before.automation[key] : undefined;
    const next = Object.hasOwn(after.automation, key) ? after.automation[key] : undefined;
    if (same(old, next)) continue;
    if (next !== undefined) {
      edits.push({ type: "schedule_automation", node: after.name, parameter_id: key, automation: next });
      continue;
    }
    // No call removes a lane: a held one-point lane in its place would stay on the engine after the
    // compiled graph forgets it, and a later setParameter of that parameter would change nothing.
    return `automation of ${key} was removed, and the engine keeps a lane once it has one`;
  }
  if (same(before.midi, after.midi)) return null;
  const added = addedEvents(before.midi, after.midi);
  if (added === null) return "MIDI events were moved or removed";
  if (!replay) return "MIDI events were added and this host does not replay scheduled events";
  edits.push({ type: "schedule_events", node: after.name, events: added });
  return null;
}

/** The events of `after` beyond those of `before` (as a multiset), or null when some were removed. */
function addedEvents(before: readonly MidiEvent[], after: readonly MidiEvent[]): MidiEvent[] | null {
  const counts = new Map<string, number>();
  for (const event of before) {
    const key = JSON.stringify(event);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const added: MidiEvent[] = [];
  for (const event of after) {
    const key = JSON.stringify(event);
    const left = counts.get(key) ?? 0;
    if (left > 0) counts.set(key, left - 1);
    else added.push(event);
  }
  for (const left of counts.values()) if (left > 0) return null;
  return added;
}
