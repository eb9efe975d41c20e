/**
 * The 16-track, 3-minute project of test/project/compile-scale.test.ts and the bench's project rows:
 * 8 audio tracks of 90 clips with fades, a volume lane and a send each, 6 synth tracks with 1,408
 * MIDI notes each, a reverb bus and a delay bus. Shared here so the test and the bench build the same.
 */
import type { AudioData } from "../../src/audio-io/wav-codec";
import { parseProject } from "../../src/project/project-invariants";
import type { Project, ProjectInput } from "../../src/project/project-schema";

export const BEATS = 360; // 3 minutes at 120 bpm

export function sixteenTracks(): ProjectInput["tracks"] {
  const audio = Array.from({ length: 8 }, (_, t) => ({
    kind: "audio" as const,
    id: `audio${t}`,
    clips: Array.from({ length: BEATS / 4 }, (_, c) => ({
      id: `a${t}c${c}`,
      start_beat: c * 4,
      length_beats: 4,
      content_id: `take${t}`,
      fade_in: { beats: 0.25 },
      fade_out: { beats: 0.25, curve: "equal_power" as const },
    })),
    sends: [{ id: `a${t}s`, target: t % 2 === 0 ? "verb" : "echo" }],
    automation: {
      volume: {
        points: [
          { beat: 0, value: -12 },
          { beat: BEATS, value: 0 },
        ],
      },
    },
  }));
  const instruments = Array.from({ length: 6 }, (_, t) => ({
    kind: "instrument" as const,
    id: `keys${t}`,
    instrument: { id: `syn${t}`, node_id: "builtin:synth" },
    clips: Array.from({ length: BEATS / 16 }, (_, c) => ({
      id: `k${t}c${c}`,
      start_beat: c * 16,
      length_beats: 16,
      notes: Array.from({ length: 64 }, (_, n) => ({
        beat: n / 4,
        length_beats: 0.25,
        note: 48 + ((n * 7) % 24),
        velocity: 90,
      })),
    })),
  }));
  const buses = [
    { kind: "bus" as const, id: "verb", devices: [{ id: "rev", node_id: "builtin:reverb" }] },
    {
      kind: "bus" as const,
      id: "echo",
      devices: [{ id: "dly", node_id: "builtin:delay", params: { time: 375, feedback: 0.4 } }],
    },
  ];
  return [...audio, ...instruments, ...buses];
}

/** The project's audio list: 8 takes of 4 s stereo at `rate`. */
export function scaleAudioSources(rate = 48000): NonNullable<ProjectInput["audio"]> {
  return Array.from({ length: 8 }, (_, t) => ({
    content_id: `take${t}`,
    sample_rate: rate,
    frames: rate * 4,
    channels: 2,
  }));
}

/** Audio for the takes: deterministic noise at a quarter of full scale. */
export function scaleAudio(rate = 48000): Map<string, AudioData> {
  let state = 7;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 0.5;
  };
  return new Map(
    scaleAudioSources(rate).map((source) => [
      source.content_id,
      { sampleRate: rate, channels: [0, 1].map(() => Float32Array.from({ length: source.frames }, next)) },
    ]),
  );
}

/** The rate the bench renders the project at. */
export const PROJECT_SAMPLE_RATE = 48000;
/** Seconds of audio the project renders (beat 0 to its last clip's end). */
export const PROJECT_SECONDS = 180;

/** The project, parsed, with its audio list at PROJECT_SAMPLE_RATE. */
export function scaleProject(): Project {
  return parseProject({
    format: "webdreamer-project",
    format_version: 1,
    audio: scaleAudioSources(PROJECT_SAMPLE_RATE),
    tracks: sixteenTracks(),
  });
}
