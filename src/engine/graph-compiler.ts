/**
 * Compiles a v1alpha GraphDescriptor (names, seconds, beats, labels, buffer handles) into a
 * GraphProgram (engine kinds, indices, transport frames, engine buffer ids) that any host applies with
 * applyGraphProgram. It also checks what only the engine's processor table can tell: node types,
 * parameter ids, choice labels, static value ranges and buffer slots. Every failure is an EngineError
 * naming the field; nothing here touches an engine.
 *
 * Time rules (every host uses these, so the same request lands on the same frames everywhere):
 * - seconds t -> frame Math.round(t * sampleRate);
 * - beats b -> b quantised to the graph's grid (round(b * ppqn) / ppqn), then
 *   Math.round(secondsAtBeat(tempo, b) * sampleRate) on the graph's tempo map;
 * - a "linear" or "exponential" breakpoint segment is a ramp between the frames of its two points, so
 *   on the beats timeline it is linear (or exponential) in time, not in beats: under a tempo ramp the
 *   two differ by a fraction of the segment's curvature, which no listener resolves.
 *
 * Value rules:
 * - static `params` must lie within the parameter's range (a typo such as frequency 100000 is
 *   reported, not silently clamped), discrete parameters take integers, choice parameters take an
 *   index or a label;
 * - automation values are not range-checked: the engine clamps them per frame, as the NodeDescriptor
 *   contract states ("values outside are clamped by the engine"), since a curve or an audio-rate
 *   buffer may overshoot on purpose and checking 65536-value arrays per render would cost more than
 *   it finds;
 * - automation of a parameter sets its value from the start of the timeline (the first point, the
 *   first pulse, the first sample), so it overrides `params` there too, also after a seek.
 */
import type { BufferHandle } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import type { Automation, GraphDescriptor, GraphNode, MidiEvent, Tempo } from "../contracts/graph-descriptor";
import { secondsAtBeat, tempoPieces } from "../contracts/tempo-map";
import { formatPath } from "../contracts/validate";
import {
  BUILTIN_PREFIX,
  bufferSlotIndex,
  bufferSlotNames,
  choiceIndex,
  findBuiltinType,
  parameterRange,
} from "./builtin-descriptors";
import type { ExternalNodeSpec, GraphProgram, GraphProgramNode, TimelineEntry } from "./graph-program";
import { compensateLatency } from "./latency-compensation";
import type { ProcessorParamInfo, ProcessorTypeInfo } from "./processor-types";
import { compileWebAudio } from "./web-audio-compiler";

/** What the compiler needs from its host. */
export interface GraphCompileContext {
  /** The engine's processor types (WasmEngine.types). */
  types: readonly ProcessorTypeInfo[];
  /** Rate of the engine the program will run on; times become frames at this rate. */
  sampleRate: number;
  /** The engine buffer id holding a handle's audio; throws E_UNKNOWN_HANDLE at `path` if unknown. */
  resolveBuffer(handle: BufferHandle, path: string): number;
  /** Channel 0 of a handle's audio (automation data); throws E_UNKNOWN_HANDLE at `path` if unknown. */
  readBufferChannel0(handle: BufferHandle, path: string): Float32Array;
  /** Names to capture besides nodes marked `capture: true` (RenderRequest.options.capture). */
  capture?: readonly string[];
  /** Prefix of error paths. Default "node_graph" (inside a RenderRequest). */
  rootLabel?: string;
  /** Prefix of the paths of `capture` entries. Default "options.capture". */
  captureLabel?: string;
  /**
   * Names of nodes whose parameter values to record on every frame
   * (RenderRequest.options.record_automation.nodes); paths under "options.record_automation.nodes".
   */
  recordAutomation?: readonly string[];
  /**
   * Resolves a node whose node_id is not a builtin (e.g. "faust:<hash>") to an external node, or
   * returns undefined to report the id as unknown. It checks the node's `buffers` itself.
   */
  resolveExternal?(node: GraphNode, path: string): ExternalNodeResolution | undefined;
}

/** A non-builtin node as the compiler needs it: its parameter table (kind = node_id) and its spec. */
export interface ExternalNodeResolution {
  type: ProcessorTypeInfo;
  spec: ExternalNodeSpec;
}

