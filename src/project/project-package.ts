/**
 * A project as the files that save it, wherever they are stored (a folder, OPFS, a zip):
 *
 * - `project.json`: the project document (project-schema.ts), each audio entry carrying the SHA-256
 *   of its audio;
 * - `audio/<sha256>.wav`: each audio as a float32 WAV (every sample kept, so a loaded project renders
 *   bit-identically), named by the SHA-256 of the file's bytes: audio that several entries (or several
 *   projects in one store) hold is one file, and a file's name says whether its bytes are intact.
 *
 * Packing and unpacking are pure (no file system): project-folder.ts, project-opfs.ts and
 * project-zip.ts store the files. Hashes use Web Crypto, which Node.js, pages and Workers all have.
 */
import { type AudioData, decodeWav, encodeWav } from "../audio-io/wav-codec";
import { EngineError } from "../contracts/errors";
import { readProjectDocument } from "./project-migrations";
import type { AudioSource, Project } from "./project-schema";

/** The project document's file name in a saved project. */
export const PROJECT_FILE = "project.json";
/** The folder of audio files in a saved project. */
export const PROJECT_AUDIO_FOLDER = "audio";

/** A project with the audio it plays, by content id. */
export interface ProjectWithAudio {
  project: Project;
  audio: ReadonlyMap<string, AudioData>;
}

/** The files of a saved project, by path (forward slashes), the document last in order. */
export interface PackedProject {
  /** The project as saved: each audio entry with its `sha256`. */
  project: Project;
  /** `audio/<sha256>.wav` files, each once, then `project.json`. */
  files: Map<string, Uint8Array>;
}

/** Reads one file of a saved project by path; undefined when it is not there. */
export type ReadProjectFile = (path: string) => Promise<Uint8Array | undefined>;

/** The path of the audio file holding bytes of this SHA-256. */
export const audioFilePath = (sha256: string): string => `${PROJECT_AUDIO_FOLDER}/${sha256}.wav`;

/**
 * The SHA-256 of `bytes` as 64 lowercase hex digits.
 * @example
 * await sha256Hex(new TextEncoder().encode("abc")); // "ba7816bf..."
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The files that save `project` with its audio. Throws E_SCHEMA when an audio entry has no audio
 * given, or audio that does not match its entry (rate, frames, channels): a save never writes a
 * project that would not load.
 * @example
 * const { files } = await packProject({ project, audio: new Map([["kick", { sampleRate: 48000, channels: [kick] }]]) });
 */
export async function packProject({ project, audio }: ProjectWithAudio): Promise<PackedProject> {
  const files = new Map<string, Uint8Array>();
  const sources: AudioSource[] = [];
  for (const [index, source] of project.audio.entries()) {
    const path = `project.audio[${index}]`;
    const data = audio.get(source.content_id);
    if (data === undefined) {
      throw new EngineError("E_SCHEMA", `no audio given for "${source.content_id}"`, path);
    }
    checkAudioMatches(source, data, path, "the audio given");
    const bytes = encodeWav(data, { format: "float32" }, `${path} (${source.content_id})`);
    const sha256 = await sha256Hex(bytes);
    files.set(audioFilePath(sha256), bytes);
    sources.push({ ...source, sha256 });
  }
  const saved: Project = { ...project, audio: sources };
  const text = `${JSON.stringify(saved, null, 2)}\n`;
  // Read back what is about to be written, as a load will: a save must never write what cannot load.
  readProjectDocument(JSON.parse(text));
  files.set(PROJECT_FILE, new TextEncoder().encode(text));
  return { project: saved, files };
}

/**
 * A saved project read back: the document (migrated from an older format version, checked), then
 * each audio file, checked against its SHA-256 and its entry. Throws E_SCHEMA naming the file or
 * field: no project.json, not JSON, a newer format, a broken rule, a missing or corrupt audio file.
 * @example
 * const { project, audio } = await unpackProject(async (path) => files.get(path));
 */
export async function unpackProject(read: ReadProjectFile): Promise<ProjectWithAudio> {
  const documentBytes = await read(PROJECT_FILE);
  if (documentBytes === undefined) {
    throw new EngineError(
      "E_SCHEMA",
      `there is no ${PROJECT_FILE}: this is not a saved webdreamer project`,
      PROJECT_FILE,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(documentBytes));
  } catch (cause) {
    throw new EngineError(
      "E_SCHEMA",
      `is not JSON (${(cause as Error).message}): the file is corrupt`,
      PROJECT_FILE,
    );
  }
  const project = readProjectDocument(json);
  const audio = new Map<string, AudioData>();
  for (const [index, source] of project.audio.entries()) {
    const path = `project.audio[${index}].sha256`;
    if (source.sha256 === undefined) {
      throw new EngineError(
        "E_SCHEMA",
        `is missing: a saved project names each audio file by its SHA-256`,
        path,
      );
    }
    const file = audioFilePath(source.sha256);
    const bytes = await read(file);
    if (bytes === undefined) throw new EngineError("E_SCHEMA", `${file} is missing`, path);
    const actual = await sha256Hex(bytes);
    if (actual !== source.sha256) {
      throw new EngineError("E_SCHEMA", `${file} is corrupt: its bytes hash to ${actual}`, path);
    }
    let data: AudioData;
    try {
      data = decodeWav(bytes, file);
    } catch (cause) {
      throw new EngineError("E_SCHEMA", (cause as Error).message, path);
    }
    checkAudioMatches(source, data, `project.audio[${index}]`, file);
    audio.set(source.content_id, data);
  }
  return { project, audio };
}

function checkAudioMatches(source: AudioSource, data: AudioData, path: string, what: string): void {
  const frames = data.channels[0]?.length ?? 0;
  const found: [string, number, number][] = [
    ["sample_rate", data.sampleRate, source.sample_rate],
    ["channels", data.channels.length, source.channels],
    ["frames", frames, source.frames],
  ];
  for (const [field, actual, declared] of found) {
    if (actual !== declared) {
      throw new EngineError("E_SCHEMA", `is ${declared}, but ${what} has ${actual}`, `${path}.${field}`);
    }
  }
}
