/**
 * A WAM node's params, automation and MIDI as WAM events on frames (docs/wam.md, "Hosting").
 *
 * The node is compiled by the engine's own graph compiler, with the WAM's parameter table standing in
 * for a processor type, so every automation kind and timeline (seconds, beats on the tempo map, ppqn)
 * lands on the same frames as it would for a builtin node. Then:
 * - a step becomes one wam-automation event on its frame;
 * - a ramp or an audio-rate curve becomes wam-automation events every RAMP_STEP_FRAMES frames (a WAM
 *   parameter has no ramp of its own; plugins may smooth between events);
 * - a MIDI message (note on/off, CC, pitch bend) becomes one wam-midi event on its frame.
 * Pure: runs in Node.js. Automation data by buffer handle is not available here (the audio stays in
 * the engine Worker) and is refused.
 */
import { EngineError } from "../contracts/errors";
import type { GraphDescriptor, GraphNode } from "../contracts/graph-descriptor";
import { compileGraph } from "../engine/graph-compiler";
import type { TimelineEntry } from "../engine/graph-program";
import type { ProcessorParamInfo, ProcessorTypeInfo } from "../engine/processor-types";

/** Frames between the wam-automation events that follow a ramp or an audio-rate curve. */
export const RAMP_STEP_FRAMES = 32;

/** A WAM parameter as getParameterInfo() answers it (a plain object across postMessage). */
export interface WamParameterInfoLike {
  id: string;
  label?: string;
  type?: "float" | "int" | "boolean" | "choice";
  defaultValue?: number;
  minValue?: number;
  maxValue?: number;
  discreteStep?: number;
  /** The skew of its normalized range (wam-normalization.ts); 0 or absent: linear. */
  exponent?: number;
  choices?: string[];
  units?: string;
}

/** A WAM event on a frame of the render (its `time` is set when scheduled: frame / sampleRate). */
export type FramedWamEvent =
  | { frame: number; type: "wam-automation"; data: { id: string; value: number; normalized: false } }
  | { frame: number; type: "wam-midi"; data: { bytes: [number, number, number] } };

export interface WamNodeTimeline {
  /** Parameter values before any event (node.params, and automation's starting values). */
  initial: Record<string, number>;
  /** Events in frame order (stable: events on one frame keep their graph order). */
  events: FramedWamEvent[];
}

/** The WAM's parameters as a processor type, so the graph compiler checks ids, values and choices. */
export function wamParameterType(nodeId: string, params: readonly WamParameterInfoLike[]): ProcessorTypeInfo {
  return {
    index: -1,
    kind: nodeId,
    name: nodeId,
    maxInputs: -1,
    params: params.map(
      (param): ProcessorParamInfo => ({
        id: param.id,
        name: param.label || param.id,
        units: param.units ?? "",
        min: param.minValue ?? 0,
        max: param.maxValue ?? 1,
        default: param.defaultValue ?? 0,
        discrete: param.type === "int" || param.type === "boolean" || param.type === "choice",
        choices: param.type === "choice" ? (param.choices ?? []) : null,
        choiceAliases: null,
      }),
    ),
    instrument: true,
    bufferSlots: [],
    presets: [],
  };
}

/**
 * The events of WAM node `node` of `graph` at `sampleRate`; errors at `path` (the node's path).
 */
export function wamNodeTimeline(
  graph: GraphDescriptor,
  node: GraphNode,
  params: readonly WamParameterInfoLike[],
  sampleRate: number,
  path: string,
): WamNodeTimeline {
  const type = wamParameterType(node.node_id, params);
  const noBuffers = (_handle: string, at: string): never => {
    throw new EngineError(
      "E_SCHEMA",
      "automation of a WAM node takes inline values, not a buffer handle",
      at,
    );
  };
  let compiled: ReturnType<typeof compileGraph>;
  try {
    compiled = compileGraph(
      { ...graph, nodes: [{ ...node, inputs: [], capture: false }], output: node.name },
      {
        types: [],
        sampleRate,
        resolveBuffer: noBuffers,
        readBufferChannel0: noBuffers,
        resolveExternal: () => ({
          type,
          spec: {
            nodeId: node.node_id,
            numOutputs: 2,
            params: [],
            create: () => {
              throw new EngineError("E_INTERNAL", "a WAM node is not an engine node");
            },
          },
        }),
      },
    );
  } catch (error) {
    // The compiler saw a one-node graph: point its paths at the node's place in the real one.
    if (error instanceof EngineError && error.path?.startsWith("node_graph.nodes[0]")) {
      const rest = error.path.slice("node_graph.nodes[0]".length);
      throw new EngineError(error.code, error.detail, path + rest);
    }
    throw error;
  }
  const program = compiled.program.nodes[0];
  const initial = { ...(program?.params ?? {}) };
  const events: FramedWamEvent[] = [];
  for (const entry of program?.timeline ?? []) addEvents(entry, events);
  // Stable sort: events on one frame keep the order the graph gave them (a note-off before a note-on).
  events.sort((a, b) => a.frame - b.frame);
  return { initial, events };
}

function automation(frame: number, id: string, value: number): FramedWamEvent {
  return { frame, type: "wam-automation", data: { id, value, normalized: false } };
}

function addEvents(entry: TimelineEntry, events: FramedWamEvent[]): void {
  switch (entry.type) {
    case "step":
      events.push(automation(entry.frame, entry.param, entry.value));
      return;
    case "midi":
      events.push({
        frame: entry.frame,
        type: "wam-midi",
        data: { bytes: [entry.status, entry.data1, entry.data2] },
      });
      return;
    case "ramp": {
      const length = entry.end - entry.start;
      if (length <= 0) {
        events.push(automation(entry.start, entry.param, entry.to));
        return;
      }
      for (let offset = 0; offset < length; offset += RAMP_STEP_FRAMES) {
        const t = offset / length;
        const value =
          entry.curve === "exponential"
            ? entry.from * (entry.to / entry.from) ** t
            : entry.from + (entry.to - entry.from) * t;
        events.push(automation(entry.start + offset, entry.param, value));
      }
      events.push(automation(entry.end, entry.param, entry.to));
      return;
    }
    case "array":
      for (let offset = 0; offset < entry.values.length; offset += RAMP_STEP_FRAMES) {
        events.push(automation(entry.start + offset, entry.param, entry.values[offset] as number));
      }
      return;
  }
}