/** A compiled graph and where each named node ended up. */
export interface CompiledGraph {
  program: GraphProgram;
  /** Program index of every graph node, by name (program node i is graph node i). */
  nodeIndex: Map<string, number>;
  /**
   * Program index of the graph's output node. Equal to program.output, except when a captured node
   * does not feed the output: the engine renders only what its output depends on, so the compiler
   * then adds a hidden sink (a unity gain after the output and those nodes) as the program's output
   * and marks the graph's output as captured, and the host reads the output from its capture.
   */
  outputNode: number;
  /**
   * Program index of each captured node, by name, in graph order: the node itself, or the latency
   * compensation delay that aligns it with the output (latency-compensation.ts).
   */
  captures: Map<string, number>;
  /**
   * Each node whose parameters are recorded (record_automation), by name, in graph order: its
   * program index and its parameter ids in engine index order.
   */
  recorded: Map<string, RecordedNode>;
  /**
   * Frames the output (and every capture) is late by: the output's path latency, the sum of the
   * latencies its longest path adds. A render discards that many frames at its start; 0 for a
   * graph whose nodes add none.
   */
  latencyFrames: number;
  /** Path latency of each graph node, by program index (latency-compensation.ts). */
  pathLatency: number[];
}

/** A node whose parameter values a render records. */
export interface RecordedNode {
  index: number;
  /** Parameter ids, in the engine's parameter index order. */
  params: string[];
}

/** The most parameter ids an "unknown parameter" message lists (a mixer has 257). */
const MAX_LISTED_IDS = 16;

/**
 * Compiles a parsed, checkGraph-checked GraphDescriptor for an engine at `context.sampleRate`.
 * @example
 * const { program, nodeIndex } = compileGraph(request.node_graph, {
 *   types: engine.types,
 *   sampleRate: 48000,
 *   resolveBuffer: (handle, path) => store.engineBufferId(engine, handle, path),
 *   readBufferChannel0: (handle, path) => store.read(handle, path)[0] ?? new Float32Array(0),
 * });
 * applyGraphProgram(engine, program);
 */
export function compileGraph(graph: GraphDescriptor, context: GraphCompileContext): CompiledGraph {
  const root = context.rootLabel ?? "node_graph";
  const nodeIndex = new Map<string, number>();
  graph.nodes.forEach((node, index) => {
    nodeIndex.set(node.name, index);
  });
  const requested = new Set<string>();
  context.capture?.forEach((name, position) => {
    if (!nodeIndex.has(name)) {
      const path = formatPath([position], context.captureLabel ?? "options.capture");
      throw new EngineError("E_UNKNOWN_NODE", `no node named "${name}"`, path);
    }
    requested.add(name);
  });
  const recordedNames = new Set<string>();
  context.recordAutomation?.forEach((name, position) => {
    if (!nodeIndex.has(name)) {
      const path = formatPath([position], "options.record_automation.nodes");
      throw new EngineError("E_UNKNOWN_NODE", `no node named "${name}"`, path);
    }
    recordedNames.add(name);
  });
  const clock = new FrameClock(graph, context.sampleRate);
  const ownLatency: number[] = [];
  const parameterIds: string[][] = [];
  const nodes = graph.nodes.map((node, index) => {
    const path = formatPath(["nodes", index], root);
    const compiled = compileNode(node, path, nodeIndex, clock, context, (ids) => {
      parameterIds[index] = ids;
    });
    ownLatency.push(compiled.external?.latencyFrames ?? 0);
    return compiled;
  });
  const requestedCaptures = new Map<string, number>();
  graph.nodes.forEach((node, index) => {
    if (node.capture || requested.has(node.name)) requestedCaptures.set(node.name, index);
  });
  const outputNode = nodeIndex.get(graph.output);
  if (outputNode === undefined) {
    throw new EngineError("E_UNKNOWN_NODE", `no node named "${graph.output}"`, formatPath(["output"], root));
  }
  const recorded = new Map<string, RecordedNode>();
  graph.nodes.forEach((node, index) => {
    if (!recordedNames.has(node.name)) return;
    recorded.set(node.name, { index, params: parameterIds[index] ?? [] });
    (nodes[index] as GraphProgramNode).recordParams = true;
  });
  const program: GraphProgram = { nodes, output: outputNode, tempo: tempoPieces(graph.tempo) };
  const { latencyFrames, captures, pathLatency } = compensateLatency(program, ownLatency, requestedCaptures);
  for (const index of captures.values()) (program.nodes[index] as GraphProgramNode).capture = true;
  // A recorded node renders only when something renders it: off the output's path it joins the sink.
  addSinkForOffPathCaptures(
    program,
    [...captures.values(), ...[...recorded.values()].map(({ index }) => index)],
    context.types,
  );
  return { program, nodeIndex, outputNode, captures, recorded, latencyFrames, pathLatency };
}

