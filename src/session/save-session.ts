/**
 * saveSession: writes a render request and the audio it plays as a session (session-file.ts), so that
 * loadSession can render it again, sample for sample, in another engine or process.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, relative, sep } from "node:path";
import { type AudioData, writeWavFile } from "../audio-io/wav";
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
  /** The WAV files written, one per buffer, in `<name>.audio/` beside it. */
  audioFiles: string[];
}

const DEFAULT_BLOCK_SIZE = 128;

/**
 * Writes `path` (a .json file) and one float32 WAV per buffer the graph uses into `<name>.audio/`
 * beside it. Float32 keeps every sample, so a restored session renders bit-identically. The WAVs are
 * written first and the JSON last, so a session file never names audio that is not there yet.
 * Throws EngineError: E_SCHEMA for a bad request, E_UNKNOWN_HANDLE for a handle with no audio given.
 * @example
 * const drums = { channels: [left, right], sampleRate: 48000 };
 * const handle = await engine.uploadBuffer(drums.channels, drums.sampleRate);
 * const request = takeRequest(handle); // a RenderRequest whose playback node plays `handle`
 * await saveSession("sessions/take-1.json", { request, buffers: new Map([[handle, drums]]) });
 */
export async function saveSession(path: string, session: SessionToSave): Promise<SavedSession> {
  const request = parseContract(RenderRequestSchema, session.request, "request");
  const uses = bufferUses(request);
  for (const use of uses) {
    if (!session.buffers.has(use.handle)) {
      throw new EngineError("E_UNKNOWN_HANDLE", `no audio given for "${use.handle}"`, use.path);
    }
  }

  const sessionDir = dirname(path);
  const audioDir = join(sessionDir, `${basename(path, extname(path))}.audio`);
  const fileNames = uniqueFileNames(uses.map((use) => `${use.node}.${use.slot}`));
  const buffers: SessionFile["buffers"] = {};
  const audioFiles: string[] = [];
  if (uses.length > 0) await mkdir(audioDir, { recursive: true });
  for (const [index, use] of uses.entries()) {
    const file = join(audioDir, `${fileNames[index]}.wav`);
    await writeWavFile(file, session.buffers.get(use.handle) as AudioData, { format: "float32" });
    // Forward slashes, so the session reads the same on every platform.
    buffers[use.handle] = { path: relative(sessionDir, file).split(sep).join("/") };
    audioFiles.push(file);
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
  return { path, audioFiles };
}

/**
 * File names from node and slot names: characters outside A-Z a-z 0-9 . _ - (a Faust address's
 * slashes) become "_", and names equal but for case get a numeric suffix, for case-insensitive disks.
 */
function uniqueFileNames(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const safe = name.replace(/[^A-Za-z0-9._-]/g, "_");
    let candidate = safe;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${safe}-${n}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
