/**
 * TransportState: the engine's playback state, as the UI and control logic read it. Produced by the
 * engine (the real-time host publishes it in a shared-memory block read once per animation frame); the
 * seed's seven fields plus named extensions for beats, loop and dropouts.
 */
import * as z from "zod";
import { namedExtensions, SampleRateSchema, SecondsSchema, VersionSchema } from "./common";

/** A loop region on the seconds timeline; playback wraps from `end_seconds` back to `start_seconds`. */
export const LoopRegionSchema = z
  .strictObject({
    start_seconds: SecondsSchema.describe("Loop start on the timeline, in seconds (>= 0)."),
    end_seconds: SecondsSchema.describe("Loop end on the timeline, in seconds; must be > start_seconds."),
  })
  .superRefine((loop, ctx) => {
    if (loop.end_seconds <= loop.start_seconds) {
      ctx.addIssue({ code: "custom", path: ["end_seconds"], message: "must be > start_seconds" });
    }
  });

export type LoopRegion = z.output<typeof LoopRegionSchema>;

export const DataPlaneSchema = z.enum(["shared_memory", "message_port", "in_process"]);

export const TransportStateSchema = z
  .strictObject({
    version: VersionSchema,
    session_id: z
      .string()
      .min(1)
      .describe("Identifies one engine session; changes when the engine restarts."),
    running: z.boolean().describe("True while the transport plays (after play, until pause or stop)."),
    position_seconds: SecondsSchema.describe("Playhead position on the timeline, in seconds (>= 0)."),
    sample_rate: SampleRateSchema.describe("Engine sample rate, in Hz (integer, 3000..768000)."),
    buffer_size_frames: z
      .int()
      .min(1)
      .max(16_384)
      .describe("Frames the engine renders per block (128 in an AudioWorklet)."),
    tempo_bpm: z
      .number()
      .gt(0)
      .nullable()
      .default(null)
      .describe("Current tempo in beats per minute, or null when no tempo applies (no graph loaded)."),
    last_update_iso8601: z.iso
      .datetime({ offset: true })
      .describe("When the engine last wrote this state (ISO 8601 with time zone), to spot a stalled engine."),
    extensions: namedExtensions(
      {
        position_beats: z
          .number()
          .min(0)
          .describe("Playhead position in beats (quarter notes) on the tempo map.")
          .optional(),
        loop: LoopRegionSchema.nullable()
          .describe("The active loop region, or null when looping is off.")
          .optional(),
        dropouts: z
          .strictObject({
            underruns: z
              .int()
              .min(0)
              .describe("Render quanta output as silence because the engine was not ready in time."),
            ring_overflows: z
              .int()
              .min(0)
              .describe(
                "Command records pushed into a full command ring (0: commands wait instead); a live render reports its own lost frames.",
              ),
            late_commands: z
              .int()
              .min(0)
              .describe("Commands that arrived after their frame had played; applied at once.")
              .optional(),
            bad_commands: z
              .int()
              .min(0)
              .describe("Command records the audio thread rejected (unknown node, bad value, lost framing).")
              .optional(),
            dropped_commands: z
              .int()
              .min(0)
              .describe(
                "Commands taken and then discarded unapplied: timed commands a graph load cleared (never for want of room).",
              )
              .optional(),
          })
          .describe("Counters since the session started; they only grow.")
          .optional(),
        non_finite_samples: z
          .int()
          .min(0)
          .describe(
            "Output samples that were NaN or ±Infinity and were played as 0 instead, since the session started.",
          )
          .optional(),
        data_plane: DataPlaneSchema.describe(
          "How bulk audio moves: shared_memory (cross-origin isolated), message_port (fallback) or in_process.",
        ).optional(),
      },
      "Named extensions (position_beats, loop, dropouts, non_finite_samples, data_plane) and any other extension data.",
    ),
  })
  .describe("The engine's playback state: position, tempo, sample rate, and whether it runs.");

export type TransportState = z.output<typeof TransportStateSchema>;
export type TransportStateInput = z.input<typeof TransportStateSchema>;
