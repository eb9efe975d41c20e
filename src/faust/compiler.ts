/**
 * Compiles Faust source at run time with libfaust (@grame/faustwasm), on the thread that asks: the
 * engine Worker in a browser, the caller's thread in Node. Never on the audio thread.
 *
 * - libfaust loads on the first compile of the thread, once (libfaust.ts).
 * - A compiled DSP is cached by its node id, a SHA-256 of the source and the options, so a DSP named
 *   twice (two nodes, two renders, a session reloaded) compiles once. Failed compiles are not cached.
 * - Polyphonic DSPs compile as faustwasm's FaustPolyDspGenerator compiles them (same wrappers around
 *   the source, same options), so the voice, the `effect` and the mixer are faustwasm's own code.
 * - A compile error is a FaustCompileError: an EngineError (E_SCHEMA at the source's path) carrying
 *   Faust's message and the line it names. libfaust stays usable afterwards.
 */
import type { FaustCompiler } from "@grame/faustwasm/dist/esm/index.js";
import type { FaustCompileOptions } from "../api/engine-client";
import { RESERVED_KEY } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import { type NodeDescriptor, NodeDescriptorSchema } from "../contracts/node-descriptor";
import { parseContract } from "../contracts/validate";
import { faustNodeDescriptor } from "./descriptor";
import type { FaustFactory } from "./dsp-code";
import { buildFaustLayout, type FaustJson, type FaustLayout, FaustSharedControlError } from "./layout";
import { type LibFaustLoader, libFaustCompiler } from "./libfaust";
import { isUrl, resolveUrlImports, URL_PREFIX } from "./url-imports";

/** How to compile a DSP: part of the EngineClient API (compileFaust), so it is declared there. */
export type { FaustCompileOptions };

/** Options with every default filled in. */
export interface ResolvedFaustOptions {
  name: string;
  argv: string[];
  /** The caller's libraries, and the files fetched for URL imports (url-imports.ts). */
  libraries: Record<string, string>;
  voices: number;
  groupVoices: boolean;
  releaseLength: number;
  dynamicVoices: boolean;
  allowUrlPrefixes: string[];
}

/** One compiled WebAssembly module with its JSON description. */
export type { FaustFactory } from "./dsp-code";

/**
 * A compiled DSP: plain data and WebAssembly modules, so it can be posted to a Worker or an
 * AudioWorklet (structured clone keeps modules) and instantiated there by faust-node.ts.
 */
export interface CompiledFaust {
  /** "faust:<16 hex digits of SHA-256(source, options)>". */
  nodeId: string;
  source: string;
  options: ResolvedFaustOptions;
  /** The mono DSP, or the poly voice. */
  dsp: FaustFactory;
  /** The poly `effect`, or null. */
  effect: FaustFactory | null;
  /** faustwasm's voice mixer (poly only). */
  mixer: WebAssembly.Module | null;
  /** The mixer's bytes (poly only), for writing the DSP to disk (src/wam-export/). */
  mixerBytes: Uint8Array | null;
  layout: FaustLayout;
  descriptor: NodeDescriptor;
}

/** A compile error: Faust's message, and the line (of the source, or of `file`) it names. */
export class FaustCompileError extends EngineError {
  /**
   * @param faustMessage - libfaust's text without its "FILE:LINE : ERROR : " prefix
   * @param line - 1-based line, or null when Faust names none
   * @param file - the library the line is in, or null for the DSP's own source
   */
  constructor(
    readonly faustMessage: string,
    readonly line: number | null,
    readonly file: string | null,
    path: string,
  ) {
    const where = line === null ? "" : ` at ${file === null ? "line" : `${file} line`} ${line}`;
    super("E_SCHEMA", `Faust compile error${where}: ${faustMessage}`, path);
  }
}

const DEFAULT_NAME = "webdreamer";
const DEFAULT_ARGV = ["-ftz", "2"];
/** Where a compile's extra libraries are written in libfaust's in-memory file system. */
const LIBRARY_ROOT = "/webdreamer-libraries";
const MAX_VOICES = 256;

/**
 * The node id a source and options compile to, without compiling (the cache key).
 * @example
 * await faustNodeId("process = _;", {}); // "faust:…"
 */
