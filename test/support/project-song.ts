// A small project with two audio files, built the same way in the page and in Node so both sides
// can compare what they saved, loaded and rendered.
import type { AudioData } from "../../src/audio-io/wav-codec";
import { parseProject } from "../../src/project/project-invariants";
import type { Project } from "../../src/project/project-schema";

export const SONG_RATE = 44100;

/** Deterministic noise: every float32 bit pattern matters, so a lossy round trip shows. */
function noise(seed: number, frames: number, channels: number, sampleRate: number): AudioData {
  let state = seed;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return {
    sampleRate,
    channels: Array.from({ length: channels }, () => Float32Array.from({ length: frames }, next)),
  };
}

/** The song with its audio at `rate` (the real-time context's rate in a page). */
export function projectSong(rate = SONG_RATE): { project: Project; audio: Map<string, AudioData> } {
  const project = parseProject({
    format: "webdreamer-project",
    format_version: 1,
    name: "browser song",
    audio: [
      { content_id: "drums", sample_rate: rate, frames: 22050, channels: 2 },
      { content_id: "bass", sample_rate: rate, frames: 30000, channels: 1 },
    ],
    tracks: [
      {
        kind: "audio",
        id: "drums",
        clips: [{ id: "d1", start_beat: 0, length_beats: 1, content_id: "drums" }],
        sends: [{ id: "s1", target: "verb", level_db: -6 }],
      },
      {
        kind: "audio",
        id: "bass",
        clips: [
          { id: "b1", start_beat: 0.5, length_beats: 1.5, content_id: "bass", fade_out: { beats: 0.5 } },
        ],
      },
      { kind: "bus", id: "verb", devices: [{ id: "rev", node_id: "builtin:reverb" }] },
    ],
  });
  return {
    project,
    audio: new Map([
      ["drums", noise(1, 22050, 2, rate)],
      ["bass", noise(2, 30000, 1, rate)],
    ]),
  };
}
