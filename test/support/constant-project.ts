// A project whose audio tracks play one constant (DC) file, for tests that read a lane's law off the
// rendered level frame by frame: with a constant in, each frame's output is the gain chain's value.
import type { AudioData } from "../../src/audio-io/wav-codec";
import { parseProject } from "../../src/project/project-invariants";
import type { Project } from "../../src/project/project-schema";

export const CONSTANT_RATE = 48000;
export const CONSTANT_BPM = 120;
/** The constant's value. */
export const CONSTANT_LEVEL = 0.5;
/** The constant file's length: 8 beats at CONSTANT_BPM. */
const SECONDS = 4;

/**
 * A project of `tracks` (clips name the audio "dc") at CONSTANT_BPM, with the constant as its audio.
 * @example
 * const { project, audio } = constantProject("lanes", [{ kind: "audio", id: "t", clips: [] }]);
 */
export function constantProject(
  name: string,
  tracks: unknown[],
): { project: Project; audio: Map<string, AudioData> } {
  const frames = SECONDS * CONSTANT_RATE;
  const project = parseProject({
    format: "webdreamer-project",
    format_version: 1,
    name,
    tempo: { bpm: CONSTANT_BPM },
    audio: [{ content_id: "dc", sample_rate: CONSTANT_RATE, frames, channels: 1 }],
    tracks,
  });
  const audio = new Map([
    ["dc", { sampleRate: CONSTANT_RATE, channels: [new Float32Array(frames).fill(CONSTANT_LEVEL)] }],
  ]);
  return { project, audio };
}
