/**
 * Faust source that names a URL (`import("https://…/x.lib")`, `library(…)`, `component(…)`).
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
 * text. Paths that are not URLs never leave libfaust's in-memory file system (its standard
 * libraries and the compile's `libraries`): `import("/etc/passwd")` is "unable to open file".
 * Declarations (`declare author "https://…"`) and soundfile labels are metadata: nothing fetches
 * them, so they are left alone (a soundfile's audio is given to webdreamer as buffers).
 */
import { EngineError } from "../contracts/errors";
import { formatPath } from "../contracts/validate";

/** A file reference in Faust text: the string literal of import/library/component. */
export interface FileReference {
  /** import, library or component. */
  kind: string;
  /** The literal's text (between the quotes). */
  target: string;
  /** 1-based line of the literal. */
  line: number;
  /** Offsets of the literal's text (excluding the quotes) in the source. */
  start: number;
  end: number;
}

/** How many URL files one compile may fetch (its own and theirs). */
export const MAX_FETCHED = 32;
/** Largest file fetched for a compile. */
export const MAX_FETCHED_BYTES = 1 << 20;
/** How long one fetch may take. */
export const FETCH_TIMEOUT_MS = 10_000;

const FILE_FUNCTIONS = new Set(["import", "library", "component"]);

/** True for a URL (any scheme, or protocol-relative "//host/..."), false for a file name or path. */
export function isUrl(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");
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
  /** URL prefixes the app allows, e.g. ["https://faustlibraries.grame.fr/libs/"]; none by default. */
  allowUrlPrefixes: readonly string[];
  /** Fetches a URL's text (tests pass their own); default globalThis.fetch with a timeout. */
  fetchText?: (url: string) => Promise<string>;
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
      if (!isUrl(reference.target)) continue;
      const url = reference.target;
      const where = `line ${reference.line}: ${reference.kind}("${url}")`;
      if (!policy.allowUrlPrefixes.some((prefix) => url.startsWith(prefix))) {
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