function compileNode(
  node: GraphNode,
  path: string,
  nodeIndex: ReadonlyMap<string, number>,
  clock: FrameClock,
  context: GraphCompileContext,
  parameterIds: (ids: string[]) => void,
): GraphProgramNode {
  const external = node.node_id.startsWith(BUILTIN_PREFIX)
    ? undefined
    : context.resolveExternal?.(node, path);
  const type = external?.type ?? requireBuiltinType(context.types, node.node_id, `${path}.node_id`);
  parameterIds(external ? external.spec.params.map(({ id }) => id) : type.params.map(({ id }) => id));
  const params: Record<string, number> = {};
  for (const [id, value] of Object.entries(node.params)) {
    const paramPath = formatPath(["params", id], path);
    params[id] = resolveParameterValue(type, id, value, { id: paramPath, value: paramPath });
  }
  const timeline: TimelineEntry[] = [];
  for (const [id, automation] of Object.entries(node.automation)) {
    const automationPath = formatPath(["automation", id], path);
    const param = requireParameter(type, id, automationPath);
    const lane = laneEntries(id, automation, params[id] ?? param.default, automationPath, clock, context);
    for (const entry of lane.timeline) timeline.push(entry);
    if (automation.kind !== "web_audio" && lane.base !== undefined) params[id] = lane.base;
  }
  appendMidi(node.midi, clock, timeline);
  const buffers: Record<number, number> = {};
  for (const [slotName, handle] of external ? [] : Object.entries(node.buffers)) {
    const slotPath = formatPath(["buffers", slotName], path);
    buffers[requireBufferSlot(type, slotName, slotPath)] = context.resolveBuffer(handle, slotPath);
  }
  requireCustomWave(type, params, buffers, path);
  return {
    kind: type.kind,
    // checkGraph has resolved every input name; -1 would make the engine report a bad node.
    inputs: node.inputs.map((input) => nodeIndex.get(input) ?? -1),
    params,
    ...(timeline.length > 0 ? { timeline } : {}),
    ...(Object.keys(buffers).length > 0 ? { buffers } : {}),
    ...(external ? { external: external.spec } : {}),
  };
}

/**
 * An oscillator set to play a custom waveform needs the Fourier series to play: without a `wave`
 * buffer it would render silence, which reads as a bug in the graph rather than in the engine.
 */
function requireCustomWave(
  type: ProcessorTypeInfo,
  params: Readonly<Record<string, number>>,
  buffers: Readonly<Record<number, number>>,
  path: string,
): void {
  if (type.kind !== "oscillator" || buffers[0] !== undefined) return;
  const waveform = type.params.find((param) => param.id === "waveform");
  if (waveform === undefined || params.waveform !== choiceIndex(waveform, "custom")) return;
  throw new EngineError(
    "E_SCHEMA",
    'waveform "custom" plays the Fourier series of a "wave" buffer, and there is none ' +
      "(upload periodicWaveChannels({ real, imag }) and name its handle in buffers.wave)",
    formatPath(["buffers"], path),
  );
}

/**
 * The builtin type a node id names; E_UNKNOWN_NODE at `path` listing the known ids when there is none.
 * Any non-empty string is a node_id on the wire (as in the v1alpha seed): it is resolved here, where
 * it is used.
 * @example
 * requireBuiltinType(engine.types, "builtin:flanger", "node_graph.nodes[0].node_id");
 * // E_UNKNOWN_NODE at node_graph.nodes[0].node_id: unknown node type "builtin:flanger" (known: builtin:oscillator, ...)
 */
export function requireBuiltinType(
  types: readonly ProcessorTypeInfo[],
  nodeId: string,
  path: string,
): ProcessorTypeInfo {
  const type = findBuiltinType(types, nodeId);
  if (type !== undefined) return type;
  const known = types.map((candidate) => `${BUILTIN_PREFIX}${candidate.kind}`).join(", ");
  const hint = nodeId.startsWith(BUILTIN_PREFIX) ? "" : "; this host runs builtin nodes only";
  throw new EngineError("E_UNKNOWN_NODE", `unknown node type "${nodeId}"${hint} (known: ${known})`, path);
}

