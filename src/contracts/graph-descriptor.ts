/**
 * GraphDescriptor: the RenderRequest's `node_graph`, and what `EngineClient.loadGraph` plays in real time.
 *
 * A DAG of named nodes as in DawDreamer: each node lists its inputs in order and their output channels are
 * concatenated, in that order, into the node's input channels. Parameters, automation and MIDI travel with
 * the node; sample data travels by buffer handle only. Structural rules that a schema cannot state (unique
 * names, references, cycles) are checked by `checkGraph` in graph-semantics.ts.
 */
import * as z from "zod";
import {
  BufferHandleSchema,
  ExtensionsSchema,
  exactlyOneOf,
  NodeIdSchema,
  NodeNameSchema,
  VersionSchema,
  withoutReservedKey,
} from "./common";
import { LIMITS } from "./limits";
import { WebAudioAutomationSchema } from "./web-audio-automation";

/** Builtin processors the engine is expected to provide (DawDreamer's set). Not enforced by the schema. */
export const BUILTIN_NODE_IDS = [
  "builtin:oscillator",
  "builtin:gain",
  "builtin:filter",
  "builtin:playback",
  "builtin:sampler",
  "builtin:compressor",
  "builtin:reverb",
  "builtin:delay",
  "builtin:panner",
  "builtin:mixer",
  "builtin:constant",
  "builtin:synth",
] as const;

export const TimelineSchema = z
  .enum(["seconds", "beats"])
  .default("seconds")
  .describe("Time base of `time`: seconds, or beats (quarter notes) on the tempo map. Default seconds.");

const TimeSchema = z.number().min(0).describe("Event time on its timeline (>= 0).");

/**
 * Inline automation is for small data; longer curves go by buffer handle. Limits (LIMITS) are checked
 * after parsing (graph-limits.ts) so they fail with E_LIMIT; `maxItems` states them in JSON Schema.
 */
const InlineValuesSchema = z.array(z.number()).min(1).meta({ maxItems: LIMITS.automationPoints.value });

const AudioRateAutomationSchema = exactlyOneOf(
  z.strictObject({
    kind: z.literal("audio_rate").describe("One value per sample from the start of the timeline."),
    values: InlineValuesSchema.describe(
      "Inline values, one per sample; the last value holds after the end.",
    ).optional(),
    buffer_handle: BufferHandleSchema.describe(
      "A buffer whose channel 0 holds the values (for long curves).",
    ).optional(),
  }),
  ["values", "buffer_handle"],
);

const PpqnAutomationSchema = exactlyOneOf(
  z.strictObject({
    kind: z.literal("ppqn").describe("One value per pulse: follows the tempo map, as DawDreamer's ppqn > 0."),
    ppqn: z.int().min(1).max(96_000).describe("Pulses per quarter note: value i applies from beat i / ppqn."),
    values: InlineValuesSchema.describe(
      "Inline values, one per pulse; the last value holds after the end.",
    ).optional(),
    buffer_handle: BufferHandleSchema.describe(
      "A buffer whose channel 0 holds the values (for long curves).",
    ).optional(),
  }),
  ["values", "buffer_handle"],
);

export const BreakpointSchema = z.strictObject({
  time: TimeSchema,
  value: z.number().describe("Parameter value at `time`, in the parameter's natural units."),
  curve: z
    .enum(["linear", "exponential", "step"])
    .default("linear")
    .describe("Shape of the segment from this point to the next: ramp, exponential ramp, or hold."),
});

const BreakpointAutomationSchema = z
  .strictObject({
    kind: z
      .literal("breakpoints")
      .describe("A curve through points; value holds before the first and after the last."),
    timeline: TimelineSchema,
    points: z
      .array(BreakpointSchema)
      .min(1)
      .meta({ maxItems: LIMITS.automationPoints.value })
      .describe("Points in non-decreasing time order."),
  })
  .superRefine((automation, ctx) => {
    automation.points.forEach((point, index) => {
      const previous = automation.points[index - 1];
      if (previous !== undefined && point.time < previous.time) {
        ctx.addIssue({
          code: "custom",
          path: ["points", index, "time"],
          message: `must be >= points[${index - 1}].time`,
        });
      }
      const next = automation.points[index + 1];
      if (point.curve === "exponential" && next !== undefined && !(point.value * next.value > 0)) {
        ctx.addIssue({
          code: "custom",
          path: ["points", index, "curve"],
          message: "exponential needs this value and the next to be non-zero with the same sign",
        });
      }
    });
  });

export const AutomationSchema = z
  .discriminatedUnion("kind", [
    AudioRateAutomationSchema,
    PpqnAutomationSchema,
    BreakpointAutomationSchema,
    WebAudioAutomationSchema,
  ])
  .describe("How one parameter changes over time: audio_rate, ppqn, breakpoints or web_audio.");

export type Automation = z.output<typeof AutomationSchema>;
export type AutomationInput = z.input<typeof AutomationSchema>;

const ChannelSchema = z.int().min(1).max(16).default(1).describe("MIDI channel, 1..16. Default 1.");
const Midi7BitSchema = z.int().min(0).max(127);

