/**
 * <webdreamer-studio>: the in-browser DAW on top of the project model (docs/studio.md). A project
 * bar, the transport, the arrangement and the mixer around one ProjectEditor:
 * - every edit is a project command (undo and redo, a drag coalesced into one step); the views
 *   render from `editor.project` after each change;
 * - Play starts the live engine (after the click, as browsers require) and ProjectPlayback keeps it on
 *   the project with followProject: each edit reaches the playing engine as the smallest change;
 * - the mixdown renders in a Worker engine (OfflineEngine) with a progress bar and Cancel;
 * - the project autosaves to the browser's storage (ProjectStore) and travels as a .wdproj file.
 *
 * The readout, the meter, the engine's life and the palette are the player's own
 * (src/components/): TransportReadout, LevelMeterController, RealtimeEngineController, playerStyles.
 *
 * @example
 * import "./studio-element"; // registers <webdreamer-studio>
 * const studio = document.createElement("webdreamer-studio");
 * document.body.append(studio);
 * await studio.addInstrumentTrack("builtin:synth");
 */
import { html, LitElement, type PropertyValues } from "lit";

import type { RealtimeEngineClient } from "../api/realtime-client";
import { createTransportSnapshot, type MeterReading, type TransportSnapshot } from "../api/realtime-readings";
import type { AudioData } from "../audio-io/wav-codec";
import { engineBaseUrl } from "../components/engine-base-url";
import { LevelMeterController } from "../components/level-meter-controller";
import { findReadoutFields, playerDropouts } from "../components/player-display";
import { errorNotice, faultNotice, type Notice, playerNotice } from "../components/player-notice";
import { MAX_TEMPO_BPM, MIN_TEMPO_BPM } from "../components/player-transport-bar";
import { RealtimeEngineController } from "../components/realtime-engine-controller";
import { TransportReadout } from "../components/transport-readout";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import { secondsAtBeat } from "../contracts/tempo-map";
import { projectEndBeat } from "../project/compile-project";
import type { EngineChange } from "../project/diff-compiled";
import type { ProjectExport } from "../project/export-project";
import type { ProjectCommand } from "../project/project-commands";
import { ProjectEditor } from "../project/project-editor";
import { parseProject } from "../project/project-invariants";
import type { Project } from "../project/project-schema";
import { PROJECT_ZIP_EXTENSION, unzipProject, zipProject } from "../project/project-zip";
import { arrangement } from "./arrangement";
import { type AudioImport, audioImportCommand, decodeAudioFile } from "./audio-import";
import { ClipGestures } from "./clip-drag";
import { downloadBytes, fileNameFor, pickFiles } from "./file-transfer";
import { MIN_FADER_DB, mixer } from "./mixer-strip";
import { instrumentsOf, OfflineEngine } from "./offline-engine";
import { projectBar, type SaveState } from "./project-bar";
import { ProjectPlayback } from "./project-playback";
import { ProjectStore } from "./project-store";
import { freshId } from "./studio-ids";
import { studioStyles } from "./studio-styles";
import { snapBeat, zoomStep } from "./timeline-math";
import { studioTransportBar } from "./transport-bar";
import { drawWaveform, PeakWorker, type WaveformPeaks } from "./waveform-peaks";

/** Detail of `webdreamer-engine-change`: how an edit reached the playing engine. */
export interface EngineChangeDetail {
  kind: EngineChange["kind"];
  /** Why a reload was needed ("node bass.clip.c2 was added"); absent for edits. */
  reason?: string;
  /** The calls of an edit, by type ("set_parameter", "schedule_automation", ...). */
  calls: string[];
}

/** An empty project: one 4/4 bar at 120 bpm, no tracks. */
function emptyProject(name = "Untitled"): Project {
  return parseProject({ format: "webdreamer-project", format_version: 1, name });
}

/** Timeline room after the project's end, in bars, so clips can be dragged later. */
const ROOM_BARS = 8;

