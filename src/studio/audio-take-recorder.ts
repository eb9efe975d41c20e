/**
 * Recording the live audio input into an audio track: Play with Record on and an audio track armed
 * opens the input (getUserMedia, with the browser's voice processing off so the take is what the
 * input received), connects it to the engine's live input and records while the transport plays
 * (LiveAudioInput, docs/realtime.md "Live audio input"). At pause or stop the take becomes one
 * undoable edit: its audio, and a clip "Take N" on the armed track placed where recording started,
 * shifted earlier by the input latency measured when the input connected (takePlacement).
 *
 * Monitoring stays off: the input reaches the engine's live input only, and the project's graph has
 * no audio input node, so nothing of it is heard.
 */
import { type InputTake, type LiveAudioInput, takePlacement } from "../api/live-input";
import type { AudioData } from "../audio-io/wav-codec";
import { EngineError } from "../contracts/errors";
import { beatAtSeconds } from "../contracts/tempo-map";
import type { Project } from "../project/project-schema";
import { type AudioImport, audioImportCommand } from "./audio-import";

/** The input's audio as recorded, with the browser's voice processing off. */
export const RECORDING_CONSTRAINTS: MediaStreamConstraints = {
  audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
};

/** A finished take: what was recorded, its audio as the clip holds it, and the edit that adds it. */
export interface FinishedAudioTake {
  take: InputTake;
  /** The take's audio from its compensated start (the front cut when it reached before frame 0). */
  audio: AudioData;
  /** The edit (add_audio and add_clip, one step), or null when the transport never played. */
  edit: AudioImport | null;
  /** Beat the clip starts on. */
  startBeat: number;
}

/**
 * The clip a take makes on `trackId`: its audio from the compensated start, at the beat of that frame
 * on the project's tempo map. Null when the transport never played during the take.
 * @example
 * const made = audioTakeEdit(studio.project, "vox", take);
 * if (made.edit) studio.editor.execute(made.edit.command);
 */
export function audioTakeEdit(project: Project, trackId: string, take: InputTake): FinishedAudioTake {
  const placement = takePlacement({ startFrame: take.startFrame, latencyFrames: take.latency.frames });
  const channels = take.channels.map((channel) => channel.subarray(placement.trimFrames));
  const audio: AudioData = { sampleRate: take.sampleRate, channels };
  const startBeat = beatAtSeconds(project.tempo, placement.startFrame / take.sampleRate);
  const track = project.tracks.find((t) => t.id === trackId);
  if (take.startFrame < 0 || (channels[0]?.length ?? 0) === 0 || track?.kind !== "audio") {
    return { take, audio, edit: null, startBeat };
  }
  const number = track.clips.filter((clip) => clip.name.startsWith("Take ")).length + 1;
  const edit = audioImportCommand(project, `Take ${number}.wav`, audio, startBeat, trackId);
  if (edit.command.type === "batch")
    edit.command.label = `Record Take ${number} on ${track.name || track.id}`;
  return { take, audio, edit, startBeat };
}

export class AudioTakeRecorder {
  private session: { trackId: string; stream: MediaStream; input: LiveAudioInput } | null = null;

  /** True while a take records. */
  get recording(): boolean {
    return this.session !== null;
  }

  /**
   * Opens the input and arms the engine's recording on `trackId` (it starts with the transport).
   * @example
   * await recorder.start(engine.liveInput, "vox");
   */
  async start(
    input: LiveAudioInput | undefined,
    trackId: string,
    open: () => Promise<MediaStream> = () => navigator.mediaDevices.getUserMedia(RECORDING_CONSTRAINTS),
  ): Promise<void> {
    if (!input) throw new EngineError("E_HOST_UNAVAILABLE", "this engine has no live audio input to record");
    const stream = await open();
    try {
      input.connectLiveInput(stream);
      await input.startInputRecording();
    } catch (error) {
      input.disconnectLiveInput();
      for (const track of stream.getTracks()) track.stop();
      throw error;
    }
    this.session = { trackId, stream, input };
  }

  /**
   * Ends the take under way (null when none is), closes the input and makes the take's edit on
   * `project`.
   * @example
   * const finished = await recorder.finish(studio.project);
   */
  async finish(project: Project): Promise<FinishedAudioTake | null> {
    const session = this.session;
    if (!session) return null;
    this.session = null;
    try {
      const take = await session.input.stopInputRecording();
      return audioTakeEdit(project, session.trackId, take);
    } finally {
      session.input.disconnectLiveInput();
      for (const track of session.stream.getTracks()) track.stop();
    }
  }
}