function requireParameter(type: ProcessorTypeInfo, id: string, path: string): ProcessorParamInfo {
  const param = type.params.find((candidate) => candidate.id === id);
  if (param !== undefined) return param;
  const ids = type.params.map((candidate) => candidate.id);
  const listed =
    ids.length <= MAX_LISTED_IDS
      ? ids.join(", ")
      : `${ids.slice(0, MAX_LISTED_IDS).join(", ")}, and ${ids.length - MAX_LISTED_IDS} more`;
  throw new EngineError(
    "E_SCHEMA",
    `unknown parameter "${id}" of ${typeNodeId(type)} (known: ${listed})`,
    path,
  );
}

/**
 * A static parameter value in engine units: a number checked against the range (an integer for a
 * discrete parameter), or a choice label turned into its index. Throws E_SCHEMA at `paths.id` for an
 * unknown parameter and at `paths.value` for a bad value.
 * @example
 * resolveParameterValue(filterType, "mode", "highpass", { id: "p", value: "p" }); // 1
 * resolveParameterValue(filterType, "frequency", 1e6, { id: "p", value: "p" });
 * // E_SCHEMA at p: must be within [10, 24000] for frequency of builtin:filter (got 1000000)
 */
export function resolveParameterValue(
  type: ProcessorTypeInfo,
  id: string,
  value: number | string,
  paths: { id: string; value: string },
): number {
  const param = requireParameter(type, id, paths.id);
  const owner = `${id} of ${typeNodeId(type)}`;
  if (typeof value === "string") {
    if (param.choices === null) {
      throw new EngineError("E_SCHEMA", `must be a number: ${owner} has no choices`, paths.value);
    }
    const index = choiceIndex(param, value);
    if (index < 0) {
      throw new EngineError(
        "E_SCHEMA",
        `unknown choice "${value}" for ${owner} (choices: ${param.choices.join(", ")})`,
        paths.value,
      );
    }
    return index;
  }
  const [min, max] = parameterRange(param);
  if (!(value >= min && value <= max)) {
    throw new EngineError(
      "E_SCHEMA",
      `must be within [${min}, ${max}] for ${owner} (got ${value})`,
      paths.value,
    );
  }
  if (param.discrete && !Number.isInteger(value)) {
    throw new EngineError("E_SCHEMA", `must be an integer for ${owner} (got ${value})`, paths.value);
  }
  return value;
}

/** The node_id of a type: "builtin:<kind>", or an external type's own id (its kind). */
function typeNodeId(type: ProcessorTypeInfo): string {
  return type.index < 0 ? type.kind : `${BUILTIN_PREFIX}${type.kind}`;
}

function requireBufferSlot(type: ProcessorTypeInfo, slotName: string, path: string): number {
  const slot = bufferSlotIndex(type, slotName);
  if (slot >= 0) return slot;
  const names = bufferSlotNames(type);
  const nodeId = `${BUILTIN_PREFIX}${type.kind}`;
  const detail =
    names.length === 0
      ? `${nodeId} takes no buffers`
      : `unknown buffer slot "${slotName}" of ${nodeId} (known: ${names.join(", ")})`;
  throw new EngineError("E_SCHEMA", detail, path);
}

/** One parameter's automation lane, compiled: its timeline entries and its value before them. */
export interface CompiledLane {
  /**
   * The parameter's value before automation: the first value of audio_rate, ppqn and breakpoints
   * automation (it holds from the start of the timeline), the static value for web_audio (Web Audio's
   * intrinsic value, held before the first event).
   */
  base: number;
  timeline: TimelineEntry[];
}

/**
 * Compiles one parameter's automation as compileGraph compiles it inside a node, for a live lane
 * replacement (EngineClient.scheduleAutomation): the same entries on the same frames, so a lane
 * scheduled live plays what the same automation loaded in the graph plays. `staticValue` is the
 * parameter's value in engine units without automation (`params`, else its default). E_SCHEMA at
 * `path` for an unknown parameter, and as compileGraph for the automation itself.
 * @example
 * const graph = parseContract(GraphDescriptorSchema, {
 *   version: "v1alpha", nodes: [{ name: "f", node_id: "builtin:filter" }], output: "f",
 * });
 * const automation = { kind: "breakpoints" as const, timeline: "seconds" as const, points: [
 *   { time: 0, value: 200, curve: "exponential" as const }, { time: 1, value: 2000, curve: "linear" as const },
 * ] };
 * const lane = compileLane(graph, "frequency", automation, 1000, {
 *   types: [filterType], sampleRate: 48000, resolveBuffer: () => 0, readBufferChannel0: () => new Float32Array(0),
 * }, "schedule_automation.automation");
 * // lane.base: 200; lane.timeline: one exponential ramp over frames [0, 48000)
 */
