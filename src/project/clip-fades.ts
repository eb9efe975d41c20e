/**
 * The fades a clip plays with: its declared fades, lengthened to cover the overlap with its
 * neighbours (two overlapping clips crossfade over the overlap), with `auto` resolved to equal power
 * where a fade covers an overlap and linear elsewhere. All in beats; the clip compilers turn them
 * into seconds on the tempo map.
 */
import type { Clip, Fade } from "./project-schema";

export interface ResolvedFade {
  beats: number;
  curve: "linear" | "equal_power";
}

export interface ClipFades {
  fadeIn: ResolvedFade;
  fadeOut: ResolvedFade;
}

const endOf = (clip: Clip) => clip.start_beat + clip.length_beats;

/**
 * The fades clip `index` of a track plays with. The invariants guarantee that the overlaps with the
 * previous and next clips together fit in the clip; a declared fade longer than what is left beside
 * the other side's overlap is shortened (declared fades give way, overlaps never do).
 * @example
 * const { fadeIn, fadeOut } = clipFades(track.clips, 1);
 */
export function clipFades(clips: readonly Clip[], index: number): ClipFades {
  const clip = clips[index] as Clip;
  const previous = clips[index - 1];
  const next = clips[index + 1];
  const overlapIn = previous === undefined ? 0 : Math.max(0, endOf(previous) - clip.start_beat);
  const overlapOut = next === undefined ? 0 : Math.max(0, endOf(clip) - next.start_beat);
  const declared = fadesOf(clip);
  let fadeIn = Math.max(declared.fadeIn.beats, overlapIn);
  let fadeOut = Math.max(declared.fadeOut.beats, overlapOut);
  const excess = fadeIn + fadeOut - clip.length_beats;
  if (excess > 0) {
    // Take the excess from the parts beyond the overlaps, in proportion to them.
    const spareIn = fadeIn - overlapIn;
    const spareOut = fadeOut - overlapOut;
    const spare = spareIn + spareOut;
    fadeIn -= spare > 0 ? (excess * spareIn) / spare : 0;
    fadeOut -= spare > 0 ? (excess * spareOut) / spare : 0;
  }
  return {
    fadeIn: { beats: fadeIn, curve: resolveCurve(declared.fadeIn, overlapIn) },
    fadeOut: { beats: fadeOut, curve: resolveCurve(declared.fadeOut, overlapOut) },
  };
}

function fadesOf(clip: Clip): { fadeIn: Fade; fadeOut: Fade } {
  if ("fade_in" in clip) return { fadeIn: clip.fade_in, fadeOut: clip.fade_out };
  const none: Fade = { beats: 0, curve: "auto" };
  return { fadeIn: none, fadeOut: none };
}

function resolveCurve(fade: Fade, overlap: number): "linear" | "equal_power" {
  if (fade.curve !== "auto") return fade.curve;
  return overlap > 0 ? "equal_power" : "linear";
}
