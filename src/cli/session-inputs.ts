/**
 * From the command line's inputs to the list of sessions to render and where each one's WAVs go.
 *
 * The list is sorted by absolute path (code-unit order, the same on every machine), so `--shard i/n`
 * picks the same sessions wherever it runs: shard i takes the sessions whose index in the sorted
 * list is i modulo n.
 */
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { type RenderCommand, type Shard, UsageError } from "./cli-options";
import { countOf, type InputNoun, inputNoun } from "./input-nouns";
import { isManifestFile, manifestEntries } from "./manifest-file";
import { isProjectFile } from "./project-input";
import type { SessionRenderJob } from "./session-render";

export interface SessionTarget {
  /** Index in the sorted list of all sessions (before sharding). */
  index: number;
  sessionPath: string;
  outputPath: string;
  /** Where this session's stems go, or null without --stems. */
  stemsDir: string | null;
}

export interface TargetOptions {
  output: string;
  stemsDir: string | null;
  shard: Shard | null;
  /** --sample-rate, which only project files take. Default null. */
  sampleRate?: number | null;
}

export interface SessionTargets {
  /** The sessions of this shard. */
  targets: SessionTarget[];
  /** Sessions found, before sharding. */
  total: number;
  /** What the inputs found are called: sessions, projects, or both. */
  noun: InputNoun;
}

const GLOB_CHARACTERS = /[*?[]/;

/**
 * Expands manifests (manifest-file.ts), files, directories (their *.json and *.wdproj, not recursive)
 * and globs, sorts, shards and assigns
 * outputs. Where a session's files go depends only on what `-o` names, not on how many sessions:
 * - `-o DIR` (anything not ending in .wav): `DIR/<name>.wav`, and stems in `STEMS/<name>/<node>.wav`;
 * - `-o FILE.wav`, for exactly one session: that file, and stems in `STEMS/<node>.wav`.
 * Throws UsageError.
 * @example
 * await sessionTargets(["sessions/"], { output: "renders", stemsDir: null, shard: { index: 0, count: 2 } });
 */
export async function sessionTargets(inputs: string[], options: TargetOptions): Promise<SessionTargets> {
  // Keyed by absolute path (to drop repeats and sort the same way everywhere); the value is the path
  // as given, which reads better in messages.
  const found = new Map<string, string>();
  const listed: string[] = [];
  for (const input of inputs)
    listed.push(...(isManifestFile(input) ? await manifestEntries(input) : [input]));
  for (const input of listed) {
    for (const path of await expandInput(input))
      if (!found.has(resolve(path))) found.set(resolve(path), path);
  }
  const sessions = [...found.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => found.get(key) as string);

  const noun = inputNoun(sessions);
  const singleFile = extname(options.output).toLowerCase() === ".wav";
  if (singleFile && sessions.length > 1) {
    throw new UsageError(
      `-o ${options.output} names one file, but there are ${countOf(sessions.length, noun)}: give a directory`,
    );
  }
  const session = sessions.find((path) => !isProjectFile(path));
  if ((options.sampleRate ?? null) !== null && session !== undefined) {
    throw new UsageError(
      `--sample-rate applies to project files (.wdproj) only: ${session} is a session, which renders at its file's sample_rate`,
    );
  }
  const byName = new Map<string, string>();
  for (const session of sessions) {
    const name = sessionName(session);
    const other = byName.get(name);
    if (other !== undefined && !singleFile) {
      throw new UsageError(`${other} and ${session} would both write ${name}.wav: rename one`);
    }
    byName.set(name, session);
  }

  const targets = sessions
    .map((sessionPath, index): SessionTarget => {
      const name = sessionName(sessionPath);
      return {
        index,
        sessionPath,
        outputPath: singleFile ? options.output : join(options.output, `${name}.wav`),
        stemsDir:
          options.stemsDir === null ? null : singleFile ? options.stemsDir : join(options.stemsDir, name),
      };
    })
    .filter((target) => options.shard === null || target.index % options.shard.count === options.shard.index);
  return { targets, total: sessions.length, noun };
}

/**
 * What a worker renders for one target of a render command: `render`'s thread pool and the farm's
 * queue (enqueue-command.ts) make their jobs here, so both render the same.
 * @example
 * const jobs = targets.map((target) => renderJobOf(target, command));
 */
export function renderJobOf(target: SessionTarget, command: RenderCommand): SessionRenderJob {
  return {
    sessionPath: target.sessionPath,
    outputPath: target.outputPath,
    stemsDir: target.stemsDir,
    format: command.format,
    length: command.length,
    blockSize: command.blockSize,
    sampleRate: command.sampleRate,
    extraStems: command.extraStems,
    allowOutsidePaths: command.allowOutsidePaths,
    timeoutSeconds: command.timeoutSeconds,
    normalizePeakDbfs: command.normalize,
  };
}

/** A session's name: its file name without .json (a project's without .wdproj). */
export function sessionName(path: string): string {
  return basename(path, extname(path));
}

async function expandInput(input: string): Promise<string[]> {
  const kind = await stat(input).then(
    (stats) => (stats.isDirectory() ? "directory" : "file"),
    () => "missing",
  );
  if (kind === "file") return [input];
  if (kind === "directory") {
    const names = (await readdir(input)).filter(
      (name) => !name.startsWith(".") && (name.toLowerCase().endsWith(".json") || isProjectFile(name)),
    );
    if (names.length === 0)
      throw new UsageError(`no session files (*.json) or project files (*.wdproj) in directory ${input}`);
    return names.map((name) => join(input, name));
  }
  if (!GLOB_CHARACTERS.test(input)) {
    // Reported as that session's failure, so the rest of a batch still renders.
    return [input];
  }
  return expandGlob(input);
}

/**
 * Node 20 has no fs.glob: this handles the common quoted case, wildcards (* ? [abc]) in the file name
 * only, e.g. "sessions/take-*.json". Shells expand unquoted globs themselves.
 */
async function expandGlob(pattern: string): Promise<string[]> {
  const dir = dirname(pattern);
  if (GLOB_CHARACTERS.test(dir)) {
    throw new UsageError(`glob ${pattern}: only the file name may have wildcards, not the directories`);
  }
  const matcher = globToRegExp(basename(pattern));
  const names = await readdir(dir).catch(() => [] as string[]);
  // As in a shell, a wildcard does not match a leading dot.
  const hiddenToo = basename(pattern).startsWith(".");
  const matches = names
    .filter((name) => (hiddenToo || !name.startsWith(".")) && matcher.test(name))
    .map((name) => join(dir, name));
  if (matches.length === 0) throw new UsageError(`no session or project files match ${pattern}`);
  return matches;
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else if (ch === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) source += "\\[";
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        source += `[${body}]`;
        i = end;
      }
    } else source += ch.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
