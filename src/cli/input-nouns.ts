/**
 * What the CLI calls its inputs in what it prints: "session" for a session file, "project" for a
 * project file (.wdproj), and both words for a run that has both, so a message about a project
 * never calls it a session.
 */
import { isProjectFile } from "./project-input";

/** The words for one kind of input, or for a mix. */
export interface InputNoun {
  /** "session", "project", "session or project". */
  one: string;
  /** "sessions", "projects", "sessions and projects". */
  many: string;
}

/** What an input path is, by its name. */
export const inputKind = (path: string): "session" | "project" =>
  isProjectFile(path) ? "project" : "session";

/**
 * The noun for a set of input paths: a session's, a project's, or both (none: a session's).
 * @example
 * inputNoun(["song.wdproj"]).many; // "projects"
 * inputNoun(["take.json", "song.wdproj"]).many; // "sessions and projects"
 */
export function inputNoun(paths: Iterable<string>): InputNoun {
  const kinds = new Set([...paths].map(inputKind));
  if (kinds.size === 2) return { one: "session or project", many: "sessions and projects" };
  return kinds.has("project") ? { one: "project", many: "projects" } : { one: "session", many: "sessions" };
}

/**
 * "1 project", "3 sessions": a count with its noun.
 * @example
 * countOf(2, inputNoun(["a.wdproj"])); // "2 projects"
 */
export function countOf(count: number, noun: InputNoun): string {
  return `${count} ${count === 1 ? noun.one : noun.many}`;
}
