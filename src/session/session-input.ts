/**
 * The files a session reads, and the policy that keeps reading them safe (docs/reliability.md, "Files
 * and sessions"):
 * - a buffer's WAV must be inside the session file's folder: no absolute path, no `..` leading out,
 *   no symbolic link leading out (real paths are compared), unless the caller opts in;
 * - only regular files are read (a FIFO, a device such as /dev/zero or a directory is refused without
 *   reading), and at most LIMITS.sessionFileBytes / LIMITS.audioFileBytes of them (E_LIMIT);
 * - messages name the file and the problem and never quote what the file holds.
 */
import { realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { FileReadError, readRegularFile } from "../audio-io/regular-file";
import { EngineError } from "../contracts/errors";
import { LIMITS, type LimitName } from "../contracts/limits";

/** How to read a session's WAVs. */
export interface SessionInputOptions {
  /**
   * Read WAVs outside the session file's folder too: absolute paths, paths through `..`, and symbolic
   * links whose target is elsewhere. Default false: those are refused (E_SCHEMA at the buffer's path).
   */
  allowOutsidePaths?: boolean;
  /** Stops reading between files and pieces of a file (E_CANCELLED). */
  signal?: AbortSignal;
}

const OPT_IN = "to read it anyway, pass allowOutsidePaths (the CLI's --allow-outside-paths)";

/**
 * The session file's text: a regular file of at most LIMITS.sessionFileBytes, decoded as UTF-8 with
 * a leading byte-order mark dropped (editors on Windows write one). Throws EngineError naming the file.
 * @example
 * const text = await readSessionText("sessions/take-1.json");
 */
export async function readSessionText(path: string, signal?: AbortSignal): Promise<string> {
  const bytes = await readCapped(path, "sessionFileBytes", "a session file", { signal });
  // TextDecoder drops a leading U+FEFF (ignoreBOM is false by default); Buffer.toString would keep it.
  return new TextDecoder("utf-8").decode(bytes);
}

/**
 * Where a buffer's WAV is, checked against the policy above: the path to read (its real path, links
 * resolved) and the path to name in messages (the session's folder joined with the path as written).
 * Throws EngineError E_SCHEMA without a field path; the caller adds the buffer's.
 * @example
 * const { real } = await locateBufferFile("sessions", "take-1.audio/drums.data.wav", {});
 */
export async function locateBufferFile(
  sessionDir: string,
  given: string,
  options: SessionInputOptions,
): Promise<{ real: string; shown: string }> {
  const allowOutside = options.allowOutsidePaths === true;
  const folder = resolve(sessionDir);
  const shown = resolve(folder, given);
  if (!allowOutside && isAbsolute(given)) {
    throw new EngineError(
      "E_SCHEMA",
      `${JSON.stringify(given)} is an absolute path; a session's WAVs must be inside its folder (${sessionDir}): ${OPT_IN}`,
    );
  }
  if (!allowOutside && !isInside(folder, shown)) {
    throw new EngineError(
      "E_SCHEMA",
      `${JSON.stringify(given)} leads outside the session's folder (${sessionDir}): ${OPT_IN}`,
    );
  }
  const real = await realpath(shown).catch((cause: unknown) => {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    throw new EngineError("E_SCHEMA", `${shown}: cannot read: ${code ?? String(cause)}`);
  });
  if (!allowOutside) {
    // The folder may itself be reached through a link (a mounted volume): compare real with real.
    const realFolder = await realpath(folder);
    if (!isInside(realFolder, real)) {
      throw new EngineError(
        "E_SCHEMA",
        `${shown}: a symbolic link leads outside the session's folder (${sessionDir}): ${OPT_IN}`,
      );
    }
  }
  return { real, shown };
}

/**
 * A WAV's bytes: a regular file of at most LIMITS.audioFileBytes. Throws EngineError naming `shown`.
 * @example
 * const { real, shown } = await locateBufferFile("sessions", "take-1.audio/drums.data.wav", {});
 * const bytes = await readBufferBytes(real, shown);
 */
export function readBufferBytes(real: string, shown: string, signal?: AbortSignal): Promise<Uint8Array> {
  // Links were resolved and checked by locateBufferFile: one appearing since is refused, not followed.
  return readCapped(real, "audioFileBytes", "a WAV file of a session", { signal, shown, noFollow: true });
}

/** True when `path` is `folder` or below it (both absolute and normalised). */
function isInside(folder: string, path: string): boolean {
  const rest = relative(folder, path);
  return rest === "" || (rest !== ".." && !rest.startsWith(`..${sep}`) && !isAbsolute(rest));
}

async function readCapped(
  path: string,
  limit: LimitName,
  what: string,
  options: { signal?: AbortSignal; shown?: string; noFollow?: boolean },
): Promise<Uint8Array> {
  const maxBytes = LIMITS[limit].value;
  const shown = options.shown ?? path;
  try {
    return await readRegularFile(path, { maxBytes, signal: options.signal, noFollow: options.noFollow });
  } catch (cause) {
    if (!(cause instanceof FileReadError)) throw cause;
    const limitText = `the limit for ${what} is ${maxBytes} bytes (${limit})`;
    if (cause.failure === "too-large") {
      throw new EngineError("E_LIMIT", `${shown}: the file is ${cause.size} bytes; ${limitText}`);
    }
    if (cause.failure === "grew-too-large") {
      throw new EngineError("E_LIMIT", `${shown}: the file grew while it was read; ${limitText}`);
    }
    if (cause.failure === "aborted") throw new EngineError("E_CANCELLED", `${shown}: reading was stopped`);
    throw new EngineError("E_SCHEMA", `${shown}: ${cause.problem}`);
  }
}

/**
 * JSON.parse with an error that says where the text breaks but never quotes it: V8's messages for an
 * unexpected token include the text around it ('Unexpected token ..., "<the file's first bytes>" is
 * not valid JSON'), and a session path may name any file. Throws E_SCHEMA.
 * @example
 * parseJsonText("{ not json"); // throws 'E_SCHEMA: is not valid JSON: expected property name or '}' (line 1, column 3)'
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new EngineError("E_SCHEMA", `is not valid JSON: ${describeJsonError(cause, text)}`);
  }
}

function describeJsonError(cause: unknown, text: string): string {
  const message = cause instanceof Error ? cause.message : "";
  if (/Unexpected end of JSON input/.test(message)) return "the text ends before the JSON does";
  // V8's positioned messages are fixed phrases ("Expected ',' or '}' after property value in JSON at
  // position 12"); they name grammar, not the text.
  const positioned = /^([^"]*?) in JSON at position (\d+)/.exec(message);
  if (positioned === null) return "unexpected character";
  const position = Number(positioned[2]);
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  const phrase = positioned[1] as string;
  return `${phrase.charAt(0).toLowerCase()}${phrase.slice(1)} (line ${line}, column ${column})`;
}
