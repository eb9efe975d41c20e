/**
 * saveSession: writes a render request and the audio it plays as a session (session-file.ts), so that
 * loadSession can render it again, sample for sample, in another engine or process.
 */
import { createHash } from "node:crypto";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type AudioData, encodeWav, writeWavBytes } from "../audio-io/wav";
import type { BufferHandle } from "../contracts/common";
import { CONTRACT_VERSION } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import { type RenderRequestInput, RenderRequestSchema } from "../contracts/render";
import { parseContract } from "../contracts/validate";
import { bufferUses, checkSessionFile, type SessionFile } from "./session-file";

export interface SessionToSave {
  /** The request, with the buffer handles of the engine its audio was uploaded to. */
  request: RenderRequestInput;
  /** The audio behind each handle the request's graph uses (others are ignored). */
  buffers: ReadonlyMap<BufferHandle, AudioData>;
  /** The engine's block size. Default: the request's options.block_size, else 128. */
  blockSize?: number;
}

export interface SavedSession {
  /** The session file written. */
  path: string;
  /** The WAV files the session names, one per distinct audio, in `audio/` beside it. */
  audioFiles: string[];
  /** Those of audioFiles this call wrote; the others were there already (saved by another session). */
  writtenFiles: string[];
}

/**
 * The folder, beside the session files, holding the audio of every session saved there. Its files
 * are named by the SHA-256 of their bytes, so audio shared by several sessions (or by several
 * handles of one) is stored once.
 */
export const SESSION_AUDIO_FOLDER = "audio";

const DEFAULT_BLOCK_SIZE = 128;

/**
 * Writes `path` (a .json file) and the audio of every buffer the graph uses, as float32 WAVs in the
 * `audio/` folder beside it. Each WAV is named by the SHA-256 of its bytes (`audio/<sha256>.wav`):
 * audio that several buffers or several sessions of the folder share is written once, and a file
 * already there with that name and size is not written again. Float32 keeps every sample, so a
 * restored session renders bit-identically. The WAVs are written first and the JSON last, so a
 * session file never names audio that is not there yet; nothing is ever deleted from `audio/` (other
 * sessions may name its files).
 * Throws EngineError: E_SCHEMA for a bad request, E_UNKNOWN_HANDLE for a handle with no audio given.
 * @example
 * const drums = { channels: [left, right], sampleRate: 48000 };
 * const handle = await engine.uploadBuffer(drums.channels, drums.sampleRate);
 * const request = takeRequest(handle); // a RenderRequest whose playback node plays `handle`
 * const { audioFiles } = await saveSession("sessions/take-1.json", { request, buffers: new Map([[handle, drums]]) });
 * // audioFiles: ["sessions/audio/<sha256>.wav"], shared with every session of sessions/ that plays the same audio
 */
export async function saveSession(path: string, session: SessionToSave): Promise<SavedSession> {
  const request = parseContract(RenderRequestSchema, session.request, "request");
  const uses = bufferUses(request);
  for (const use of uses) {
    if (!session.buffers.has(use.handle)) {
      throw new EngineError("E_UNKNOWN_HANDLE", `no audio given for "${use.handle}"`, use.path);
    }
  }

  const audioDir = join(dirname(path), SESSION_AUDIO_FOLDER);
  const buffers: SessionFile["buffers"] = {};
  const audioFiles = new Set<string>();
  const writtenFiles: string[] = [];
  if (uses.length > 0) await mkdir(audioDir, { recursive: true });
  for (const use of uses) {
    const bytes = encodeWav(session.buffers.get(use.handle) as AudioData, { format: "float32" }, use.path);
    const name = `${createHash("sha256").update(bytes).digest("hex")}.wav`;
    const file = join(audioDir, name);
    // A relative path with a forward slash: the session reads the same on every platform.
    buffers[use.handle] = { path: `${SESSION_AUDIO_FOLDER}/${name}` };
    if (audioFiles.has(file)) continue;
    audioFiles.add(file);
    if (await holds(file, bytes.length)) continue;
    await writeWavBytes(file, bytes);
    writtenFiles.push(file);
  }

  const document: SessionFile = {
    version: CONTRACT_VERSION,
    sample_rate: request.sample_rate,
    block_size: session.blockSize ?? request.options.block_size ?? DEFAULT_BLOCK_SIZE,
    request,
    buffers,
    extensions: {},
  };
  checkSessionFile(document);
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  return { path, audioFiles: [...audioFiles], writtenFiles };
}

/**
 * True when `file` is a regular file of `size` bytes: a file named by the hash of its content, of the
 * right size, is that content (it was renamed into place whole), and is not written again.
 */
async function holds(file: string, size: number): Promise<boolean> {
  const stats = await stat(file).catch(() => null);
  return stats?.isFile() === true && stats.size === size;
}
