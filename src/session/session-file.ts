/**
 * The session file: everything needed to render a request again, on another day or another machine,
 * as DawDreamer's pickled engine is. It is JSON, next to the WAV files of the audio it plays:
 *
 * ```json
 * {
 *   "version": "v1alpha",
 *   "sample_rate": 48000,
 *   "block_size": 128,
 *   "request": { "version": "v1alpha", "request_id": "take-1", "node_graph": { ... }, ... },
 *   "buffers": { "buf:7": { "path": "audio/9b1f…e27a.wav" } }
 * }
 * ```
 *
 * `request` is a complete RenderRequest. Its buffer handles were issued by the engine that saved it;
 * handles are per engine, so loading uploads each WAV again and rewrites the handles to the new ones.
 * `buffers` maps every handle the request's graph uses to a WAV, by a path relative to the session
 * file's folder and inside it (absolute paths, `..` leading out and symbolic links leading out are
 * refused unless the reader opts in: session-input.ts). Any such path is read; saveSession writes
 * `audio/<sha256 of the WAV's bytes>.wav`, one file for every session of the folder that plays the
 * same audio. `sample_rate` and `block_size` configure the engine.
 */
import * as z from "zod";
import {
  BufferHandleSchema,
  ExtensionsSchema,
  SampleRateSchema,
  VersionSchema,
  withoutReservedKey,
} from "../contracts/common";
import { EngineError } from "../contracts/errors";
import {
  checkRenderRequest,
  MAX_BLOCK_SIZE,
  type RenderRequest,
  RenderRequestSchema,
} from "../contracts/render";
import { formatPath } from "../contracts/validate";

export const SessionBufferSchema = z.strictObject({
  path: z.string().min(1).describe("The WAV holding this buffer, relative to the session file."),
});

export const SessionFileSchema = z.strictObject({
  version: VersionSchema,
  sample_rate: SampleRateSchema.describe(
    "Engine sample rate in Hz; the request's sample_rate must equal it.",
  ),
  block_size: z.int().min(1).max(MAX_BLOCK_SIZE).describe("Engine block size in frames, 1..4096."),
  request: RenderRequestSchema,
  buffers: withoutReservedKey(z.record(BufferHandleSchema, SessionBufferSchema).default({})).describe(
    "A WAV file for every buffer handle the request's graph uses.",
  ),
  extensions: ExtensionsSchema,
});

export type SessionFile = z.output<typeof SessionFileSchema>;
export type SessionFileInput = z.input<typeof SessionFileSchema>;

/** Where a graph uses a buffer handle: the first field that names it. */
export interface BufferUse {
  handle: string;
  /** e.g. `request.node_graph.nodes[0].buffers.data` */
  path: string;
  /** The node that uses it. */
  node: string;
  /** The buffer slot ("data"), or "<parameter id>.automation" for an automation curve. */
  slot: string;
}

/**
 * Every buffer handle the request's graph uses (node buffers and automation curves), once each, in
 * graph order.
 * @example
 * bufferUses(request).map((use) => use.handle); // ["buf:7", "buf:8"]
 */
export function bufferUses(request: RenderRequest, rootLabel = "request"): BufferUse[] {
  const uses = new Map<string, BufferUse>();
  const add = (handle: string, segments: (string | number)[], node: string, slot: string) => {
    if (!uses.has(handle)) {
      uses.set(handle, { handle, path: formatPath(["node_graph", ...segments], rootLabel), node, slot });
    }
  };
  request.node_graph.nodes.forEach((node, index) => {
    for (const [slot, handle] of Object.entries(node.buffers)) {
      add(handle, ["nodes", index, "buffers", slot], node.name, slot);
    }
    for (const [parameterId, automation] of Object.entries(node.automation)) {
      if ("buffer_handle" in automation && automation.buffer_handle !== undefined) {
        const segments = ["nodes", index, "automation", parameterId, "buffer_handle"];
        add(automation.buffer_handle, segments, node.name, `${parameterId}.automation`);
      }
    }
  });
  return [...uses.values()];
}

/**
 * The checks a schema cannot state: the request's own graph rules (paths under `request`), its sample
 * rate and block size agreeing with the session's, and a WAV for every handle the graph uses (and no
 * WAV the graph does not use). Throws EngineError.
 * @example
 * checkSessionFile(parseContract(SessionFileSchema, JSON.parse(text)));
 */
export function checkSessionFile(session: SessionFile): void {
  const { request } = session;
  try {
    checkRenderRequest(request);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    const path = error.path === "" ? "request" : `request.${error.path}`;
    throw new EngineError(error.code, error.detail, path, error.issues);
  }
  if (request.sample_rate !== session.sample_rate) {
    throw new EngineError(
      "E_SCHEMA",
      `must equal the session's sample_rate (${session.sample_rate})`,
      "request.sample_rate",
    );
  }
  const requestBlockSize = request.options.block_size;
  if (requestBlockSize !== undefined && requestBlockSize !== session.block_size) {
    throw new EngineError(
      "E_SCHEMA",
      `must equal the session's block_size (${session.block_size}) or be left out`,
      "request.options.block_size",
    );
  }
  const used = new Set<string>();
  for (const use of bufferUses(request)) {
    used.add(use.handle);
    // Own keys only: a handle such as "constructor" must not find Object.prototype's.
    if (!Object.hasOwn(session.buffers, use.handle)) {
      throw new EngineError("E_SCHEMA", `"${use.handle}" has no WAV file in the session's buffers`, use.path);
    }
  }
  for (const handle of Object.keys(session.buffers)) {
    if (!used.has(handle)) {
      throw new EngineError(
        "E_SCHEMA",
        "is not used by the request's graph",
        formatPath(["buffers", handle]),
      );
    }
  }
}
