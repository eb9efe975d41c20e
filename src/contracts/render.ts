/**
 * RenderRequest / RenderResult: the central RPC. The request is small (a graph and a length); the
 * rendered audio stays in the engine and the result names it by buffer handle.
 *
 * Throw or report? A host rejects (throws EngineError) a request it does not accept: a schema error,
 * a broken graph, an unknown buffer handle, a closed client. Once accepted, the outcome is a RenderResult:
 * "ok", "partial" (stopped early: cancelled; the first `frames` frames are kept), or "error" (E_RENDER).
 */
import * as z from "zod";
import {
  BufferHandleSchema,
  ExtensionsSchema,
  exactlyOneOf,
  NodeNameSchema,
  namedExtensions,
  SampleRateSchema,
  VersionSchema,
  withoutReservedKey,
} from "./common";
import { EngineError } from "./errors";
import { GraphDescriptorSchema } from "./graph-descriptor";
import { checkGraph, type GraphCheckOptions } from "./graph-semantics";
import { checkLimit, formatCount, LIMITS } from "./limits";
import { NonFinitePolicySchema, NonFiniteReportSchema } from "./non-finite";
import { beatAtSeconds, secondsAtBeat } from "./tempo-map";
import { formatPath } from "./validate";

export const MAX_BLOCK_SIZE = 4096;

export const RenderOptionsSchema = z
  .strictObject({
    offline: z
      .boolean()
      .default(true)
      .describe(
        "True: render as fast as possible, apart from playback. False: render through the real-time path (the audioworklet host; the in-process and worker hosts refuse it with E_HOST_UNAVAILABLE).",
      ),
    preroll: z
      .number()
      .min(0)
      .meta({ maximum: LIMITS.prerollSeconds.value })
      .default(0)
      .describe("Seconds rendered before the start and discarded (fills reverb and delay tails). Default 0."),
    block_size: z
      .int()
      .min(1)
      .max(MAX_BLOCK_SIZE)
      .describe("Frames per processing block, 1..4096; automation is applied inside blocks regardless.")
      .optional(),
    capture: z
      .array(NodeNameSchema)
      .describe("Names of nodes whose output to return as stems, in addition to nodes with capture: true.")
      .optional(),
    non_finite: NonFinitePolicySchema.optional(),
    record_automation: z
      .strictObject({
        nodes: z.array(NodeNameSchema).min(1).describe("Names of the nodes whose every parameter to record."),
        resolution: z
          .enum(["frame", "block"])
          .default("frame")
          .describe(
            "frame: one value per rendered frame. block: one value per processing block (the value at the block's first frame; block_size frames, the host's default when block_size is unset).",
          ),
      })
      .describe(
        "Record the value each parameter of these nodes takes as the render plays (DawDreamer's record_automation): returned in the result's extensions.automation. Offline in the in-process, worker and audioworklet hosts, and in real time (the audioworklet host), graphs with WAM nodes included.",
      )
      .optional(),
    record_midi: z
      .strictObject({
        nodes: z.array(NodeNameSchema).min(1).describe("Names of the nodes whose MIDI to return."),
      })
      .describe(
        "Return the MIDI played to these nodes during the kept frames: extensions.midi (events) and extensions.midi_file (a Standard MIDI File, base64). The timeline's MIDI; a real-time render adds the MIDI sent during it.",
      )
      .optional(),
  })
  .superRefine((options, ctx) => {
    const seen = new Map<string, number>();
    options.capture?.forEach((name, index) => {
      const first = seen.get(name);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["capture", index], message: `duplicates capture[${first}]` });
      } else seen.set(name, index);
    });
    for (const field of ["record_automation", "record_midi"] as const) {
      const listed = new Map<string, number>();
      options[field]?.nodes.forEach((name, index) => {
        const first = listed.get(name);
        if (first !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [field, "nodes", index],
            message: `duplicates ${field}.nodes[${first}]`,
          });
        } else listed.set(name, index);
      });
    }
  })
  .describe("How to render.");

export const RenderRequestSchema = exactlyOneOf(
  z.strictObject({
    version: VersionSchema,
    request_id: z.string().min(1).max(256).describe("Caller-chosen id, echoed in the RenderResult."),
    node_graph: GraphDescriptorSchema,
    duration_seconds: z
      .number()
      .gt(0)
      .meta({ maximum: LIMITS.renderSeconds.value })
      .nullable()
      .default(null)
      .describe(
        "Length in seconds (> 0); frames = round(duration_seconds * sample_rate). Or use duration_beats.",
      ),
    duration_beats: z
      .number()
      .gt(0)
      .nullable()
      .default(null)
      .describe(
        "Length in beats (> 0) on the graph's tempo map, from the start position. Or use duration_seconds.",
      ),
    sample_rate: SampleRateSchema.describe("Output sample rate, in Hz (integer, 3000..768000)."),
    channels: z
      .int()
      .min(1)
      .meta({ maximum: LIMITS.channels.value })
      .describe("Channels of the rendered buffer, 1..32."),
    start_position_seconds: z
      .number()
      .min(0)
      .meta({ maximum: LIMITS.startSeconds.value })
      .nullable()
      .default(null)
      .describe("Timeline position the render starts at, in seconds; null means 0."),
    options: RenderOptionsSchema.default({ offline: true, preroll: 0 }),
    extensions: ExtensionsSchema,
  }),
  ["duration_seconds", "duration_beats"],
).describe("Render a graph for a length of time, offline or through the real-time path.");

