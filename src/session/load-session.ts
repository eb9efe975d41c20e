/**
 * Loading a session (session-file.ts) in two steps, because the engine to load it into is made from
 * the session's own sample rate and block size:
 * - readSession: read and validate the JSON, decode every WAV it names (no engine needed);
 * - uploadSession: upload that audio into an engine and rewrite the request's buffer handles to the
 *   ones this engine issued (handles are per engine).
 * loadSession does both for an engine the caller already has.
 *
 * Every failure is an EngineError whose path names the field of the session file to fix, e.g.
 * `E_SCHEMA at buffers["buf:7"].path: sessions/audio/9b1f…e27a.wav: truncated WAV file: ...`.
 */
import { dirname } from "node:path";
import type { EngineClient } from "../api/engine-client";
import { type AudioData, decodeWav } from "../audio-io/wav";
import type { BufferHandle } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import type { GraphNode } from "../contracts/graph-descriptor";
import type { RenderRequest } from "../contracts/render";
import { formatPath, parseContract } from "../contracts/validate";
import { checkSessionFile, type SessionFile, SessionFileSchema } from "./session-file";
import {
  locateBufferFile,
  parseJsonText,
  readBufferBytes,
  readSessionText,
  type SessionInputOptions,
} from "./session-input";

/** A validated session file and its decoded audio, not yet in any engine. */
export interface SessionOnDisk {
  /** The session file's path. */
  path: string;
  file: SessionFile;
  /** The audio of each buffer handle of `file.request`. */
  audio: Map<BufferHandle, AudioData>;
}

/** A session uploaded into an engine, ready to render. */
export interface LoadedSession {
  path: string;
  sampleRate: number;
  blockSize: number;
  /** The session's request, its buffer handles rewritten to the engine's. */
  request: RenderRequest;
  /** The handles uploaded for it; release them when done (closing the engine also does). */
  uploadedHandles: BufferHandle[];
}

/** Options of readSession and loadSession. */
export type ReadSessionOptions = SessionInputOptions;

/**
 * Reads a session file and decodes the WAVs it names. The WAVs must be inside the session file's
 * folder unless `allowOutsidePaths` is set; only regular files within LIMITS.sessionFileBytes and
 * LIMITS.audioFileBytes are read (session-input.ts). A `signal` stops the reading (E_CANCELLED).
 * @example
 * const session = await readSession("sessions/take-1.json");
 * const { sample_rate, block_size } = session.file;
 * const engine = await createEngine({ host: "in-process", sampleRate: sample_rate, blockSize: block_size });
 */
export function readSession(path: string, options: ReadSessionOptions = {}): Promise<SessionOnDisk> {
  return untilAborted(readSessionFiles(path, options), options.signal);
}

async function readSessionFiles(path: string, options: ReadSessionOptions): Promise<SessionOnDisk> {
  const text = await readSessionText(path, options.signal);
  const file = parseContract(SessionFileSchema, parseJsonText(text));
  checkSessionFile(file);
  const base = dirname(path);
  // Handles whose audio is one file (saveSession names audio by its content) share one read.
  const reads = new Map<string, Promise<AudioData>>();
  const readOnce = (given: string) => {
    const pending =
      reads.get(given) ??
      (async () => {
        const { real, shown } = await locateBufferFile(base, given, options);
        return decodeWav(await readBufferBytes(real, shown, options.signal), shown);
      })();
    reads.set(given, pending);
    return pending;
  };
  const entries = await Promise.all(
    Object.entries(file.buffers).map(async ([handle, buffer]) => {
      try {
        return [handle, await readOnce(buffer.path)] as const;
      } catch (cause) {
        const at = formatPath(["buffers", handle, "path"]);
        if (cause instanceof EngineError) throw new EngineError(cause.code, cause.detail, at);
        throw new EngineError("E_SCHEMA", cause instanceof Error ? cause.message : String(cause), at);
      }
    }),
  );
  return { path, file, audio: new Map(entries) };
}

/**
 * `work`, or E_CANCELLED as soon as `signal` fires: a file-system call that hangs (a stalled network
 * mount) must not hold its caller past a timeout. The work itself is left to finish or fail unseen.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolvePromise, reject) => {
    const stop = () => reject(new EngineError("E_CANCELLED", "reading the session was stopped"));
    if (signal.aborted) stop();
    signal.addEventListener("abort", stop, { once: true });
    work.then(resolvePromise, reject).finally(() => signal.removeEventListener("abort", stop));
  });
}

/**
 * Uploads a read session's audio into `engine` and returns its request with the new handles. If an
 * upload fails, the handles already uploaded are released.
 * @example
 * const { request } = await uploadSession(await readSession("take-1.json"), engine);
 * const result = await engine.render(request);
 */
export async function uploadSession(session: SessionOnDisk, engine: EngineClient): Promise<LoadedSession> {
  const issued = new Map<BufferHandle, BufferHandle>();
  try {
    for (const [handle, audio] of session.audio) {
      issued.set(handle, await uploadNamingFile(engine, audio, session.file.buffers[handle]?.path, handle));
    }
  } catch (error) {
    await Promise.allSettled([...issued.values()].map((handle) => engine.releaseBuffer(handle)));
    throw error;
  }
  const { request } = session.file;
  return {
    path: session.path,
    sampleRate: session.file.sample_rate,
    blockSize: session.file.block_size,
    request: {
      ...request,
      node_graph: {
        ...request.node_graph,
        nodes: request.node_graph.nodes.map((node) => rehome(node, issued)),
      },
    },
    uploadedHandles: [...issued.values()],
  };
}

/**
 * Uploads one WAV's audio; an engine that refuses it (a sample rate or channel count outside what
 * it takes, docs/contracts.md) is answered with the error at the buffer's path, naming the file.
 */
async function uploadNamingFile(
  engine: EngineClient,
  audio: AudioData,
  file: string | undefined,
  handle: BufferHandle,
): Promise<BufferHandle> {
  try {
    return await engine.uploadBuffer(audio.channels, audio.sampleRate);
  } catch (cause) {
    if (!(cause instanceof EngineError) || cause.code === "E_CLOSED") throw cause;
    const at = formatPath(["buffers", handle, "path"]);
    throw new EngineError(cause.code, `${file ?? handle}: the engine refused its audio: ${cause.detail}`, at);
  }
}

/**
 * Reads a session file, uploads its audio into `engine` and returns the request with this engine's
 * handles. The engine should run at the session's sample rate and block size (readSession first to
 * learn them, or see LoadedSession). `options` are readSession's.
 * @example
 * const engine = await createEngine({ host: "in-process", sampleRate: 48000 });
 * const { request } = await loadSession("sessions/take-1.json", engine);
 * const result = await engine.render(request);
 */
export async function loadSession(
  path: string,
  engine: EngineClient,
  options: ReadSessionOptions = {},
): Promise<LoadedSession> {
  return uploadSession(await readSession(path, options), engine);
}

/** A node with its buffer and automation handles mapped through `issued`. */
function rehome(node: GraphNode, issued: ReadonlyMap<BufferHandle, BufferHandle>): GraphNode {
  const map = (handle: BufferHandle) => issued.get(handle) ?? handle;
  return {
    ...node,
    buffers: Object.fromEntries(Object.entries(node.buffers).map(([slot, handle]) => [slot, map(handle)])),
    automation: Object.fromEntries(
      Object.entries(node.automation).map(([parameterId, automation]) => [
        parameterId,
        "buffer_handle" in automation && automation.buffer_handle !== undefined
          ? { ...automation, buffer_handle: map(automation.buffer_handle) }
          : automation,
      ]),
    ),
  };
}
