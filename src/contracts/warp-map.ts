/**
 * Warp markers and clip positions of builtin:playback_warp, in two forms:
 *
 * - `markers` and `clips` buffer slots (warpMarkerChannels, clipPositionChannels): markers in audio
 *   frames and clip beats, clips in timeline beats. The engine maps beats to frames through the tempo
 *   it plays (the graph's map, and live set_tempo changes), so the clip follows any tempo without
 *   rebuilding anything and at any sample rate. Prefer these.
 * - the `warp` slot (warpMapChannels, kept for graphs that use it): a map baked for one sample rate
 *   and one tempo map, which does not follow a later tempo change.
 *
 * The warp map of builtin:playback_warp (its `warp` buffer slot): where each timeline frame reads the
 * audio, built from warp markers (DawDreamer's set_warp_markers: pairs of audio frame and beat of the
 * clip), clip positions on the timeline (DawDreamer's set_clip_positions: start and end beats, and the
 * clip beat at the start) and the graph's tempo map, so a clip follows every tempo change, ramps
 * included.
 *
 * The map is a list of segments, one per buffer frame, in four channels: timeline frame where the
 * segment starts and where it ends, and the audio frames read there (linearly in between). A tempo
 * ramp is followed by segments of `step` frames (default 512, 10.7 ms at 48 kHz): the read position
 * is exact at every segment end and in between off by at most step² × (the tempo's acceleration) / 8
 * (under 0.1 frame of the audio for a 90 to 150 bpm ramp over 8 beats); every marker and every tempo
 * map point also starts a segment.
 */
import * as z from "zod";
import type { Tempo } from "./graph-descriptor";
import { beatAtSeconds, secondsAtBeat } from "./tempo-map";
import { parseContract } from "./validate";

const WarpMarkerSchema = z.strictObject({
  frame: z.number().min(0).describe("Frame of the audio, at the audio's own sample rate."),
  beat: z.number().describe("Beat of the clip that frame lands on."),
});

const ClipPositionSchema = z.strictObject({
  start: z.number().min(0).describe("Timeline beat where the clip starts."),
  end: z.number().min(0).describe("Timeline beat where the clip ends (after start)."),
  offset: z.number().default(0).describe("Beat of the clip played at its start (0: from the clip's beat 0)."),
});

export const WarpMapSchema = z
  .strictObject({
    sample_rate: z
      .number()
      .positive()
      .describe("The engine's sample rate: timeline frames are at this rate."),
    tempo: z
      .custom<Tempo>((value) => typeof value === "object" && value !== null)
      .describe("The graph's tempo."),
    markers: z.array(WarpMarkerSchema).min(2).describe("At least two, in increasing frame and beat."),
    clips: z.array(ClipPositionSchema).min(1).describe("Clip positions, in timeline order, not overlapping."),
    step: z.number().int().min(16).max(65536).default(512).describe("Longest segment, in timeline frames."),
  })
  .superRefine((map, ctx) => {
    map.markers.forEach((marker, i) => {
      const before = map.markers[i - 1];
      if (before && (marker.frame <= before.frame || marker.beat <= before.beat)) {
        ctx.addIssue({
          code: "custom",
          path: ["markers", i],
          message: `must come after marker ${i - 1} in both frame and beat`,
        });
      }
    });
    map.clips.forEach((clip, i) => {
      if (clip.end <= clip.start)
        ctx.addIssue({ code: "custom", path: ["clips", i, "end"], message: "must be after start" });
      const before = map.clips[i - 1];
      if (before && clip.start < before.end) {
        ctx.addIssue({
          code: "custom",
          path: ["clips", i, "start"],
          message: `must not be before clip ${i - 1}'s end`,
        });
      }
    });
  });

export type WarpMapInput = z.input<typeof WarpMapSchema>;

/** Markers in increasing frame and beat (the same rule as warpMapChannels'). */
function refineMarkers(markers: readonly { frame: number; beat: number }[], ctx: z.RefinementCtx): void {
  markers.forEach((marker, i) => {
    const before = markers[i - 1];
    if (before && (marker.frame <= before.frame || marker.beat <= before.beat)) {
      ctx.addIssue({
        code: "custom",
        path: [i],
        message: `must come after marker ${i - 1} in both frame and beat`,
      });
    }
  });
}

/** Clips in timeline order, each ending after its start, none overlapping. */
function refineClips(clips: readonly { start: number; end: number }[], ctx: z.RefinementCtx): void {
  clips.forEach((clip, i) => {
    if (clip.end <= clip.start)
      ctx.addIssue({ code: "custom", path: [i, "end"], message: "must be after start" });
    const before = clips[i - 1];
    if (before && clip.start < before.end) {
      ctx.addIssue({ code: "custom", path: [i, "start"], message: `must not be before clip ${i - 1}'s end` });
    }
  });
}