export async function faustNodeId(source: string, options: FaustCompileOptions = {}): Promise<string> {
  const { source: code, options: resolved } = await withUrlImports(
    source,
    resolveOptions(source, options, "options"),
    "source",
    "options",
  );
  return nodeIdOf(code, resolved);
}

/**
 * The source and options libfaust compiles: URL references refused or fetched (url-imports.ts). The
 * node id is computed from these, so it names the DSP's content, fetched files included.
 */
async function withUrlImports(
  source: string,
  options: ResolvedFaustOptions,
  sourcePath: string,
  optionsPath: string,
): Promise<{ source: string; options: ResolvedFaustOptions }> {
  const resolved = await resolveUrlImports(
    source,
    options.libraries,
    { allowUrlPrefixes: options.allowUrlPrefixes },
    sourcePath,
    `${optionsPath}.libraries`,
  );
  return { source: resolved.source, options: { ...options, libraries: resolved.libraries } };
}

async function nodeIdOf(source: string, options: ResolvedFaustOptions): Promise<string> {
  const libraries = Object.keys(options.libraries)
    .sort()
    .map((file) => [file, options.libraries[file]]);
  const key = JSON.stringify([
    source,
    options.name,
    options.argv,
    libraries,
    options.voices,
    options.groupVoices,
    // Only when set, so the ids of DSPs compiled before these options existed stay the same.
    ...(options.releaseLength !== 0 || !options.dynamicVoices
      ? [options.releaseLength, options.dynamicVoices]
      : []),
  ]);
  const known = idsByKey.get(key);
  if (known !== undefined) return known;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  let hex = "";
  for (let i = 0; i < 8; i++) hex += (digest[i] as number).toString(16).padStart(2, "0");
  const nodeId = `faust:${hex}`;
  idsByKey.set(key, nodeId);
  for (const oldest of idsByKey.keys()) {
    if (idsByKey.size <= MAX_CACHED) break;
    idsByKey.delete(oldest);
  }
  return nodeId;
}

/**
 * The ids of the last sources hashed, by their key: a second compile of a source is then a lookup on
 * this thread, not a digest (`crypto.subtle.digest` is asynchronous, in Node on another thread, and
 * waiting for it was most of a cached compile's time and of its scatter). As many as the compile
 * cache holds (MAX_CACHED).
 */
const idsByKey = new Map<string, string>();

/** `declare options "[nvoices:N]"` in the source, or 0. */
function declaredVoices(source: string): number {
  for (const match of source.matchAll(/declare\s+options\s+"([^"]*)"/g)) {
    const voices = /\[\s*nvoices\s*:\s*(\d+)\s*\]/.exec(match[1] as string);
    if (voices) return Number(voices[1]);
  }
  return 0;
}