/**
 * The in-browser DAW: tracks with clips on a beats timeline, a mixer, the transport, undo and redo,
 * projects saved in the browser and as files, the mixdown exported as WAV. It plays the project on
 * the live engine in an AudioWorklet (started by the first Play) and follows every edit while
 * playing. docs/studio.md has the walkthrough.
 *
 * @summary The in-browser DAW of webdreamer.
 *
 * @fires {CustomEvent<{ dataPlane: "shared_memory" | "message_port" }>} webdreamer-ready - The live engine started and loaded the project (after the first Play).
 * @fires {CustomEvent<{ kind: "edits" | "reload"; reason?: string; calls: string[] }>} webdreamer-engine-change - An edit reached the playing engine: as calls on the running graph ("edits") or as a reload of the graph, and why.
 * @fires {CustomEvent<{ project: object }>} webdreamer-project-change - The project changed (an edit, undo, redo, New or Open); `project` is the new project.
 *
 * @cssprop [--wd-surface=#171b21] - Panels' background (light palette: #ffffff); the player's palette, every --wd-* property of <webdreamer-player> applies.
 * @cssprop [--wd-accent=#5ad1a4] - Play, the playhead, selected clips, pressed buttons (light: #0b7d58).
 * @cssprop [--wd-clip-audio=#3b82c4] - Audio clips (light: #2f6fb0).
 * @cssprop [--wd-clip-midi=#9b6bd6] - MIDI clips (light: #7b4cc0).
 *
 * @csspart header - The project bar: name, save state, New, Open, Save as file, Export mixdown.
 * @csspart transport - The transport bar and undo/redo.
 * @csspart display - The position readout: bars:beats, time, tempo, loop.
 * @csspart arrangement - The toolbar, ruler, tracks and clips.
 * @csspart mixer - The mixer strips and the master.
 */
export class WebdreamerStudio extends LitElement {
  static override styles = studioStyles;

  static override properties = {
    theme: { type: String, reflect: true },
    baseUrl: { type: String, attribute: "base-url" },
    storage: { type: String },
    project: { state: true },
    transportStatus: { state: true },
    pixelsPerBeat: { state: true },
    snapBeats: { state: true },
    selectedClip: { state: true },
    instruments: { state: true },
    saveState: { state: true },
    exportProgress: { state: true },
    notice: { state: true },
    dropping: { state: true },
  };

  /**
   * "light" or "dark" forces a palette; unset follows prefers-color-scheme.
   * @example
   * studio.theme = "light"; // in HTML: <webdreamer-studio theme="light">
   */
  declare theme: "light" | "dark" | undefined;

  /**
   * The folder the engine's files are fetched from (attribute `base-url`), as the player's.
   * @example
   * studio.baseUrl = "https://cdn.example/webdreamer/0.1.0/dist/";
   */
  declare baseUrl: string | undefined;

  /**
   * The browser-storage (OPFS) folder the project autosaves to and opens from (attribute `storage`);
   * "none" turns autosave off. Read when the studio connects. Default "current".
   * @example
   * studio.storage = "none"; // in HTML: <webdreamer-studio storage="none">
   */
  declare storage: string;

  /**
   * The project as it is now (a new object after every edit; never changed in place).
   * @example
   * const names = studio.project.tracks.map((track) => track.name);
   */
  declare project: Project;

  /**
   * Pixels per beat of the timeline (the zoom).
   * @example
   * studio.pixelsPerBeat = 64;
   */
  declare pixelsPerBeat: number;

  /**
   * The grid clips snap to, in beats (0: off; 4: a bar in 4/4).
   * @example
   * studio.snapBeats = 0.25; // sixteenths
   */
  declare snapBeats: number;

  declare private transportStatus: "playing" | "paused" | "stopped";
  declare private selectedClip: string | null;
  declare private instruments: NodeDescriptor[];
  declare private saveState: SaveState;
  declare private exportProgress: number | null;
  declare private notice: Notice | null;
  declare private dropping: boolean;

  private projectEditor: ProjectEditor;
  private unsubscribe: (() => void) | null = null;
  private readonly audioData = new Map<string, AudioData>();
  private readonly peaks = new Map<string, WaveformPeaks>();
  private readonly peakWorker = new PeakWorker();
  private readonly offline = new OfflineEngine(() => this.resolvedBaseUrl());
  private readonly playback = new ProjectPlayback({
    changed: (change) => this.emitEngineChange(change),
    failed: (error) => {
      this.notice = errorNotice(error, "The engine could not follow an edit");
    },
  });
  private store: ProjectStore | null = null;
  private exportAbort: AbortController | null = null;
  private readout: TransportReadout | null = null;
  private readonly idleState = createTransportSnapshot();
  private readonly gestures = new ClipGestures({
    project: () => this.project,
    pixelsPerBeat: () => this.pixelsPerBeat,
    snapBeats: () => this.snapBeats,
    audioSeconds: (id) => this.audioSeconds(id),
    execute: (command, gesture) => this.run(command, gesture),
    select: (clipId) => {
      this.selectedClip = clipId;
    },
  });
  private faderGesture = 0;
  private discovery: Promise<void> | null = null;
  private readonly realtime = new RealtimeEngineController(this, {
    attach: () => {},
    load: (engine) => this.playback.attach(engine, this.projectEditor, this.audioData),
    ready: (engine) => this.emit("webdreamer-ready", { dataPlane: engine.dataPlane }),
    restarted: async (engine) => {
      await engine.play();
    },
    fault: (message) => {
      this.notice = faultNotice(message);
    },
    failed: (error) => {
      this.notice = errorNotice(error, "The engine could not start");
    },
    frame: (state, meters, now) => this.showFrame(state, meters, now),
  });
  private readonly meterView = new LevelMeterController(this);