export const MidiEventSchema = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("note").describe("A note: note-on at `time`, note-off `duration` later."),
      timeline: TimelineSchema,
      time: TimeSchema,
      duration: z.number().gt(0).describe("Note length, on the same timeline as `time` (> 0)."),
      note: Midi7BitSchema.describe("MIDI note number, 0..127 (60 = middle C)."),
      velocity: Midi7BitSchema.describe("Note-on velocity, 0..127."),
      channel: ChannelSchema,
    }),
    z.strictObject({
      type: z.literal("cc").describe("A control change."),
      timeline: TimelineSchema,
      time: TimeSchema,
      controller: Midi7BitSchema.describe("Controller number, 0..127."),
      value: Midi7BitSchema.describe("Controller value, 0..127."),
      channel: ChannelSchema,
    }),
    z.strictObject({
      type: z.literal("pitch_bend").describe("A pitch bend."),
      timeline: TimelineSchema,
      time: TimeSchema,
      value: z.int().min(-8192).max(8191).describe("Bend, -8192..8191; 0 is centre."),
      channel: ChannelSchema,
    }),
  ])
  .describe("A MIDI event for the node: note, cc or pitch_bend.");

export type MidiEvent = z.output<typeof MidiEventSchema>;
export type MidiEventInput = z.input<typeof MidiEventSchema>;

export const TempoPointSchema = z.strictObject({
  beat: z
    .number()
    .min(0)
    .describe("Where this tempo starts, in beats (quarter notes); the first point is at 0."),
  bpm: z.number().gt(0).max(1000).describe("Tempo in beats per minute (> 0, <= 1000)."),
  curve: z
    .enum(["step", "linear"])
    .default("step")
    .describe("Segment to the next point: hold this bpm, or ramp linearly (in beats) to the next bpm."),
});

export const TempoSchema = exactlyOneOf(
  z.strictObject({
    bpm: z.number().gt(0).max(1000).describe("A constant tempo in beats per minute.").optional(),
    map: z
      .array(TempoPointSchema)
      .min(1)
      .meta({ maxItems: LIMITS.tempoPoints.value })
      .describe("A tempo map: points in strictly increasing beat order, the first at beat 0.")
      .optional(),
  }),
  ["bpm", "map"],
).superRefine((tempo, ctx) => {
  tempo.map?.forEach((point, index) => {
    if (index === 0 && point.beat !== 0) {
      ctx.addIssue({
        code: "custom",
        path: ["map", 0, "beat"],
        message: "must be 0 (the map starts at beat 0)",
      });
    }
    const previous = tempo.map?.[index - 1];
    if (previous !== undefined && point.beat <= previous.beat) {
      ctx.addIssue({
        code: "custom",
        path: ["map", index, "beat"],
        message: `must be > map[${index - 1}].beat`,
      });
    }
  });
});

export type Tempo = z.output<typeof TempoSchema>;

export const DEFAULT_TEMPO_BPM = 120;
export const DEFAULT_PPQN = 960;

export const GraphNodeSchema = z
  .strictObject({
    name: NodeNameSchema.describe(
      "Unique name of this node in the graph, used by inputs, output and captures.",
    ),
    node_id: NodeIdSchema.describe(
      'The NodeDescriptor.node_id this node instantiates, e.g. "builtin:filter".',
    ),
    inputs: z
      .array(NodeNameSchema)
      .default([])
      .describe(
        "Names of the nodes feeding this one, in order; their channels are concatenated in this order.",
      ),
    params: withoutReservedKey(
      z.record(z.string().min(1), z.union([z.number(), z.string()])).default({}),
    ).describe('Static parameter values by parameter id: a number, or a choice label (e.g. mode: "low").'),
    automation: withoutReservedKey(z.record(z.string().min(1), AutomationSchema).default({})).describe(
      "Automation by parameter id; overrides params for that parameter (web_audio keeps it as the value before its first event).",
    ),
    midi: z
      .array(MidiEventSchema)
      .default([])
      .describe("MIDI events for this node, in any order (limit graphEvents: all nodes together)."),
    buffers: withoutReservedKey(z.record(z.string().min(1), BufferHandleSchema).default({})).describe(
      'Sample data by slot name, as buffer handles, e.g. { "data": "buf:7" } for builtin:playback.',
    ),
    capture: z
      .boolean()
      .default(false)
      .describe("Record this node's output and return it in the render's captures."),
    extensions: ExtensionsSchema,
  })
  .describe("One node of the graph.");

export type GraphNode = z.output<typeof GraphNodeSchema>;
export type GraphNodeInput = z.input<typeof GraphNodeSchema>;

export const GraphDescriptorSchema = z
  .strictObject({
    version: VersionSchema,
    nodes: z
      .array(GraphNodeSchema)
      .min(1)
      .meta({ maxItems: LIMITS.graphNodes.value })
      .describe("The nodes, in any order (inputs may name later nodes)."),
    output: NodeNameSchema.describe(
      "Name of the node whose output is the graph's output (the rendered buffer).",
    ),
    tempo: TempoSchema.default({ bpm: DEFAULT_TEMPO_BPM }).describe(
      "Tempo: { bpm } or { map }. Default { bpm: 120 }, as DawDreamer. Drives beats timelines and ppqn automation.",
    ),
    ppqn: z
      .int()
      .min(1)
      .max(96_000)
      .default(DEFAULT_PPQN)
      .describe(
        "Resolution of the beat grid: beat-timeline event times are quantised to 1/ppqn beat. Default 960.",
      ),
    extensions: ExtensionsSchema,
  })
  .describe("A graph of named nodes: routing, parameters, automation, MIDI and buffers by handle.");

export type GraphDescriptor = z.output<typeof GraphDescriptorSchema>;
export type GraphDescriptorInput = z.input<typeof GraphDescriptorSchema>;
