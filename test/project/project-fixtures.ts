/**
 * Small projects for the project tests, built through the schema so defaults are filled in as a
 * parsed project has them.
 */
import { parseProject } from "../../src/project/project-invariants";
import type { Project, ProjectInput } from "../../src/project/project-schema";

type Rest = Omit<ProjectInput, "format" | "format_version">;

/** A project from the fields that matter to a test; the rest take their defaults. */
export function makeProject(fields: Rest = {}): Project {
  return parseProject({ format: "webdreamer-project", format_version: 1, ...fields });
}

/** Mono audio: one sample of `value` at frame 0 and silence after (a click). */
export function click(frames: number, value = 1): Float32Array {
  const samples = new Float32Array(frames);
  samples[0] = value;
  return samples;
}

/** Index of the first sample whose magnitude exceeds `floor`, or -1. */
export function firstAbove(samples: Float32Array, floor = 0): number {
  return samples.findIndex((value) => Math.abs(value) > floor);
}

/** Largest magnitude of `samples` between `from` and `to`. */
export function peak(samples: Float32Array, from = 0, to = samples.length): number {
  let max = 0;
  for (let i = from; i < to; i++) max = Math.max(max, Math.abs(samples[i] as number));
  return max;
}