function resolveOptions(source: string, options: FaustCompileOptions, path: string): ResolvedFaustOptions {
  const fail = (field: string, detail: string): never => {
    throw new EngineError("E_SCHEMA", detail, `${path}.${field}`);
  };
  const name = options.name ?? DEFAULT_NAME;
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(name))
    fail("name", "must be 1-64 of A-Z a-z 0-9 _ . - (not starting with a digit)");
  const argv = [...(options.argv ?? DEFAULT_ARGV)];
  argv.forEach((arg, index) => {
    if (typeof arg !== "string" || arg === "" || /\s/.test(arg))
      fail(`argv[${index}]`, "must be one non-empty option without spaces");
    // libfaust would fetch from an include or architecture URL itself (url-imports.ts).
    if (isUrl(arg)) fail(`argv[${index}]`, "must not be a URL: Faust compilation fetches nothing on its own");
  });
  const libraries: Record<string, string> = {};
  for (const [file, text] of Object.entries(options.libraries ?? {})) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(file) || file === RESERVED_KEY)
      fail(`libraries[${JSON.stringify(file)}]`, "must be a file name like mylib.lib");
    if (typeof text !== "string") fail(`libraries[${JSON.stringify(file)}]`, "must be the library's text");
    libraries[file] = text;
  }
  const voices = options.voices ?? declaredVoices(source);
  if (!Number.isInteger(voices) || voices < 0 || voices > MAX_VOICES)
    fail("voices", `must be an integer in [0, ${MAX_VOICES}]`);
  const allowUrlPrefixes = [...(options.allowUrlPrefixes ?? [])];
  allowUrlPrefixes.forEach((prefix, index) => {
    if (typeof prefix !== "string" || !URL_PREFIX.test(prefix))
      fail(
        `allowUrlPrefixes[${index}]`,
        'must be an http(s) URL prefix with a host and a "/", like "https://example.org/libs/"',
      );
  });
  const releaseLength = options.releaseLength ?? 0;
  if (
    typeof releaseLength !== "number" ||
    !Number.isFinite(releaseLength) ||
    releaseLength < 0 ||
    releaseLength > 60
  )
    fail("releaseLength", "must be a number of seconds in [0, 60]");
  const dynamicVoices = options.dynamicVoices ?? true;
  if (typeof dynamicVoices !== "boolean") fail("dynamicVoices", "must be true or false");
  if (voices === 0 && (releaseLength !== 0 || !dynamicVoices))
    fail(
      releaseLength !== 0 ? "releaseLength" : "dynamicVoices",
      "applies to polyphonic DSPs only: set voices > 0 (or declare [nvoices:N] in the source)",
    );
  return {
    name,
    argv,
    libraries,
    voices,
    groupVoices: options.groupVoices ?? true,
    releaseLength,
    dynamicVoices,
    allowUrlPrefixes,
  };
}

/**
 * Compiled DSPs of this thread by node id (promises, so two callers share one compile), least
 * recently used first. A registry keeps its own DSPs, so eviction only costs a later recompile.
 */
const cache = new Map<string, Promise<CompiledFaust>>();
const MAX_CACHED = 64;
/** libfaust is one synchronous C++ compiler: compiles run one at a time. */
let compileQueue: Promise<unknown> = Promise.resolve();

/**
 * Compiles `source` (or returns the cached result for the same source and options).
 * Throws FaustCompileError (E_SCHEMA at `path`) with Faust's message and line, or E_SCHEMA at
 * `<optionsPath>.<field>` for a bad option.
 * @example
 * const gain = await compileFaust(loadLibFaustFromDisk, 'process = *(0.5);');
 * gain.descriptor.node_id; // "faust:…"
 */
export async function compileFaust(
  loadLibFaust: LibFaustLoader,
  source: string,
  options: FaustCompileOptions = {},
  paths: { source?: string; options?: string } = {},
): Promise<CompiledFaust> {
  const sourcePath = paths.source ?? "source";
  if (typeof source !== "string" || source.trim() === "") {
    throw new EngineError("E_SCHEMA", "must be Faust source text", sourcePath);
  }
  const optionsPath = paths.options ?? "options";
  const imported = await withUrlImports(
    source,
    resolveOptions(source, options, optionsPath),
    sourcePath,
    optionsPath,
  );
  source = imported.source;
  const resolved = imported.options;
  const nodeId = await nodeIdOf(source, resolved);
  let compiled = cache.get(nodeId);
  if (compiled === undefined) {
    const run = compileQueue.then(() => compileUncached(loadLibFaust, source, resolved, nodeId));
    compileQueue = run.catch(() => undefined);
    compiled = run;
    compiled.catch(() => {
      if (cache.get(nodeId) === run) cache.delete(nodeId);
    });
  } else {
    cache.delete(nodeId);
  }
  cache.set(nodeId, compiled);
  for (const oldest of cache.keys()) {
    if (cache.size <= MAX_CACHED) break;
    cache.delete(oldest);
  }
  try {
    return await compiled;
  } catch (error) {
    // The cached failure carries the first caller's path; each caller gets its own.
    if (error instanceof FaustCompileError && error.path !== sourcePath) {
      throw new FaustCompileError(error.faustMessage, error.line, error.file, sourcePath);
    }
    throw error;
  }
}

/**
 * Drops a DSP from this thread's compile cache (its modules are then garbage once no registry or
 * graph holds them).
 * @example
 * forgetCompiledFaust("faust:0123456789abcdef");
 */
export function forgetCompiledFaust(nodeId: string): void {
  cache.delete(nodeId);
}

