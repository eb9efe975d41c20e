/**
 * Faust source that names a URL (`import("https://…/x.lib")`, `library(…)`, `component(…)`,
 * `soundfile("s[url:{'https://…/s.wav'}]", 1)`) or an absolute path.
 *
 * libfaust fetches such a file itself, with a synchronous XMLHttpRequest from inside the compiler:
 * in a page's Worker that blocks the compile on the network, and in Node.js (no XMLHttpRequest) it
 * prints a stack trace and fails with "allocate is not defined". So webdreamer never lets libfaust
 * see a URL. Before a compile, every URL reference of the source and its libraries is either
 *
 * - refused, with E_SCHEMA at the source (or library) naming the line and the URL, or
 * - when it starts with a prefix the app allows (FaustCompileOptions.allowUrlPrefixes), fetched
 *   here asynchronously, written as a library named by a hash of its URL, and the reference
 *   rewritten to that name. Fetched files are searched the same way (up to MAX_FETCHED files).
 *
 * Rewriting keeps every line where it was, so Faust's error lines still point into the caller's
 * text. libfaust's file system is in memory (its standard libraries and the compile's
 * `libraries`), so an absolute path could never be read; it is refused all the same, before the
 * compile, so that the error says why (libfaust would only say "unable to open file").
 *
 * Soundfiles: faustwasm's own nodes fetch a soundfile's `url:{…}` parts when a node is created.
 * webdreamer never does (a soundfile's audio is given as buffers, by slot), so a part that is a
 * URL would silently play silence: it is refused unless its prefix is allowed (then the part is
 * just the name of a slot the app fills), and an absolute path is refused. Declarations
 * (`declare author "https://…"`) are metadata and stay as they are.
 */
import { EngineError } from "../contracts/errors";
import { formatPath } from "../contracts/validate";

/** A file reference in Faust text: the string literal of import/library/component/soundfile. */
export interface FileReference {
  /** import, library, component or soundfile (then `target` is the whole label). */
  kind: string;
  /** The literal's text (between the quotes). */
  target: string;
  /** 1-based line of the literal. */
  line: number;
  /** Offsets of the literal's text (excluding the quotes) in the source. */
  start: number;
  end: number;
}

/** What an allowed URL prefix looks like: http(s), a host, and a "/" after it. */
export const URL_PREFIX = /^https?:\/\/[^/?#]+\//;

/** How many URL files one compile may fetch (its own and theirs). */
export const MAX_FETCHED = 32;
/** Largest file fetched for a compile. */
export const MAX_FETCHED_BYTES = 1 << 20;
/** How long one fetch may take. */
export const FETCH_TIMEOUT_MS = 10_000;

const FILE_FUNCTIONS = new Set(["import", "library", "component", "soundfile"]);

/** True for a URL (any scheme, or protocol-relative "//host/..."), false for a file name or path. */
export function isUrl(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");
}

/** True for an absolute file path ("/etc/x.lib", a Windows share), not a URL ("//host/x.lib" is one). */
export function isAbsolutePath(target: string): boolean {
  return !isUrl(target) && (target.startsWith("/") || target.startsWith("\\"));
}

/**
 * The parts of a soundfile label's `url:{…}` metadata as written in the source,
 * none without url metadata.
 * @example
 * soundfileUrlParts("s[url:{'a.wav';'https://x/b.wav'}]"); // ["a.wav", "https://x/b.wav"]
 */
export function soundfileUrlParts(label: string): string[] {
  const match = /url\s*:\s*\{([^}]*)\}/.exec(label);
  if (match === null) return [];
  return (match[1] as string)
    .split(";")
    .map((raw) => raw.trim().replace(/^'|'$/g, "").trim())
    .filter((part) => part.length > 0);
}

/**
 * The file references of Faust text, skipping comments and other strings.
 * @example
 * findFileReferences('import("stdfaust.lib"); // import("x.lib")'); // one reference: stdfaust.lib
 */
export function findFileReferences(text: string): FileReference[] {
  const references: FileReference[] = [];
  let line = 1;
  let lastWord = "";
  let lastWordEnd = -1;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "\n") {
      line++;
      i++;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      const end = close < 0 ? text.length : close + 2;
      for (let j = i; j < end; j++) if (text[j] === "\n") line++;
      i = end;
    } else if (c === '"') {
      const start = i + 1;
      let end = start;
      while (end < text.length && text[end] !== '"' && text[end] !== "\n") end += text[end] === "\\" ? 2 : 1;
      // `import ( "x" )`: the word before the parenthesis that opens right before the literal.
      const before = text.slice(lastWordEnd, i);
      if (FILE_FUNCTIONS.has(lastWord) && /^\s*\(\s*$/.test(before)) {
        references.push({ kind: lastWord, target: text.slice(start, end), line, start, end });
      }
      lastWord = "";
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i] as string)) i++;
      lastWord = text.slice(start, i);
      lastWordEnd = i;
    } else {
      if (!/[\s(]/.test(c)) lastWord = "";
      i++;
    }
  }
  return references;
}