export type RenderRequest = z.output<typeof RenderRequestSchema>;
export type RenderRequestInput = z.input<typeof RenderRequestSchema>;

export const RENDER_STATUSES = ["ok", "error", "partial"] as const;

const PlayedMidiMessageSchema = z
  .strictObject({
    frame: z.int().min(0).describe("Frame of the render the message played on."),
    status: z.int().min(128).max(255).describe("Status byte, the channel in its low nibble."),
    data1: z.int().min(0).max(127).describe("First data byte (a key, a controller)."),
    data2: z.int().min(0).max(127).describe("Second data byte (a velocity, a value)."),
  })
  .describe("One MIDI channel message a node received.");

export const RenderResultSchema = z
  .strictObject({
    version: VersionSchema,
    request_id: z.string().min(1).max(256).describe("The request's request_id."),
    status: z
      .enum(RENDER_STATUSES)
      .describe("ok: complete. partial: stopped early, first `frames` frames kept. error: nothing rendered."),
    error: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe('Error message (code, path, text: "E_RENDER at ...: ..."); required for error, null for ok.'),
    buffer_handle: BufferHandleSchema.nullable()
      .default(null)
      .describe(
        "Handle of the rendered audio; required for ok and partial, null for error. Release it when done.",
      ),
    frames: z.int().min(0).describe("Frames per channel written into the buffer."),
    processing_time_ms: z
      .number()
      .min(0)
      .describe("Wall-clock time the engine spent rendering, in milliseconds."),
    extensions: namedExtensions(
      {
        captures: withoutReservedKey(z.record(NodeNameSchema, BufferHandleSchema))
          .describe("Stems: a buffer handle per captured node name, each with `frames` frames.")
          .optional(),
        non_finite: NonFiniteReportSchema.optional(),
        automation: withoutReservedKey(
          z.record(NodeNameSchema, withoutReservedKey(z.record(z.string().min(1), BufferHandleSchema))),
        )
          .describe(
            "Recorded parameters (options.record_automation): per node name, a mono buffer handle per parameter id holding the value the parameter took on each frame (or on each block's first frame).",
          )
          .optional(),
        automation_block_frames: z
          .int()
          .min(1)
          .describe(
            "Frames each value of an automation buffer stands for: 1 for resolution frame, the block size for block.",
          )
          .optional(),
        midi: withoutReservedKey(z.record(NodeNameSchema, z.array(PlayedMidiMessageSchema)))
          .describe(
            "The MIDI played (options.record_midi): per node name, the messages the timeline (and, in a real-time render, live input) delivered to it, in the order played, frame counted from the render's first frame.",
          )
          .optional(),
        midi_file: z
          .string()
          .describe(
            "The same MIDI as a type 1 Standard MIDI File (a track per node and channel, 480 ticks per quarter note, events on their beats of the graph's tempo map, file time 0 at the timeline's 0), base64.",
          )
          .optional(),
        latency_frames: z
          .int()
          .min(1)
          .optional()
          .describe(
            "Frames of latency the graph's nodes add on the output's path; the render discarded them at its start, so frame 0 is the start position. Absent: none.",
          ),
      },
      "Named extensions (captures, non_finite, automation, midi, latency_frames) and any other extension data.",
    ),
  })
  .superRefine((result, ctx) => {
    if (result.status === "error") {
      if (result.error === null)
        ctx.addIssue({ code: "custom", path: ["error"], message: "is required when status is error" });
      if (result.buffer_handle !== null) {
        ctx.addIssue({
          code: "custom",
          path: ["buffer_handle"],
          message: "must be null when status is error",
        });
      }
    } else {
      if (result.buffer_handle === null) {
        ctx.addIssue({
          code: "custom",
          path: ["buffer_handle"],
          message: `is required when status is ${result.status}`,
        });
      }
      if (result.status === "ok" && result.error !== null) {
        ctx.addIssue({ code: "custom", path: ["error"], message: "must be null when status is ok" });
      }
    }
  })
  // The status rules above, restated for JSON Schema validators.
  .meta({
    oneOf: [
      {
        properties: { status: { const: "ok" }, error: { type: "null" }, buffer_handle: { type: "string" } },
        required: ["buffer_handle"],
      },
      {
        properties: { status: { const: "partial" }, buffer_handle: { type: "string" } },
        required: ["buffer_handle"],
      },
      {
        properties: {
          status: { const: "error" },
          error: { type: "string" },
          buffer_handle: { type: "null" },
        },
        required: ["error"],
      },
    ],
  })
  .describe("The outcome of a RenderRequest: status, and the rendered audio by buffer handle.");

export type RenderResult = z.output<typeof RenderResultSchema>;
export type RenderResultInput = z.input<typeof RenderResultSchema>;
export type RenderStatus = RenderResult["status"];