  constructor() {
    super();
    this.theme = undefined;
    this.baseUrl = undefined;
    this.storage = "current";
    this.projectEditor = new ProjectEditor(emptyProject());
    this.project = this.projectEditor.project;
    this.transportStatus = "stopped";
    this.pixelsPerBeat = 32;
    this.snapBeats = 1;
    this.selectedClip = null;
    this.instruments = [];
    this.saveState = "off";
    this.exportProgress = null;
    this.notice = null;
    this.dropping = false;
    this.listen(this.projectEditor);
  }

  // ---- the public API ----

  /**
   * The editor holding the project and its history: scripts and tests edit through it as the views do.
   * @example
   * studio.editor.execute({ type: "set_mixer", track_id: "drums", mixer: { volume_db: -6 } });
   */
  get editor(): ProjectEditor {
    return this.projectEditor;
  }

  /**
   * The project's audio by content id, at each file's own rate.
   * @example
   * const frames = studio.audio.get("kick")?.channels[0]?.length;
   */
  get audio(): ReadonlyMap<string, AudioData> {
    return this.audioData;
  }

  /**
   * The live engine, or null before the first Play.
   * @example
   * const position = studio.engine?.readTransport().positionSeconds;
   */
  get engine(): RealtimeEngineClient | null {
    return this.realtime.engine;
  }

  /**
   * The audio uploaded to the live engine, by content id (what the playing graph's buffers are).
   * @example
   * const handles = studio.engineBuffers;
   */
  get engineBuffers(): Record<string, string> {
    return this.playback.buffers;
  }

  /**
   * The sample rate the studio plays and exports at: the live engine's, or before it starts the
   * highest rate of the project's audio (48000 without audio), as the command line renders a project.
   * @example
   * const rate = studio.sampleRate;
   */
  get sampleRate(): number {
    return this.playback.sampleRate ?? Math.max(48000, ...this.project.audio.map((a) => a.sample_rate));
  }

  /**
   * Starts the live engine if needed (call it from a user gesture) and plays.
   * @example
   * playButton.addEventListener("click", () => studio.play());
   */
  async play(): Promise<void> {
    const engine = this.realtime.engine ?? (await this.startEngine());
    if (!engine) return;
    await this.call(() => engine.play());
  }

  /**
   * Pauses, keeping the position.
   * @example
   * await studio.pause();
   */
  async pause(): Promise<void> {
    const engine = this.realtime.engine;
    if (engine) await this.call(() => engine.pause());
  }

  /**
   * Stops and returns to the start.
   * @example
   * await studio.stop();
   */
  async stop(): Promise<void> {
    const engine = this.realtime.engine;
    if (engine) await this.call(() => engine.stop());
  }

  /**
   * Resolves once every edit so far reached the live engine (immediately without one).
   * @example
   * studio.editor.execute({ type: "set_mixer", track_id: "drums", mixer: { mute: true } });
   * await studio.settled();
   */
  async settled(): Promise<void> {
    await this.playback.settled();
  }