/** Node ids in this thread's cache, least recently used first. */
export function cachedFaustNodeIds(): string[] {
  return [...cache.keys()];
}

async function compileUncached(
  loadLibFaust: LibFaustLoader,
  source: string,
  options: ResolvedFaustOptions,
  nodeId: string,
): Promise<CompiledFaust> {
  const compiler = await libFaustCompiler(loadLibFaust);
  const argv = [...options.argv];
  if (Object.keys(options.libraries).length > 0) {
    const directory = `${LIBRARY_ROOT}/${nodeId.slice("faust:".length)}`;
    const fs = compiler.fs();
    fs.mkdirTree(directory);
    for (const [file, text] of Object.entries(options.libraries)) fs.writeFile(`${directory}/${file}`, text);
    argv.push("-I", directory);
  }
  const args = argv.join(" ");
  const build = async (code: string, wrapperLines: number, extraArgs = ""): Promise<FaustFactory> => {
    const factory = await compileOne(
      compiler,
      options,
      source,
      code,
      `${args}${extraArgs}`,
      wrapperLines,
      options.voices > 0,
    );
    return {
      module: factory.module,
      bytes: factory.code,
      json: factory.json,
      meta: JSON.parse(factory.json) as FaustJson,
    };
  };

  let dsp: FaustFactory;
  let effect: FaustFactory | null = null;
  let mixer: WebAssembly.Module | null = null;
  let mixerBytes: Uint8Array | null = null;
  if (options.voices === 0) {
    dsp = await build(source, 0);
  } else {
    const compiledEffect = definesEffect(source, options.libraries) ? await probeEffect(build, source) : null;
    if (compiledEffect === null) {
      dsp = await build(source, 0);
    } else {
      const wrappers = polyWrappers(source, compiledEffect.meta);
      dsp = await build(wrappers.voice.code, wrappers.voice.lines);
      // The effect computes in place on the voices' mix, hence -inpl (as faustwasm).
      effect = await build(wrappers.effect.code, wrappers.effect.lines, " -inpl");
    }
    const isDouble = /(^|\s)-double(\s|$)/.test(dsp.meta.compile_options);
    const internalMixer = await compiler.getAsyncInternalMixerModule(isDouble);
    mixer = internalMixer.mixerModule;
    mixerBytes = internalMixer.mixerBuffer;
  }

  let layout: FaustLayout;
  try {
    layout = buildFaustLayout(dsp.meta, effect?.meta ?? null, options);
  } catch (error) {
    if (error instanceof FaustSharedControlError)
      throw new FaustCompileError(error.message, null, null, "source");
    throw error;
  }
  const descriptor = parseContract(
    NodeDescriptorSchema,
    faustNodeDescriptor(dsp.meta, effect?.meta ?? null, layout, {
      nodeId,
      voices: options.voices,
      groupVoices: options.groupVoices,
      releaseLength: options.releaseLength,
      dynamicVoices: options.dynamicVoices,
    }),
    "descriptor",
  );
  return { nodeId, source, options, dsp, effect, mixer, mixerBytes, layout, descriptor };
}

async function compileOne(
  compiler: FaustCompiler,
  options: ResolvedFaustOptions,
  source: string,
  code: string,
  args: string,
  wrapperLines: number,
  poly: boolean,
) {
  try {
    const factory = poly
      ? await compiler.createPolyDSPFactory(options.name, code, args)
      : await compiler.createMonoDSPFactory(options.name, code, args);
    if (factory === null) throw new Error(compiler.getErrorMessage() || "libfaust returned no factory");
    return factory;
  } catch (error) {
    throw compileError(error, options.name, source, wrapperLines);
  }
}

/**
 * Faust's error text is "FILE:LINE : ERROR : message" (or "ERROR : message" when it names no line).
 * FILE is the DSP's name for its own source; a line inside one of faustwasm's poly wrappers is moved
 * back to the line of the user's source.
 */