export function compileLane(
  graph: GraphDescriptor,
  id: string,
  automation: Automation,
  staticValue: number,
  context: GraphCompileContext,
  path: string,
): CompiledLane {
  const clock = new FrameClock(graph, context.sampleRate);
  const lane = laneEntries(id, automation, staticValue, path, clock, context);
  return {
    base: automation.kind === "web_audio" ? staticValue : (lane.base ?? staticValue),
    timeline: lane.timeline,
  };
}

/**
 * A parameter's value in engine units without automation: its static value in `params` (a label as
 * its index), else the engine's default.
 * @example
 * staticParameterValue(filterType, { mode: "high" }, "mode"); // the index of "high"
 */
export function staticParameterValue(
  type: ProcessorTypeInfo,
  params: Readonly<Record<string, number | string>>,
  parameterId: string,
): number {
  const param = type.params.find((candidate) => candidate.id === parameterId);
  const value = Object.hasOwn(params, parameterId) ? params[parameterId] : undefined;
  if (value === undefined || param === undefined) return param?.default ?? 0;
  return resolveParameterValue(type, parameterId, value, { id: "", value: "" });
}

/** Unknown parameter ids are E_SCHEMA at `path` (listing the known ones); the parameter otherwise. */
export function requireParameterOf(type: ProcessorTypeInfo, id: string, path: string): ProcessorParamInfo {
  return requireParameter(type, id, path);
}

function laneEntries(
  id: string,
  automation: Automation,
  staticValue: number,
  path: string,
  clock: FrameClock,
  context: GraphCompileContext,
): { base: number | undefined; timeline: TimelineEntry[] } {
  const timeline: TimelineEntry[] = [];
  if (automation.kind === "web_audio") {
    // Web Audio's intrinsic value: the parameter's own, which holds before the first event.
    // Web Audio times are continuous: beats are not put on the ppqn grid, so a short curve keeps its length.
    const toSeconds = (time: number) => clock.seconds(automation.timeline, time);
    const options = { intrinsic: staticValue, sampleRate: context.sampleRate, toSeconds, path };
    compileWebAudio(id, automation, options, timeline);
    return { base: staticValue, timeline };
  }
  const base = compileAutomation(id, automation, path, clock, context, timeline);
  return { base, timeline };
}

/**
 * Appends the timeline entries of one parameter's automation; returns its value at the start of the
 * timeline (which becomes the parameter's base value), or undefined when there are no values.
 */
function compileAutomation(
  param: string,
  automation: Exclude<Automation, { kind: "web_audio" }>,
  path: string,
  clock: FrameClock,
  context: GraphCompileContext,
  timeline: TimelineEntry[],
): number | undefined {
  switch (automation.kind) {
    case "audio_rate": {
      const values = automationValues(automation, path, context);
      if (values.length === 0) return undefined;
      timeline.push({ type: "array", param, start: 0, values });
      return values[0];
    }
    case "ppqn": {
      const values = automationValues(automation, path, context);
      if (values.length === 0) return undefined;
      // One step per change of value: a 960-ppqn curve that moves once a bar stays a few entries.
      let previous = values[0] as number;
      for (let pulse = 1; pulse < values.length; pulse++) {
        const value = values[pulse] as number;
        if (Object.is(value, previous)) continue;
        timeline.push({ type: "step", param, frame: clock.beatFrame(pulse / automation.ppqn), value });
        previous = value;
      }
      return values[0];
    }
    case "breakpoints": {
      const points = automation.points;
      const frames = points.map((point) => clock.frame(automation.timeline, point.time));
      for (let i = 0; i + 1 < points.length; i++) {
        const from = points[i] as (typeof points)[number];
        const to = points[i + 1] as (typeof points)[number];
        const start = frames[i] as number;
        const end = frames[i + 1] as number;
        if (from.curve === "step") {
          timeline.push({ type: "step", param, frame: end, value: to.value });
        } else {
          timeline.push({
            type: "ramp",
            param,
            start,
            end,
            from: from.value,
            to: to.value,
            curve: from.curve,
          });
        }
      }
      return points[0]?.value;
    }
  }
}

function automationValues(
  automation: { values?: number[] | undefined; buffer_handle?: string | undefined },
  path: string,
  context: GraphCompileContext,
): Float32Array {
  if (automation.buffer_handle !== undefined) {
    return context.readBufferChannel0(automation.buffer_handle, `${path}.buffer_handle`);
  }
  return Float32Array.from(automation.values ?? []);
}