/** What a compile may fetch. */
export interface UrlImportPolicy {
  /**
   * URL prefixes the app allows, e.g. ["https://faustlibraries.grame.fr/libs/"]; none by default.
   * Imports from them are fetched; soundfile parts from them are accepted as slot names.
   */
  allowUrlPrefixes: readonly string[];
  /** Fetches a URL's text (tests pass their own); default globalThis.fetch with a timeout. */
  fetchText?: (url: string) => Promise<string>;
}

function allowed(policy: UrlImportPolicy, url: string): boolean {
  return policy.allowUrlPrefixes.some((prefix) => url.startsWith(prefix));
}

/**
 * A soundfile's url parts: an absolute path is refused, a URL unless its prefix is allowed (nothing
 * fetches it either way: the app gives the slot its audio).
 */
function checkSoundfileParts(reference: FileReference, policy: UrlImportPolicy, path: string): void {
  for (const part of soundfileUrlParts(reference.target)) {
    const where = `line ${reference.line}: soundfile("${reference.target}")`;
    if (isAbsolutePath(part)) {
      throw new EngineError(
        "E_SCHEMA",
        `${where} names the file ${part}; Faust compilation reads no file system: name the part (e.g. '${part.split(/[\\/]/).pop()}') and give the node's soundfile slot its audio as a buffer`,
        path,
      );
    }
    if (isUrl(part) && !allowed(policy, part)) {
      throw new EngineError(
        "E_SCHEMA",
        `${where} names the URL ${part}; webdreamer fetches no soundfile (the node's soundfile slots take buffers): allow the URL's prefix in options.allowUrlPrefixes to keep it as a slot name, or name the part without a URL`,
        path,
      );
    }
  }
}

/** A source and libraries with every URL reference replaced by a fetched library. */
export interface ResolvedImports {
  source: string;
  libraries: Record<string, string>;
}

/** The library file a URL is written to: stable for the URL, so node ids stay content-addressed. */
async function libraryNameOf(url: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(url)));
  let hex = "";
  for (let i = 0; i < 8; i++) hex += (digest[i] as number).toString(16).padStart(2, "0");
  return `url-${hex}.lib`;
}

async function defaultFetchText(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: "error" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_FETCHED_BYTES) throw new Error(`larger than ${MAX_FETCHED_BYTES} bytes`);
  return text;
}

/**
 * Checks and resolves the URL references of `source` and `libraries` under `policy`.
 * Throws E_SCHEMA at `sourcePath` (or `librariesPath["file"]`) naming the line and the URL.
 * @example
 * const { source, libraries } = await resolveUrlImports(text, {}, { allowUrlPrefixes: [] }, "source", "options.libraries");
 */
export async function resolveUrlImports(
  source: string,
  libraries: Readonly<Record<string, string>>,
  policy: UrlImportPolicy,
  sourcePath: string,
  librariesPath: string,
): Promise<ResolvedImports> {
  const fetchText = policy.fetchText ?? defaultFetchText;
  const resolved: Record<string, string> = { ...libraries };
  const fetched = new Map<string, string>(); // url -> library name
  const queue: { url: string; name: string }[] = [];

  const rewrite = async (text: string, path: string): Promise<string> => {
    let out = "";
    let at = 0;
    for (const reference of findFileReferences(text)) {
      if (reference.kind === "soundfile") {
        checkSoundfileParts(reference, policy, path);
        continue;
      }
      if (isAbsolutePath(reference.target)) {
        throw new EngineError(
          "E_SCHEMA",
          `line ${reference.line}: ${reference.kind}("${reference.target}") names a file outside the compile; Faust compilation reads no file system: pass the file's text in options.libraries and ${reference.kind} it by name`,
          path,
        );
      }
      if (!isUrl(reference.target)) continue;
      const url = reference.target;
      const where = `line ${reference.line}: ${reference.kind}("${url}")`;
      if (!allowed(policy, url)) {
        throw new EngineError(
          "E_SCHEMA",
          `${where} reaches the network; Faust compilation fetches nothing on its own: allow the URL's prefix in options.allowUrlPrefixes, or pass the file in options.libraries`,
          path,
        );
      }
      let name = fetched.get(url);
      if (name === undefined) {
        if (fetched.size >= MAX_FETCHED) {
          throw new EngineError(
            "E_LIMIT",
            `${where}: more than ${MAX_FETCHED} URL files in one compile`,
            path,
          );
        }
        name = await libraryNameOf(url);
        fetched.set(url, name);
        queue.push({ url, name });
      }
      out += text.slice(at, reference.start) + name;
      at = reference.end;
    }
    return out + text.slice(at);
  };

  const rewrittenSource = await rewrite(source, sourcePath);
  for (const [file, text] of Object.entries(libraries)) {
    resolved[file] = await rewrite(text, formatPath([file], librariesPath));
  }
  while (queue.length > 0) {
    const { url, name } = queue.shift() as { url: string; name: string };
    let text: string;
    try {
      text = await fetchText(url);
    } catch (error) {
      throw new EngineError(
        "E_SCHEMA",
        `cannot fetch ${url}: ${(error as Error).message ?? String(error)}`,
        sourcePath,
      );
    }
    resolved[name] = await rewrite(text, `${sourcePath} (fetched ${url})`);
  }
  return { source: rewrittenSource, libraries: resolved };
}