/**
 * The render length in seconds. A length in beats is measured on the graph's tempo map from the start
 * position, exactly (DawDreamer rounds beats renders up to a whole block; we do not).
 * @example
 * renderDurationSeconds(request); // 2 for duration_beats: 4 at 120 bpm
 */
export function renderDurationSeconds(request: RenderRequest): number {
  if (request.duration_seconds !== null) return request.duration_seconds;
  const tempo = request.node_graph.tempo;
  const start = request.start_position_seconds ?? 0;
  const endBeat = beatAtSeconds(tempo, start) + (request.duration_beats ?? 0);
  return secondsAtBeat(tempo, endBeat) - start;
}

/**
 * Frames a complete render writes per channel: round(seconds * sample_rate). Every host must agree.
 * @example
 * renderFrameCount(parseContract(RenderRequestSchema, input)); // 4410 for 0.1 s at 44100 Hz
 */
export function renderFrameCount(request: RenderRequest): number {
  return Math.round(renderDurationSeconds(request) * request.sample_rate);
}

/**
 * The semantic checks of a parsed request: the render limits (channels, start, preroll, then, once the
 * graph is checked, seconds and samples), its graph (checkGraph, paths under node_graph) and its
 * capture names, which must name nodes of the graph.
 * @example
 * const request = parseContract(RenderRequestSchema, input);
 * checkRenderRequest(request); // throws E_UNKNOWN_NODE at options.capture[0]: no node named "x"
 */
export function checkRenderRequest(
  request: RenderRequest,
  options: Omit<GraphCheckOptions, "rootLabel"> & {
    /**
     * The result is handed over piece by piece and never held whole (the in-process host's
     * onChunk): renderSamples, a bound on what a host holds, does not apply.
     */
    streamed?: boolean;
  } = {},
): void {
  checkLimit("channels", request.channels, "channels");
  checkLimit("startSeconds", request.start_position_seconds ?? 0, "start_position_seconds");
  checkLimit("prerollSeconds", request.options.preroll, "options.preroll");
  checkGraph(request.node_graph, { ...options, rootLabel: "node_graph" });
  const names = new Set(request.node_graph.nodes.map((node) => node.name));
  request.options.capture?.forEach((name, index) => {
    if (!names.has(name)) {
      throw new EngineError(
        "E_UNKNOWN_NODE",
        `no node named "${name}"`,
        formatPath(["options", "capture", index]),
      );
    }
  });
  for (const field of ["record_automation", "record_midi"] as const) {
    request.options[field]?.nodes.forEach((name, index) => {
      if (!names.has(name)) {
        throw new EngineError(
          "E_UNKNOWN_NODE",
          `no node named "${name}"`,
          formatPath(["options", field, "nodes", index]),
        );
      }
    });
  }
  checkRenderLength(request, options.streamed === true);
}

/** renderSeconds and (unless streamed) renderSamples, at the field that sets the length. */
function checkRenderLength(request: RenderRequest, streamed: boolean): void {
  const beats = request.duration_beats;
  const path = beats === null ? "duration_seconds" : "duration_beats";
  const seconds = renderDurationSeconds(request);
  const onTempo = beats === null ? "" : `${formatCount(beats)} beats on the graph's tempo`;
  checkLimit("renderSeconds", seconds, path, onTempo);
  if (streamed) return;
  const frames = renderFrameCount(request);
  const captures = capturedNodeNames(request).length;
  const results =
    captures === 0 ? "the output alone" : `the output and ${captures} capture${captures === 1 ? "" : "s"}`;
  const context = `${formatCount(frames)} frames × ${request.channels} channels, for ${results}`;
  checkLimit("renderSamples", frames * request.channels * (1 + captures), path, context);
}

/**
 * Names of the nodes whose output a render returns as captures: nodes marked `capture: true` plus
 * `options.capture`, in graph order.
 * @example
 * capturedNodeNames(request); // ["osc", "filter"]
 */
export function capturedNodeNames(request: RenderRequest): string[] {
  const requested = new Set(request.options.capture ?? []);
  return request.node_graph.nodes
    .filter((node) => node.capture || requested.has(node.name))
    .map((node) => node.name);
}

/**
 * For a render path that cannot record parameters (or MIDI): E_HOST_UNAVAILABLE at
 * options.record_automation (or record_midi), naming what cannot and what can, so the field is never
 * ignored. `fields`: those this path refuses (default both).
 * @example
 * refuseRecordedAutomation(request, "a real-time render (offline: false)");
 */
export function refuseRecordedAutomation(
  request: RenderRequest,
  what: string,
  fields: readonly ("record_automation" | "record_midi")[] = ["record_automation", "record_midi"],
): void {
  const field = fields.find((name) => request.options[name] !== undefined);
  if (field === undefined) return;
  const recorded = field === "record_automation" ? "automation" : "MIDI";
  throw new EngineError(
    "E_HOST_UNAVAILABLE",
    `${what} records no ${recorded}: renders of a graph without WAM nodes return it (offline in the in-process, worker or audioworklet host; real time in the audioworklet host)`,
    `options.${field}`,
  );
}