const NOTE_OFF = 0x80;
const NOTE_ON = 0x90;
const CONTROL_CHANGE = 0xb0;
const PITCH_BEND = 0xe0;

/**
 * Appends a node's MIDI entries to its timeline, in frame order. At one frame, note-offs go first, so
 * a note repeated legato (one ends where the next starts) is not cut by its predecessor's note-off
 * whatever the listing order. Appended one by one: a graph may carry hundreds of thousands of events,
 * more than a spread call's arguments may hold.
 */
function appendMidi(events: readonly MidiEvent[], clock: FrameClock, timeline: TimelineEntry[]): void {
  const entries: Extract<TimelineEntry, { type: "midi" }>[] = [];
  for (const event of events) {
    const channel = event.channel - 1;
    const frame = clock.frame(event.timeline, event.time);
    switch (event.type) {
      case "note":
        entries.push({
          type: "midi",
          frame,
          status: NOTE_ON | channel,
          data1: event.note,
          data2: event.velocity,
        });
        entries.push({
          type: "midi",
          frame: clock.frame(event.timeline, event.time + event.duration),
          status: NOTE_OFF | channel,
          data1: event.note,
          data2: 0,
        });
        break;
      case "cc":
        entries.push({
          type: "midi",
          frame,
          status: CONTROL_CHANGE | channel,
          data1: event.controller,
          data2: event.value,
        });
        break;
      case "pitch_bend": {
        // 14 bits, centre 8192, sent least significant 7 bits first.
        const bend = event.value + 8192;
        entries.push({
          type: "midi",
          frame,
          status: PITCH_BEND | channel,
          data1: bend & 0x7f,
          data2: bend >> 7,
        });
        break;
      }
    }
  }
  const isNoteOff = (entry: (typeof entries)[number]) => ((entry.status & 0xf0) === NOTE_OFF ? 0 : 1);
  entries.sort((a, b) => a.frame - b.frame || isNoteOff(a) - isNoteOff(b));
  for (const entry of entries) timeline.push(entry);
}

/** Timeline times to transport frames at one sample rate, on one graph's tempo and beat grid. */
class FrameClock {
  private readonly tempo: Tempo;
  private readonly ppqn: number;

  constructor(
    graph: GraphDescriptor,
    private readonly sampleRate: number,
  ) {
    this.tempo = graph.tempo;
    this.ppqn = graph.ppqn;
  }

  /** The frame of a time on the seconds or beats timeline (beats quantised to the graph's grid). */
  frame(timeline: "seconds" | "beats", time: number): number {
    if (timeline === "seconds") return Math.round(time * this.sampleRate);
    return this.beatFrame(Math.round(time * this.ppqn) / this.ppqn);
  }

  /** Seconds of a time on the seconds or beats timeline (exact beats, not on the grid). */
  seconds(timeline: "seconds" | "beats", time: number): number {
    return timeline === "seconds" ? time : secondsAtBeat(this.tempo, time);
  }

  /** The frame of an exact beat on the tempo map. */
  beatFrame(beat: number): number {
    return Math.round(secondsAtBeat(this.tempo, beat) * this.sampleRate);
  }
}

/**
 * The engine renders only the nodes its output depends on. When a captured node is not among them,
 * a hidden unity gain fed by the output and those nodes becomes the program's output, the graph's
 * output is captured instead, and every node of interest is rendered in the same pass.
 */
function addSinkForOffPathCaptures(
  program: GraphProgram,
  captured: readonly number[],
  types: readonly ProcessorTypeInfo[],
): void {
  const upstream = new Set<number>();
  const pending = [program.output];
  while (pending.length > 0) {
    const index = pending.pop() as number;
    if (upstream.has(index)) continue;
    upstream.add(index);
    for (const input of program.nodes[index]?.inputs ?? []) pending.push(input);
  }
  const offPath = captured.filter((index) => !upstream.has(index));
  if (offPath.length === 0) return;
  if (!types.some((type) => type.kind === "gain")) {
    throw new EngineError("E_INTERNAL", "the engine has no gain processor to collect off-path captures");
  }
  const output = program.nodes[program.output] as GraphProgramNode;
  output.capture = true;
  // What is heard stays the graph's output: the sink sums the captures into it.
  program.played = program.output;
  program.nodes.push({ kind: "gain", inputs: [program.output, ...offPath], params: { gain: 1 } });
  program.output = program.nodes.length - 1;
}
