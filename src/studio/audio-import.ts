/**
 * Audio files into a project: decoded by the browser (an OfflineAudioContext's decodeAudioData, so
 * WAV and whatever else the browser reads), kept at the file's own sample rate where the file says
 * it (a WAV's header), and turned into one command that adds the audio, an audio track and a clip
 * holding the whole file (one undo step).
 */
import type { AudioData } from "../audio-io/wav-codec";
import { EngineError } from "../contracts/errors";
import { beatAtSeconds, secondsAtBeat } from "../contracts/tempo-map";
import type { ProjectCommand } from "../project/project-commands";
import type { Project } from "../project/project-schema";
import { freshId } from "./studio-ids";

/** The rates the browser decodes into (AudioContext's limits in Chromium). */
const MIN_DECODE_RATE = 3000;
const MAX_DECODE_RATE = 768_000;

/**
 * The sample rate a WAV's `fmt ` chunk states, or null for anything else (the browser then decodes at
 * the fallback rate, resampling).
 * @example
 * wavSampleRate(new Uint8Array(44)); // null: no RIFF header
 */
export function wavSampleRate(bytes: Uint8Array): number | null {
  const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || text(0) !== "RIFF" || text(8) !== "WAVE") return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at + 4, true);
    if (text(at) === "fmt " && at + 16 <= bytes.length) {
      const rate = view.getUint32(at + 12, true);
      return rate >= MIN_DECODE_RATE && rate <= MAX_DECODE_RATE ? rate : null;
    }
    at += 8 + size + (size % 2);
  }
  return null;
}

/**
 * Decodes an audio file with the browser. A WAV keeps its own rate; other formats decode at
 * `fallbackRate`. Throws E_SCHEMA naming the file when the browser cannot read it.
 * @example
 * const audio = await decodeAudioFile(new Uint8Array(await file.arrayBuffer()), file.name, 48000);
 */
export async function decodeAudioFile(
  bytes: Uint8Array,
  name: string,
  fallbackRate: number,
): Promise<AudioData> {
  const sampleRate = wavSampleRate(bytes) ?? fallbackRate;
  const context = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate });
  let buffer: AudioBuffer;
  try {
    // decodeAudioData detaches the buffer it is given: hand it a copy.
    buffer = await context.decodeAudioData(bytes.slice().buffer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EngineError("E_SCHEMA", `the browser cannot decode this file as audio (${reason})`, name);
  }
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) =>
    buffer.getChannelData(c).slice(),
  );
  return { sampleRate: buffer.sampleRate, channels };
}

/** What importing a file adds: the command and the ids it gives the audio, the track and the clip. */
export interface AudioImport {
  command: ProjectCommand;
  contentId: string;
  trackId: string;
  clipId: string;
}

/**
 * One command adding `audio` to the project, a new audio track named after the file, and a clip of
 * the whole file at `atBeat` (an existing audio track's id in `trackId` puts the clip there instead).
 * @example
 * const { command } = audioImportCommand(editor.project, "kick.wav", { sampleRate: 48000, channels: [kick] }, 0);
 * editor.execute(command);
 */
export function audioImportCommand(
  project: Project,
  fileName: string,
  audio: AudioData,
  atBeat: number,
  trackId?: string,
): AudioImport {
  const frames = audio.channels[0]?.length ?? 0;
  if (frames === 0) throw new EngineError("E_SCHEMA", "the file holds no audio frames", fileName);
  const name = fileName.replace(/\.[a-z0-9]+$/i, "");
  const contentId = freshId(project, name);
  const taken = new Set([contentId]);
  const newTrackId = trackId ?? freshId(project, "audio", taken);
  taken.add(newTrackId);
  const clipId = freshId(project, `${name}-clip`, taken);
  const seconds = frames / audio.sampleRate;
  const startSeconds = secondsAtBeat(project.tempo, atBeat);
  const lengthBeats = beatAtSeconds(project.tempo, startSeconds + seconds) - atBeat;
  const commands: ProjectCommand[] = [
    {
      type: "add_audio",
      source: {
        content_id: contentId,
        name: fileName,
        sample_rate: audio.sampleRate,
        frames,
        channels: audio.channels.length,
      },
    },
  ];
  if (trackId === undefined) {
    commands.push({ type: "add_track", track: { kind: "audio", id: newTrackId, name } });
  }
  commands.push({
    type: "add_clip",
    track_id: newTrackId,
    clip: { id: clipId, name, content_id: contentId, start_beat: atBeat, length_beats: lengthBeats },
  });
  return {
    command: { type: "batch", label: `Import ${fileName}`, commands },
    contentId,
    trackId: newTrackId,
    clipId,
  };
}