  /**
   * Imports an audio file: decoded by the browser, uploaded to the live engine if it runs, its
   * waveform computed in a Worker; a new audio track holds it at `atBeat` (one undo step).
   * @example
   * const [file] = await pickFiles("audio/*");
   * if (file) await studio.importAudio(file, 0);
   */
  async importAudio(file: Blob & { name: string }, atBeat = 0): Promise<AudioImport> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const data = await decodeAudioFile(bytes, file.name, this.sampleRate);
    const imported = audioImportCommand(this.project, file.name, data, atBeat);
    this.audioData.set(imported.contentId, data);
    void this.computePeaks(imported.contentId, data);
    await this.playback.upload(imported.contentId, data);
    this.run(imported.command);
    return imported;
  }

  /**
   * Adds an instrument track playing `nodeId` (a node type discovery lists as an instrument).
   * Returns the track's id.
   * @example
   * const trackId = studio.addInstrumentTrack("builtin:synth");
   */
  addInstrumentTrack(nodeId = "builtin:synth", name?: string): string {
    const project = this.project;
    const descriptor = this.instruments.find((node) => node.node_id === nodeId);
    const label = name ?? descriptor?.name ?? nodeId.replace(/^[a-z]+:/, "");
    const id = freshId(project, label);
    const instrument = freshId(project, `${label}-instrument`, new Set([id]));
    this.run({
      type: "add_track",
      track: { kind: "instrument", id, name: label, instrument: { id: instrument, node_id: nodeId } },
    });
    return id;
  }

  /**
   * Adds a MIDI clip to an instrument track, after its last clip (a bar long unless `length_beats`
   * says), with the notes given. Returns the clip's id.
   * @example
   * studio.addMidiClip("synth", { notes: [{ beat: 0, length_beats: 1, note: 60, velocity: 100 }] });
   */
  addMidiClip(
    trackId: string,
    clip: { start_beat?: number; length_beats?: number; name?: string; notes?: ProjectMidiNote[] } = {},
  ): string | null {
    const track = this.project.tracks.find((t) => t.id === trackId);
    if (track?.kind !== "instrument") return null;
    const bar = this.beatsPerBar;
    const lastEnd = Math.max(0, ...track.clips.map((c) => c.start_beat + c.length_beats));
    const id = freshId(this.project, `${track.id}-clip`);
    const ok = this.run({
      type: "add_clip",
      track_id: trackId,
      clip: {
        id,
        name: clip.name ?? `Clip ${track.clips.length + 1}`,
        start_beat: clip.start_beat ?? Math.ceil(lastEnd / bar) * bar,
        length_beats: clip.length_beats ?? bar,
        notes: (clip.notes ?? []).map((note) => ({ velocity: 100, ...note })),
      },
    });
    return ok ? id : null;
  }

  /**
   * Undoes the last edit (the toolbar's Undo, Ctrl/Cmd+Z).
   * @example
   * studio.undo();
   */
  undo(): boolean {
    return this.projectEditor.undo();
  }

  /**
   * Redoes the last undone edit (Redo, Shift+Ctrl/Cmd+Z).
   * @example
   * studio.redo();
   */
  redo(): boolean {
    return this.projectEditor.redo();
  }

  /**
   * Replaces the project with an empty one (history starts afresh).
   * @example
   * await studio.newProject();
   */
  async newProject(): Promise<void> {
    this.audioData.clear();
    await this.replaceEditor(new ProjectEditor(emptyProject()), true);
  }

  /**
   * Opens a .wdproj file's bytes (unzipProject checks every file); the history starts afresh.
   * @example
   * await studio.openProjectFile(new Uint8Array(await file.arrayBuffer()), file.name);
   */
  async openProjectFile(bytes: Uint8Array, name = "project file"): Promise<void> {
    const opened = await unzipProject(bytes, name);
    this.audioData.clear();
    for (const [id, data] of opened.audio) {
      this.audioData.set(id, data);
      void this.computePeaks(id, data);
    }
    await this.replaceEditor(new ProjectEditor(opened.project), true);
  }

  /**
   * The project with its audio as one portable .wdproj file (zipProject).
   * @example
   * const bytes = await studio.projectFile();
   */
  projectFile(): Promise<Uint8Array> {
    return zipProject({ project: this.project, audio: this.audioData });
  }

  /**
   * Renders the mixdown in the Worker engine at `sampleRate` as a float32 WAV, showing the progress;
   * offers it as a download unless `download` is false. Resolves null when cancelled.
   * @example
   * const exported = await studio.exportMixdown({ download: false });
   */
  async exportMixdown(options: { download?: boolean } = {}): Promise<ProjectExport | null> {
    if (this.exportAbort) return null;
    const abort = new AbortController();
    this.exportAbort = abort;
    this.exportProgress = 0;
    try {
      const exported = await this.offline.mixdown(this.project, this.audioData, {
        sampleRate: this.sampleRate,
        signal: abort.signal,
        onProgress: (fraction) => {
          this.exportProgress = fraction;
        },
      });
      if (options.download !== false)
        downloadBytes(exported.mixdown, fileNameFor(this.project.name, ".wav"), "audio/wav");
      return exported;
    } catch (error) {
      if (abort.signal.aborted) return null;
      this.notice = errorNotice(error, "The mixdown could not be exported");
      return null;
    } finally {
      this.exportAbort = null;
      this.exportProgress = null;
    }
  }

  /**
   * Cancels the mixdown export in progress.
   * @example
   * studio.cancelExport();
   */
  cancelExport(): void {
    this.exportAbort?.abort();
  }

  // ---- life ----

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener("keydown", this.onKeyDown);
    addEventListener("pagehide", this.onPageHide);
    if (!this.store && this.storage !== "none") void this.openStore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener("keydown", this.onKeyDown);
    removeEventListener("pagehide", this.onPageHide);
    this.playback.detach();
    this.peakWorker.close();
    void this.store?.stop();
    this.store = null;
    void this.offline.close();
  }

  protected override firstUpdated(): void {
    const root = this.renderRoot;
    this.readout = new TransportReadout(findReadoutFields(root), this.beatsPerBar, this.loopBeats());
    this.meterView.attach(root.querySelector("canvas[data-meter=master]") as HTMLCanvasElement);
    this.showIdleState();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("theme")) this.meterView.refreshColors();
    if (changed.has("project")) {
      this.readout?.configure(this.beatsPerBar, this.loopBeats());
      if (!this.realtime.engine) this.showIdleState();
    }
    this.drawWaveforms();
  }

  protected override render() {
    const project = this.project;
    const engine = this.realtime.engine;
    const signature = project.time_signatures[0] ?? { numerator: 4, denominator: 4 };
    const tempo = startBpm(project);
    const lengthBeats =
      (Math.ceil(projectEndBeat(project) / this.beatsPerBar) + ROOM_BARS) * this.beatsPerBar;
    return html`
      <div class="studio" part="base"
        @pointerdown=${this.gestures.pointerDown} @pointermove=${this.gestures.pointerMove}
        @pointerup=${this.gestures.pointerUp} @pointercancel=${this.gestures.pointerUp}
        @keydown=${this.gestures.keyDown}
        @dragover=${this.onDragOver} @dragleave=${this.onDragLeave} @drop=${this.onDrop}>
        ${projectBar(
          { name: project.name, saveState: this.saveState, exportProgress: this.exportProgress },
          {
            rename: this.onRename,
            newProject: () => void this.newProject(),
            openProject: this.onOpenClick,
            saveFile: this.onSaveFileClick,
            exportMixdown: () => void this.exportMixdown(),
            cancelExport: () => this.cancelExport(),
          },
        )}
        ${playerNotice(this.notice, {
          restart: () => void this.realtime.restart(),
          dismiss: () => {
            this.notice = null;
          },
        })}
        ${studioTransportBar(
          {
            playing: engine !== null && this.transportStatus === "playing",
            playDisabled: this.realtime.starting,
            loopEnabled: project.loop?.enabled === true,
            tempo,
            numerator: signature.numerator,
            denominator: signature.denominator,
            undoLabel: this.projectEditor.canUndo ? this.projectEditor.undoLabel : null,
            redoLabel: this.projectEditor.canRedo ? this.projectEditor.redoLabel : null,
          },
          {
            playOrPause: this.onPlayClick,
            stop: () => void this.stop(),
            toggleLoop: this.onLoopClick,
            changeTempo: this.onTempoChange,
            changeSignature: this.onSignatureChange,
            undo: () => this.undo(),
            redo: () => this.redo(),
          },
        )}
        ${arrangement(
          {
            project,
            pixelsPerBeat: this.pixelsPerBeat,
            beatsPerBar: this.beatsPerBar,
            snapBeats: this.snapBeats,
            selectedClip: this.selectedClip,
            lengthBeats,
            instruments: this.instruments,
            dropping: this.dropping,
          },
          {
            pickAudioFile: this.onPickAudio,
            addInstrumentTrack: this.onAddInstrument,
            zoom: (direction) => {
              this.pixelsPerBeat = zoomStep(this.pixelsPerBeat, direction);
            },
            changeSnap: (event) => {
              this.snapBeats = Number((event.target as HTMLSelectElement).value);
            },
            seekFromRuler: this.onRulerClick,
            wantInstruments: this.discoverInstruments,
            addMidiClip: (trackId) => {
              const id = this.addMidiClip(trackId);
              if (id) this.selectedClip = id;
            },
            removeTrack: (trackId) => {
              this.run({ type: "remove_track", track_id: trackId });
            },
          },
        )}
        ${mixer(project, {
          mixerInput: this.onMixerInput,
          mixerCommit: () => {
            this.faderGesture++;
          },
          toggle: (trackId, field) => {
            const track = project.tracks.find((t) => t.id === trackId);
            if (track)
              this.run({ type: "set_mixer", track_id: trackId, mixer: { [field]: !track.mixer[field] } });
          },
        })}
        ${playerDropouts()}
      </div>
    `;
  }

  // ---- editing ----

  /** Beats per bar of the first time signature, in quarter notes (6/8: 3). */
  private get beatsPerBar(): number {
    const signature = this.project.time_signatures[0];
    return signature ? (signature.numerator * 4) / signature.denominator : 4;
  }

  /** Runs a command through the editor; a refusal (the project's rules) becomes the notice. */
  private run(command: ProjectCommand, gesture?: string): boolean {
    try {
      this.projectEditor.execute(command, gesture === undefined ? {} : { gesture });
      return true;
    } catch (error) {
      // A drag past what the rules allow is skipped quietly: the clip stays where it was allowed.
      if (gesture === undefined) this.notice = errorNotice(error);
      return false;
    }
  }

  private listen(editor: ProjectEditor): void {
    this.unsubscribe?.();
    this.unsubscribe = editor.subscribe((change) => {
      this.project = change.after;
      if (this.selectedClip !== null && !clipExists(change.after, this.selectedClip))
        this.selectedClip = null;
      this.saveState = this.store ? "unsaved" : this.saveState;
      this.emit("webdreamer-project-change", { project: change.after });
    });
  }

  private async replaceEditor(editor: ProjectEditor, save: boolean): Promise<void> {
    this.projectEditor = editor;
    this.project = editor.project;
    this.selectedClip = null;
    this.listen(editor);
    this.emit("webdreamer-project-change", { project: editor.project });
    await this.playback.follow(editor, this.audioData);
    if (this.store) {
      await this.store.watch(editor, () => this.audioData);
      if (save) await this.store.save({ project: editor.project, audio: this.audioData });
    }
  }

  private async openStore(): Promise<void> {
    const store = new ProjectStore(this.storage, {
      saved: () => {
        this.saveState = "saved";
      },
      failed: (error) => {
        this.saveState = "failed";
        this.notice = errorNotice(error, "Autosave failed");
      },
    });
    this.store = store;
    const saved = await store.load();
    if (this.store !== store) return;
    if (saved) {
      for (const [id, data] of saved.audio) {
        this.audioData.set(id, data);
        void this.computePeaks(id, data);
      }
      await this.replaceEditor(new ProjectEditor(saved.project), false);
      this.saveState = "saved";
      return;
    }
    this.saveState = (await store.watch(this.projectEditor, () => this.audioData)) ? "unsaved" : "off";
  }

  /**
   * Fills the instrument picker from discovery, once: on the live engine when it runs, else on the
   * Worker engine, made only now (when the pointer or focus reaches the arrangement), so a page
   * showing the studio pays nothing for discovery until someone reaches for it.
   */
  private readonly discoverInstruments = (): void => {
    if (this.discovery) return;
    const live = this.realtime.engine;
    this.discovery = (live ? instrumentsOf(live) : this.offline.instruments()).then(
      (found) => {
        this.instruments = found;
      },
      (error) => {
        this.discovery = null;
        this.notice = errorNotice(error, "Discovery failed");
      },
    );
  };

  private async computePeaks(contentId: string, data: AudioData): Promise<void> {
    this.peaks.set(contentId, await this.peakWorker.peaks(data.channels, data.sampleRate));
    this.requestUpdate();
  }

  private audioSeconds(contentId: string): number | undefined {
    const source = this.project.audio.find((a) => a.content_id === contentId);
    return source ? source.frames / source.sample_rate : undefined;
  }

  /** Draws each audio clip's waveform on its canvas, for the part of the audio the clip plays. */
  private drawWaveforms(): void {
    const color = getComputedStyle(this).getPropertyValue("--wd-waveform").trim() || "#ffffffcc";
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>("canvas.waveform")) {
      const clipElement = canvas.closest<HTMLElement>(".clip");
      const clip = findClip(this.project, clipElement?.dataset.track, clipElement?.dataset.clip);
      const peaks = this.peaks.get(canvas.dataset.content ?? "");
      if (!clip || !("content_id" in clip) || !peaks) continue;
      const tempo = this.project.tempo;
      const seconds =
        secondsAtBeat(tempo, clip.start_beat + clip.length_beats) - secondsAtBeat(tempo, clip.start_beat);
      const key = `${clip.source_start_seconds}:${seconds}:${canvas.clientWidth}:${color}:${peaks.frames}`;
      if (canvas.dataset.drawn === key) continue;
      canvas.dataset.drawn = key;
      drawWaveform(canvas, peaks, clip.source_start_seconds, seconds, color);
    }
  }

  // ---- user actions ----

  private readonly onPlayClick = (): void => {
    if (this.realtime.engine && this.transportStatus === "playing") void this.pause();
    else void this.play();
  };

  private readonly onLoopClick = (): void => {
    const loop = this.project.loop;
    if (loop) {
      this.run({ type: "set_loop", loop: { ...loop, enabled: !loop.enabled } });
      return;
    }
    const bar = this.beatsPerBar;
    const end = Math.max(bar, Math.ceil(projectEndBeat(this.project) / bar) * bar);
    this.run({ type: "set_loop", loop: { start_beat: 0, end_beat: end, enabled: true } });
  };

  private readonly onTempoChange = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const bpm = Number.parseFloat(input.value);
    if (Number.isFinite(bpm)) {
      const clamped = Math.min(MAX_TEMPO_BPM, Math.max(MIN_TEMPO_BPM, Math.round(bpm * 10) / 10));
      this.run({ type: "set_tempo", tempo: { bpm: clamped } });
    }
    this.requestUpdate();
    input.value = String(startBpm(this.project));
  };

  private readonly onSignatureChange = (event: Event): void => {
    const group = (event.target as HTMLElement).closest("fieldset");
    const numerator = Number(group?.querySelector<HTMLInputElement>("[name=numerator]")?.value);
    const denominator = Number(group?.querySelector<HTMLSelectElement>("[name=denominator]")?.value);
    if (Number.isInteger(numerator) && numerator >= 1 && numerator <= 64) {
      this.run({
        type: "set_time_signatures",
        time_signatures: [{ beat: 0, numerator, denominator: denominator as 4 }],
      });
    }
    this.requestUpdate();
  };

  private readonly onRename = (event: Event): void => {
    const name = (event.target as HTMLInputElement).value.trim().slice(0, 256);
    if (name !== this.project.name) this.run({ type: "rename_project", name });
  };

  private readonly onOpenClick = async (): Promise<void> => {
    const [file] = await pickFiles(`${PROJECT_ZIP_EXTENSION},application/zip`);
    if (!file) return;
    try {
      await this.openProjectFile(new Uint8Array(await file.arrayBuffer()), file.name);
    } catch (error) {
      this.notice = errorNotice(error, `${file.name} could not be opened`);
    }
  };

  private readonly onSaveFileClick = async (): Promise<void> => {
    try {
      const bytes = await this.projectFile();
      downloadBytes(bytes, fileNameFor(this.project.name, PROJECT_ZIP_EXTENSION), "application/zip");
    } catch (error) {
      this.notice = errorNotice(error, "The project file could not be made");
    }
  };

  private readonly onPickAudio = async (): Promise<void> => {
    const files = await pickFiles("audio/*,.wav", true);
    await this.importFiles(files, 0);
  };

  private async importFiles(files: readonly File[], atBeat: number): Promise<void> {
    for (const file of files) {
      try {
        await this.importAudio(file, atBeat);
      } catch (error) {
        this.notice = errorNotice(error, `${file.name} could not be imported`);
      }
    }
  }

  private readonly onAddInstrument = (): void => {
    const select = this.renderRoot.querySelector<HTMLSelectElement>("#instrument-select");
    if (select?.value) this.addInstrumentTrack(select.value);
  };

  private readonly onMixerInput = (trackId: string, field: "volume_db" | "pan", event: Event): void => {
    let value = Number((event.target as HTMLInputElement).value);
    if (field === "volume_db" && value <= MIN_FADER_DB) value = -120;
    // One gesture per drag (until the slider's change event): the drag is one undo step.
    this.run(
      { type: "set_mixer", track_id: trackId, mixer: { [field]: value } },
      `fader-${this.faderGesture}`,
    );
  };

  private readonly onRulerClick = (event: MouseEvent): void => {
    const engine = this.realtime.engine;
    const ruler = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const beat = snapBeat((event.clientX - ruler.left) / this.pixelsPerBeat, this.snapBeats);
    if (engine) void this.call(() => engine.seek(secondsAtBeat(this.project.tempo, beat)));
  };

  private readonly onDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    this.dropping = true;
  };

  private readonly onDragLeave = (event: DragEvent): void => {
    if (event.currentTarget === event.target) this.dropping = false;
  };

  private readonly onDrop = (event: DragEvent): void => {
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    this.dropping = false;
    const lane = this.renderRoot.querySelector<HTMLElement>(".ruler-row")?.getBoundingClientRect();
    const beat = lane
      ? snapBeat(Math.max(0, event.clientX - lane.left) / this.pixelsPerBeat, this.snapBeats)
      : 0;
    void this.importFiles(files, beat);
  };

  /** Space plays and stops; Ctrl/Cmd+Z undoes, Shift+Ctrl/Cmd+Z (or Ctrl+Y) redoes. */
  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const target = event.composedPath()[0] as HTMLElement | undefined;
    const inStudio = target === document.body || event.composedPath().includes(this);
    if (!inStudio || event.defaultPrevented) return;
    const typing = target?.matches?.("input:not([type=range]), textarea, select, [contenteditable]") === true;
    if (event.key === " " && !typing && target?.localName !== "button") {
      event.preventDefault();
      this.onPlayClick();
      return;
    }
    const mod = event.ctrlKey || event.metaKey;
    if (!mod || typing) return;
    const key = event.key.toLowerCase();
    if (key === "z" && !event.shiftKey) {
      event.preventDefault();
      this.undo();
    } else if ((key === "z" && event.shiftKey) || key === "y") {
      event.preventDefault();
      this.redo();
    }
  };

  private readonly onPageHide = (): void => {
    void this.store?.flush();
  };

  // ---- engine ----

  private resolvedBaseUrl(): URL | undefined {
    try {
      return engineBaseUrl(this.baseUrl, document.baseURI);
    } catch {
      return undefined;
    }
  }

  private startEngine(): Promise<RealtimeEngineClient | null> {
    if (this.realtime.starting) return Promise.resolve(null);
    this.notice = null;
    const baseUrl = this.resolvedBaseUrl();
    // Synchronously from play(): start() makes the AudioContext inside the user's click.
    return this.realtime.start(baseUrl ? { baseUrl } : {});
  }

  private async call(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.notice = errorNotice(error);
    }
  }

  private emitEngineChange(change: EngineChange): void {
    const detail: EngineChangeDetail =
      change.kind === "reload"
        ? { kind: "reload", reason: change.reason, calls: [] }
        : { kind: "edits", calls: change.edits.map((edit) => edit.type) };
    this.emit("webdreamer-engine-change", detail);
  }

  // ---- what each frame shows ----

  private loopBeats() {
    const loop = this.project.loop;
    return { startBeats: loop?.start_beat ?? 0, endBeats: loop?.end_beat ?? 0 };
  }

  /** Once per frame: the readout, the playhead and the master meter. Allocates nothing. */
  private showFrame(state: TransportSnapshot, meters: MeterReading, now: number): void {
    this.readout?.show(state);
    const status = state.running ? "playing" : state.positionFrames > 0 ? "paused" : "stopped";
    if (status !== this.transportStatus) this.transportStatus = status;
    this.movePlayhead(state.positionBeats);
    this.meterView.show(meters, now);
  }

  private movePlayhead(beats: number): void {
    const playhead = this.renderRoot.querySelector<HTMLElement>(".playhead");
    if (playhead) playhead.style.transform = `translateX(${beats * this.pixelsPerBeat}px)`;
  }

  private showIdleState(): void {
    const idle = this.idleState;
    const project = this.project;
    idle.tempoBpm = startBpm(project);
    idle.loopEnabled = project.loop?.enabled === true;
    idle.sampleRate = 1;
    idle.loopStartFrames = secondsAtBeat(project.tempo, project.loop?.start_beat ?? 0);
    idle.loopEndFrames = secondsAtBeat(project.tempo, project.loop?.end_beat ?? 0);
    this.readout?.show(idle);
    this.movePlayhead(0);
  }

  private emit<T>(type: string, detail: T): void {
    /** @ignore The class's @fires tags name each event. */
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

/** A note of a MIDI clip as addMidiClip takes it (velocity and channel optional). */
export interface ProjectMidiNote {
  beat: number;
  length_beats: number;
  note: number;
  velocity?: number;
  channel?: number;
}

/** The tempo at beat 0, in bpm. */
function startBpm(project: Project): number {
  return project.tempo.bpm ?? project.tempo.map?.[0]?.bpm ?? 120;
}

function findClip(project: Project, trackId?: string, clipId?: string) {
  const track = project.tracks.find((t) => t.id === trackId);
  if (!track || track.kind === "bus") return undefined;
  return track.clips.find((clip) => clip.id === clipId);
}

function clipExists(project: Project, clipId: string): boolean {
  return project.tracks.some(
    (track) => track.kind !== "bus" && track.clips.some((clip) => clip.id === clipId),
  );
}

declare global {
  interface HTMLElementTagNameMap {
    "webdreamer-studio": WebdreamerStudio;
  }
  interface HTMLElementEventMap {
    "webdreamer-engine-change": CustomEvent<EngineChangeDetail>;
    "webdreamer-project-change": CustomEvent<{ project: Project }>;
  }
}

if (!customElements.get("webdreamer-studio")) customElements.define("webdreamer-studio", WebdreamerStudio);
