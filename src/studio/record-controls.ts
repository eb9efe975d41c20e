/**
 * The transport's Record: whether Play records, and into what. With an audio track armed the live
 * input becomes an audio clip there (AudioTakeRecorder); else the keyboard's and Web MIDI's notes on
 * the live keyboard's instrument track become a MIDI clip (TakeRecorder). A take ends at pause, stop
 * or a second Record, and lands as one undoable edit with its clip selected.
 */
import type { ReactiveControllerHost } from "lit";

import type { MidiRecording } from "../api/midi-recording";
import type { RealtimeEngineClient } from "../api/realtime-client";
import type { AudioData } from "../audio-io/wav-codec";
import type { ProjectCommand } from "../project/project-commands";
import type { Project } from "../project/project-schema";
import { AudioTakeRecorder, type FinishedAudioTake } from "./audio-take-recorder";
import { beatsPerBar, type LiveTarget } from "./project-lookups";
import { TakeRecorder } from "./take-recorder";

export interface RecordControlsHost {
  project(): Project;
  /** The live engine, or null before the first Play. */
  engine(): RealtimeEngineClient | null;
  /** True while the transport plays. */
  playing(): boolean;
  /** The instrument track a MIDI take records on, or null without one. */
  target(): LiveTarget | null;
  /** Resolves once every live note sent so far reached the engine. */
  notesFlushed(): Promise<void>;
  run(command: ProjectCommand): boolean;
  selectClip(clipId: string | null): void;
  /** Keeps a take's audio with the project's (its waveform, the live engine's buffer). */
  keepAudio(contentId: string, data: AudioData): Promise<void>;
  /** An audio take ended (null: nothing was recorded): what its clip was made from. */
  audioTaken(take: FinishedAudioTake | null): void;
  failed(error: unknown, context?: string): void;
}

export class RecordControls {
  /** Whether Play records (the transport bar's Record). */
  private recordArmed = false;
  /** The audio track Record takes the live input on, or null for a MIDI take. */
  private armedAudioTrack: string | null = null;
  private readonly takes = new TakeRecorder();
  private readonly audioTakes = new AudioTakeRecorder();
  private take: MidiRecording | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly recording: RecordControlsHost,
  ) {}

  get armed(): boolean {
    return this.recordArmed;
  }

  set armed(armed: boolean) {
    if (armed === this.recordArmed) return;
    this.recordArmed = armed;
    this.host.requestUpdate();
  }

  get armedTrack(): string | null {
    return this.armedAudioTrack;
  }

  /** Arms `trackId` when it is an audio track; anything else disarms. */
  set armedTrack(trackId: string | null) {
    const track = this.recording.project().tracks.find((t) => t.id === trackId);
    this.armedAudioTrack = track?.kind === "audio" ? track.id : null;
    this.host.requestUpdate();
  }

  /** The last MIDI take's raw recording, or null. */
  get lastTake(): MidiRecording | null {
    return this.take;
  }

  /** Record pressed: arms or disarms; while a take runs, ends it and plays on. */
  readonly toggle = (): void => {
    const engine = this.recording.engine();
    if ((this.takes.recording || this.audioTakes.recording) && engine) {
      // Record pressed again while recording: the take ends here, the transport plays on.
      this.armed = false;
      void this.finish(engine);
      return;
    }
    this.armed = !this.recordArmed;
    if (this.recordArmed && engine && this.recording.playing()) void this.start(engine);
  };

  /** Starts the take Record is armed for: on the armed audio track, else on the keyboard's track. */
  async start(engine: RealtimeEngineClient): Promise<void> {
    const armed = this.armedAudioTrack;
    const project = this.recording.project();
    if (armed !== null && project.tracks.some((t) => t.id === armed && t.kind === "audio")) {
      await this.attempt(() => this.audioTakes.start(engine.liveInput, armed));
      return;
    }
    const target = this.recording.target();
    if (!target) {
      this.recording.failed(new Error("Add an instrument track to record on"), "Nothing to record on");
      return;
    }
    await this.attempt(() => this.takes.start(engine, target));
  }

  /** Ends the take under way, if any: its notes become one new clip on its track (one undoable edit). */
  async finish(engine: RealtimeEngineClient): Promise<void> {
    if (this.audioTakes.recording) await this.finishAudioTake();
    if (!this.takes.recording) return;
    this.armed = false;
    await this.recording.notesFlushed();
    try {
      const project = this.recording.project();
      const finished = await this.takes.finish(engine, project, beatsPerBar(project));
      if (!finished) return;
      this.take = finished.take;
      if (finished.command && this.recording.run(finished.command))
        this.recording.selectClip(finished.clipId);
    } catch (error) {
      this.recording.failed(error, "The recording could not be stopped");
    }
  }

  /** The audio take under way becomes its audio and a clip on the armed track (one undoable edit). */
  private async finishAudioTake(): Promise<void> {
    this.armed = false;
    try {
      const finished = await this.audioTakes.finish(this.recording.project());
      this.recording.audioTaken(finished);
      const edit = finished?.edit;
      if (!finished || !edit) return;
      await this.recording.keepAudio(edit.contentId, finished.audio);
      if (this.recording.run(edit.command)) this.recording.selectClip(edit.clipId);
    } catch (error) {
      this.recording.failed(error, "The audio recording could not be stopped");
    }
  }

  private async attempt(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.recording.failed(error);
    }
  }
}