function compileError(error: unknown, name: string, source: string, wrapperLines: number): FaustCompileError {
  const text = (error instanceof Error ? error.message : String(error)).trim();
  const match = /^(.*?):(\d+)\s*:\s*ERROR\s*:\s*([\s\S]*)$/.exec(text);
  if (match === null) {
    return new FaustCompileError(text.replace(/^ERROR\s*:\s*/, ""), null, null, "source");
  }
  const [, file = "", lineText = "0", message = ""] = match;
  let line = Number(lineText);
  if (file === name) {
    const sourceLines = source.split("\n").length;
    line -= wrapperLines;
    return new FaustCompileError(
      message.trim(),
      line >= 1 && line <= sourceLines ? line : null,
      null,
      "source",
    );
  }
  const library = file.startsWith(`${LIBRARY_ROOT}/`) ? file.slice(file.lastIndexOf("/") + 1) : file;
  return new FaustCompileError(message.trim(), line, library, "source");
}

/** Whether the source (or a library it was given) may define `effect`; a false positive only costs a compile. */
function definesEffect(source: string, libraries: Readonly<Record<string, string>>): boolean {
  const pattern = /(^|[^\w.])effect\s*=(?!=)/m;
  return pattern.test(source) || Object.values(libraries).some((text) => pattern.test(text));
}

/** Compiles the source's `effect` on its own (faustwasm's first step); null when there is none. */
async function probeEffect(
  build: (code: string, wrapperLines: number) => Promise<FaustFactory>,
  source: string,
): Promise<FaustFactory | null> {
  const prefix = "dsp_code = environment{\n                ";
  try {
    return await build(
      `${prefix}${source}\n            };\n            process = dsp_code.effect;`,
      lineCount(prefix),
    );
  } catch (error) {
    if (error instanceof FaustCompileError && /undefined symbol\s*:\s*effect\b/.test(error.faustMessage))
      return null;
    throw error;
  }
}

function lineCount(prefix: string): number {
  return prefix.split("\n").length - 1;
}

/**
 * faustwasm's FaustPolyDspGenerator.compile wrappers, verbatim: the voice's outputs are adapted to the
 * effect's inputs (forced to two channels for a stereo effect) and the effect to two outputs.
 */
function polyWrappers(source: string, effect: FaustJson) {
  const voicePrefix = `\
// Voice output is forced to 2, when DSP is stereo or effect has 2 ins or 2 outs,
// so that the effect can process the 2 channels of the voice
adaptOut(1,1,1) = _;
adaptOut(1,1,2) = _ <: _,0;  // The left channel only is kept
adaptOut(1,2,1) = _ <: _,_;
adaptOut(1,2,2) = _ <: _,_;
adaptOut(2,1,1) = _,_;
adaptOut(2,1,2) = _,_;
adaptOut(2,2,1) = _,_;
adaptOut(2,2,2) = _,_;
adaptor(F) = adaptOut(outputs(F),${effect.inputs},${effect.outputs});
dsp_code = environment{
    `;
  const voiceSuffix = `
};
process = dsp_code.process : adaptor(dsp_code.process);
`;
  const effectPrefix = `\
// Inputs
adaptIn(1,1,1) = _;
adaptIn(1,1,2) = _,_ :> _;  
adaptIn(1,2,1) = _,_;
adaptIn(1,2,2) = _,_;
adaptIn(2,1,1) = _,_ :> _;
adaptIn(2,1,2) = _,_ :> _;
adaptIn(2,2,1) = _,_;
adaptIn(2,2,2) = _,_;
// Outputs
adaptOut(1,1) = _ <: _,0;   // The left channel only is kept
adaptOut(1,2) = _,_;
adaptOut(2,1) = _ <: _,0;   // The left channel only is kept
adaptOut(2,2) = _,_;
adaptorIns(F) = adaptIn(outputs(F),${effect.inputs},${effect.outputs});
adaptorOuts = adaptOut(${effect.inputs},${effect.outputs});
dsp_code = environment{
    `;
  const effectSuffix = `
};
process = adaptorIns(dsp_code.process) : dsp_code.effect : adaptorOuts;
`;
  return {
    voice: { code: `${voicePrefix}${source}${voiceSuffix}`, lines: lineCount(voicePrefix) },
    effect: { code: `${effectPrefix}${source}${effectSuffix}`, lines: lineCount(effectPrefix) },
  };
}
