/**
 * webdreamer for Node: render audio graphs from scripts, as DawDreamer does from Python.
 *
 * One import serves a whole script, as `import dawdreamer` does in Python: createEngine, the contracts
 * (schemas, types, EngineError, parseContract), the EngineClient API, WAV files (read, write, stream),
 * sessions (saveSession, loadSession), MIDI file import and projects (compileProject, ProjectEditor).
 *
 * @example
 * const engine = await createEngine({ host: "in-process", sampleRate: 48000 });
 * const result = await engine.render(request);
 * const channels = await engine.readBuffer(result.buffer_handle!);
 * await engine.close();
 */
export * from "./api/index";
export {
  type AudioData,
  decodeWav,
  encodeWav,
  encodeWavWithReport,
  MAX_WAV_FILE_BYTES,
  readWavFile,
  WAV_SAMPLE_FORMATS,
  WavFileError,
  type WavReadOptions,
  type WavSampleFormat,
  type WavWriteOptions,
  type WavWriteReport,
  writeWavFile,
} from "./audio-io/wav";
export { type WavStreamOptions, WavStreamWriter } from "./audio-io/wav-stream";
export * from "./client/bootstrapper";
export * from "./contracts/index";
export * from "./create-engine";
export { builtinDescriptors, presetParams } from "./engine/builtin-descriptors";
export { loadEngineModuleFromDisk } from "./hosts/in-process/engine-file";
export { InProcessEngineClient, inProcessHostFactory } from "./hosts/in-process/in-process-client";
export type { InProcessClientOptions } from "./hosts/in-process/in-process-options";
export { importMidiFile, MidiFileError, type MidiImportOptions, readMidiFile } from "./midi/midi-file";
export {
  type FramedMidiMessage,
  type MidiFileTiming,
  type MidiFileTrack,
  writeMidiFile,
} from "./midi/midi-file-writer";
export * from "./project/index";
// Node.js only (node:fs): projects saved to a folder or a .wdproj file.
export * from "./project/project-folder";
// `webdreamer serve` and its client: the contracts over HTTP (docs/serve.md).
export { createEngineServer, type EngineServer } from "./serve/engine-server";
export { type HttpEngineClientOptions, RemoteHttpEngineClient } from "./serve/http-engine-client";
export type { ServeOptions } from "./serve/serve-options";
export * from "./session/index";
export {
  type ExportedWam,
  type ExportWamOptions,
  exportWam,
  writeWamFolder,
} from "./wam-export/export-wam";