const WarpMarkersSchema = z.array(WarpMarkerSchema).min(2).superRefine(refineMarkers);
const ClipPositionsSchema = z.array(ClipPositionSchema).min(1).superRefine(refineClips);

/**
 * The channels of a `markers` buffer for builtin:playback_warp: [audio frame, clip beat] per marker
 * (DawDreamer's set_warp_markers). The engine reads them through its own tempo map, so the clip
 * follows the graph's tempo and live tempo changes. Upload with any sample rate (they are numbers, not
 * audio). E_SCHEMA at `warp_markers.*` for fewer than two markers or markers out of order.
 * @example
 * const markers = await engine.uploadBuffer(warpMarkerChannels([{ frame: 0, beat: 0 }, { frame: 96000, beat: 4 }]), 48000);
 */
export function warpMarkerChannels(markers: z.input<typeof WarpMarkersSchema>): Float32Array[] {
  const parsed = parseContract(WarpMarkersSchema, markers, "warp_markers");
  return [
    // Buffers are float32: frames are exact up to 2^24 (5.8 minutes of 48 kHz audio).
    Float32Array.from(parsed, (marker) => marker.frame),
    Float32Array.from(parsed, (marker) => marker.beat),
  ];
}

/**
 * The channels of a `clips` buffer for builtin:playback_warp: [start, end, offset] in beats per clip
 * (DawDreamer's set_clip_positions). Without a `clips` buffer one clip plays the markers from beat 0
 * on. E_SCHEMA at `clip_positions.*` for clips out of order, overlapping or ending before they start.
 * @example
 * const clips = await engine.uploadBuffer(clipPositionChannels([{ start: 0, end: 4 }, { start: 4, end: 8 }]), 48000);
 */
export function clipPositionChannels(clips: z.input<typeof ClipPositionsSchema>): Float32Array[] {
  const parsed = parseContract(ClipPositionsSchema, clips, "clip_positions");
  return [
    Float32Array.from(parsed, (clip) => clip.start),
    Float32Array.from(parsed, (clip) => clip.end),
    Float32Array.from(parsed, (clip) => clip.offset),
  ];
}

/** The audio frame at a clip beat: linear between markers, the nearest pair's slope beyond them. */
function frameAtClipBeat(markers: { frame: number; beat: number }[], beat: number): number {
  let i = 0;
  while (i < markers.length - 2 && beat >= (markers[i + 1] as { beat: number }).beat) i++;
  const a = markers[i] as { frame: number; beat: number };
  const b = markers[i + 1] as { frame: number; beat: number };
  return a.frame + ((beat - a.beat) * (b.frame - a.frame)) / (b.beat - a.beat);
}

/**
 * The channels of a `warp` buffer for builtin:playback_warp: [segment start, segment end] in timeline
 * frames and [audio frame at start, audio frame at end]. Upload them with any sample rate (they are
 * numbers, not audio). E_SCHEMA at `warp_map.*` for markers out of order, clips that overlap or end
 * before they start.
 */
export function warpMapChannels(input: WarpMapInput): Float32Array[] {
  const map = parseContract(WarpMapSchema, input, "warp_map");
  const rate = map.sample_rate;
  const t0: number[] = [];
  const t1: number[] = [];
  const s0: number[] = [];
  const s1: number[] = [];
  const tempoBeats = (map.tempo.map ?? []).map((point) => point.beat);
  for (const clip of map.clips) {
    const sourceAt = (frame: number) =>
      frameAtClipBeat(map.markers, beatAtSeconds(map.tempo, frame / rate) - clip.start + clip.offset);
    // Frames where the read position's slope may change: the clip's ends, markers, tempo points.
    const breaks = [
      clip.start,
      clip.end,
      ...map.markers.map((m) => m.beat - clip.offset + clip.start),
      ...tempoBeats,
    ]
      .filter((beat) => beat >= clip.start && beat <= clip.end)
      .map((beat) => secondsAtBeat(map.tempo, beat) * rate)
      .sort((a, b) => a - b);
    for (let i = 0; i + 1 < breaks.length; i++) {
      const from = breaks[i] as number;
      const to = breaks[i + 1] as number;
      const pieces = Math.ceil((to - from) / map.step);
      for (let p = 0; p < pieces; p++) {
        const a = from + ((to - from) * p) / pieces;
        const b = p + 1 === pieces ? to : from + ((to - from) * (p + 1)) / pieces;
        t0.push(a);
        t1.push(b);
        s0.push(sourceAt(a));
        s1.push(sourceAt(b));
      }
    }
  }
  return [Float32Array.from(t0), Float32Array.from(t1), Float32Array.from(s0), Float32Array.from(s1)];
}
