/**
 * <webdreamer-studio>: the in-browser DAW on top of the project model (docs/studio.md). A project
 * bar, the transport, the arrangement and the mixer around one ProjectEditor:
 * - every edit is a project command (undo and redo, a drag coalesced into one step); the views
 *   render from `editor.project` after each change;
 * - Play starts the live engine (after the click, as browsers require) and ProjectPlayback keeps it on
 *   the project with followProject: each edit reaches the playing engine as the smallest change;
 * - the mixdown and the stems render in a Worker engine (ExportFlow) with a progress bar and Cancel;
 * - the project autosaves to the browser's storage (ProjectStore) and travels as a .wdproj file.
 * - a MIDI clip opens in the piano roll (PianoRollPanel: each gesture one notes patch); the
 *   on-screen keyboard, the computer keyboard and Web MIDI play the selected instrument track live
 *   (LiveKeyboard); Record arms a take that becomes a clip at stop (RecordControls).
 * - a track's automation lane (AutomationLanes: Auto, the picker, points, Write) edits the project's
 *   lanes; with Write on, the strip's moves while playing are written at the playhead instead.
 *
 * This file wires those parts to the editor, the live engine and each other, and holds the element's
 * public API; each part lives in its own module (docs/studio.md, "How it is built").
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

import type { DiscoveryRoot } from "../api/discovery-roots";
import type { MidiRecording } from "../api/midi-recording";
import type { RealtimeEngineClient } from "../api/realtime-client";
import { createTransportSnapshot, type MeterReading, type TransportSnapshot } from "../api/realtime-readings";
import type { AudioData } from "../audio-io/wav-codec";
import { engineBaseUrl } from "../components/engine-base-url";
import { findReadoutFields, playerDropouts } from "../components/player-display";
import { errorNotice, faultNotice, type Notice, playerNotice } from "../components/player-notice";
import { RealtimeEngineController } from "../components/realtime-engine-controller";
import { TransportReadout } from "../components/transport-readout";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import { secondsAtBeat } from "../contracts/tempo-map";
import { projectEndBeat } from "../project/compile-project";
import type { EngineChange } from "../project/diff-compiled";
import type { ProjectExport } from "../project/export-project";
import type { ProjectCommand } from "../project/project-commands";
import { ProjectEditor } from "../project/project-editor";
import type { Project } from "../project/project-schema";
import { PROJECT_ZIP_EXTENSION, unzipProject, zipProject } from "../project/project-zip";
import { ArrangeEdits } from "./arrange-edits";
import { arrangeStyles } from "./arrange-styles";
import { arrangement } from "./arrangement";
import { audioDropActions } from "./audio-drop";
import { type AudioImport, audioImportCommand, decodeAudioFile } from "./audio-import";
import type { FinishedAudioTake } from "./audio-take-recorder";
import { AutomationLanes } from "./automation-gestures";
import { ClipGestures } from "./clip-drag";
import { DeviceRack } from "./device-rack";
import { deviceRackStyles } from "./device-rack-styles";
import { ExportFlow } from "./export-flow";
import { FAUST_SYNTH_CHOICE, FAUST_SYNTH_VOICES } from "./faust-instrument";
import { downloadBytes, fileNameFor, pickFiles } from "./file-transfer";
import { InstrumentPicker } from "./instrument-picker";
import { LiveKeyboard } from "./live-keyboard";
import { RulerGesture } from "./loop-range";
import type { ScopeReading } from "./master-scope";
import { mixerActions } from "./mixer-actions";
import { mixer } from "./mixer-strip";
import { OfflineEngine } from "./offline-engine";
import { PianoRollPanel } from "./piano-roll-panel";
import { projectBar, type SaveState } from "./project-bar";
import {
  audioSeconds,
  beatsPerBar,
  emptyProject,
  type LiveTarget,
  liveTarget,
  startBpm,
  trackOfClip,
} from "./project-lookups";
import { ProjectPlayback } from "./project-playback";
import { ProjectStore } from "./project-store";
import { RecordControls } from "./record-controls";
import { StudioAudio } from "./studio-audio";
import { freshId } from "./studio-ids";
import { StudioMeters } from "./studio-meters";
import { studioKeyDown } from "./studio-shortcuts";
import { studioStyles } from "./studio-styles";
import { zoomStep } from "./timeline-math";
import { studioTransportBar } from "./transport-bar";
import { transportEdits } from "./transport-edits";
import type { WamGuiEngine } from "./wam-window";

/** Detail of `webdreamer-engine-change`: how an edit reached the playing engine. */
export interface EngineChangeDetail {
  kind: EngineChange["kind"];
  /** Why a reload was needed ("node bass.clip.c2 was added"); absent for edits. */
  reason?: string;
  /** The calls of an edit, by type ("set_parameter", "schedule_automation", ...). */
  calls: string[];
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
 * @csspart header - The project bar: name, save state, New, Open, Save as file, Export mixdown, Export stems.
 * @csspart transport - The transport bar and undo/redo.
 * @csspart display - The position readout: bars:beats, time, tempo, loop.
 * @csspart arrangement - The toolbar, ruler, tracks and clips.
 * @csspart piano-roll - The piano roll of the open MIDI clip: its toolbar, pitch rows, notes and velocity lane.
 * @csspart keyboard - The on-screen keyboard with its octave, Keyboard input and Connect MIDI.
 * @csspart mixer - The mixer strips and the master.
 * @csspart devices - The device racks: per track its devices, their controls, Faust code and presets.
 */
export class WebdreamerStudio extends LitElement {
  static override styles = [studioStyles, arrangeStyles, deviceRackStyles];

  static override properties = {
    theme: { type: String, reflect: true },
    baseUrl: { type: String, attribute: "base-url" },
    storage: { type: String },
    wamRoots: { type: Array, attribute: "wam-roots" },
    faustRoots: { type: Array, attribute: "faust-roots" },
    project: { state: true },
    transportStatus: { state: true },
    pixelsPerBeat: { state: true },
    snapBeats: { state: true },
    selectedClip: { state: true },
    saveState: { state: true },
    notice: { state: true },
    dropping: { state: true },
    selectedTrack: { state: true },
    selectedMarker: { state: true },
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
   * WAM discovery roots (attribute `wam-roots`, JSON): their plugins join the device picker, and a
   * WAM device's "Plugin window" shows its own GUI (docs/studio.md, "Devices"). Read at the first
   * discovery.
   * @example
   * studio.wamRoots = [{ kind: "wam-module", url: "https://example.com/plugins/gain/index.js" }];
   */
  declare wamRoots: DiscoveryRoot[];

  /**
   * Faust discovery roots (attribute `faust-roots`, JSON; `faust-url` roots in a page): their DSPs
   * join the device picker, and those that play notes the Instrument picker (docs/studio.md,
   * "An instrument"). Read at the first discovery; a change scans again.
   * @example
   * studio.faustRoots = [{ kind: "faust-url", url: "https://example.com/dsp/", files: ["pluck.dsp"] }];
   */
  declare faustRoots: DiscoveryRoot[];

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
  declare private saveState: SaveState;
  declare private notice: Notice | null;
  declare private dropping: boolean;
  /** The track a clip was last selected on (or just added): the keyboard plays it if it is an instrument. */
  declare private selectedTrack: string | null;
  declare private selectedMarker: string | null;
  /** Where the playhead is, in beats: the engine's position while it runs, else where it was put. */
  private playheadBeats = 0;

  private projectEditor: ProjectEditor;
  private unsubscribe: (() => void) | null = null;
  private readonly audioStore = new StudioAudio(this);
  private readonly offline = new OfflineEngine(() => this.resolvedBaseUrl());
  private readonly playback = new ProjectPlayback({
    changed: (change) => this.emitEngineChange(change),
    failed: (error) => this.fail(error, "The engine could not follow an edit"),
  });
  private store: ProjectStore | null = null;
  private readout: TransportReadout | null = null;
  private readonly idleState = createTransportSnapshot();
  private readonly gestures = new ClipGestures({
    project: () => this.project,
    pixelsPerBeat: () => this.pixelsPerBeat,
    snapBeats: () => this.snapBeats,
    audioSeconds: (id) => audioSeconds(this.project, id),
    execute: (command, gesture) => this.run(command, gesture),
    select: (clipId) => {
      this.selectedClip = clipId;
      const track = clipId === null ? undefined : trackOfClip(this.project, clipId);
      if (track) this.selectedTrack = track;
    },
    open: (trackId, clipId) => this.openPianoRoll(trackId, clipId),
    split: (trackId, clipId, beat) => this.arrangeEdits.split(trackId, clipId, beat),
    trackAt: (clientY) => {
      for (const lane of this.renderRoot.querySelectorAll<HTMLElement>(".lane")) {
        const box = lane.getBoundingClientRect();
        if (clientY >= box.top && clientY < box.bottom) return lane.dataset.track ?? null;
      }
      return null;
    },
    rewind: (gesture) => this.projectEditor.history.done.at(-1)?.gesture === gesture && this.undo(),
    restore: () => this.redo(),
  });
  private readonly arrangeEdits = new ArrangeEdits({
    project: () => this.project,
    selectedClip: () => this.selectedClip,
    playheadBeat: () => this.playheadBeats,
    execute: (command) => this.run(command),
    selectClip: (clipId) => {
      this.selectedClip = clipId;
    },
    selectMarker: (markerId) => {
      this.selectedMarker = markerId;
    },
    seek: (beat) => this.seekTo(beat),
    explain: (message) => this.fail(new Error(message)),
  });
  private readonly rulerGesture = new RulerGesture({
    pixelsPerBeat: () => this.pixelsPerBeat,
    snapBeats: () => this.snapBeats,
    execute: (command, gesture) => this.run(command, gesture),
    seek: (beat) => this.seekTo(beat),
  });
  private readonly pianoRoll = new PianoRollPanel(this, {
    project: () => this.project,
    execute: (command, gesture) => this.run(command, gesture),
    opened: (trackId, clipId) => {
      this.selectedClip = clipId;
      this.selectedTrack = trackId;
    },
  });
  private readonly automation = new AutomationLanes({
    project: () => this.project,
    // What discovery found and each Faust compile made (device-rack.ts).
    nodeTypes: (): NodeDescriptor[] => this.rack.nodeTypes(),
    pixelsPerBeat: () => this.pixelsPerBeat,
    snapBeats: () => this.snapBeats,
    beatsPerBar: () => this.beatsPerBar,
    execute: (command, gesture, wholeGesture) => this.run(command, gesture, wholeGesture),
    changed: () => this.requestUpdate(),
    playingBeat: () => {
      const state = this.realtime.engine?.readTransport();
      return state?.running ? state.positionBeats : null;
    },
  });
  private engineStart: Promise<RealtimeEngineClient | null> | null = null;
  private readonly realtime = new RealtimeEngineController(this, {
    attach: () => {},
    load: async (engine) => {
      // A DAW keeps rendering while stopped: keys and Web MIDI sound, tails ring out (docs/realtime.md).
      await engine.setMonitoring(true);
      await this.playback.attach(engine, this.projectEditor, this.audioStore.data);
      // The engine starts where the playhead was put (a ruler click or a marker before the first Play).
      if (this.playheadBeats > 0) await engine.seek(secondsAtBeat(this.project.tempo, this.playheadBeats));
    },
    ready: (engine) => this.emit("webdreamer-ready", { dataPlane: engine.dataPlane }),
    restarted: async (engine) => {
      await engine.play();
    },
    fault: (message) => {
      this.notice = faultNotice(message);
    },
    failed: (error) => this.fail(error, "The engine could not start"),
    frame: (state, meters, now) => this.showFrame(state, meters, now),
  });
  /** The master's level meter, the strips' meters, the master's spectrum and scope. */
  private readonly meters = new StudioMeters(this);
  /** The on-screen keyboard, the computer keys and Web MIDI, playing the live target. */
  private readonly keyboard = new LiveKeyboard(this, {
    target: () => this.liveTarget(),
    engine: () => this.liveEngine(),
    failed: (error, context) => this.fail(error, context),
  });
  /** Record: MIDI takes on the keyboard's track, audio takes on the armed audio track. */
  private readonly recorder = new RecordControls(this, {
    project: () => this.project,
    engine: () => this.realtime.engine,
    playing: () => this.transportStatus === "playing",
    target: () => this.liveTarget(),
    notesFlushed: () => this.keyboard.flushed(),
    run: (command) => this.run(command),
    selectClip: (clipId) => {
      this.selectedClip = clipId;
    },
    keepAudio: (contentId, data) => this.keepAudio(contentId, data),
    audioTaken: (take) => {
      this.lastAudioTake = take;
    },
    failed: (error, context) => this.fail(error, context),
  });
  /** Export mixdown and Export stems, with the progress bar and Cancel. */
  private readonly exports = new ExportFlow(this, {
    project: () => this.project,
    audio: () => this.audioStore.data,
    sampleRate: () => this.sampleRate,
    liveEngine: () => this.liveEngine(),
    offline: this.offline,
    failed: (error, context) => this.fail(error, context),
  });
  /** The Instrument picker: discovery's instruments and the Faust synth, a track for the one picked. */
  private readonly instrumentPicker = new InstrumentPicker(this, {
    project: () => this.project,
    run: (command) => this.run(command),
    compiler: () => this.offline.client(this.sampleRate),
    added: (trackId) => {
      // The keyboard plays the track just added.
      this.selectedTrack = trackId;
    },
    failed: (error, context) => this.fail(error, context),
  });
  /** Per track its devices: controls, Faust code, presets (device-rack.ts). */
  private readonly rack = new DeviceRack(this, {
    project: () => this.project,
    execute: (command, gesture) => this.run(command, gesture),
    record: (trackId: string, address: string, value: number): boolean =>
      this.automation.record(trackId, address, value),
    engine: async () => this.realtime.engine ?? (await this.offline.client(this.sampleRate)),
    compiler: () => this.offline.client(this.sampleRate),
    discoveryRoots: () => [...this.faustRoots, ...this.wamRoots],
    discovered: (nodes) => this.instrumentPicker.discovered(nodes),
    liveEngine: async () => (await this.liveEngine()) as unknown as WamGuiEngine | null,
    failed: (error, context) => this.fail(error, context),
  });
  private readonly mixerControls = mixerActions({
    project: () => this.project,
    run: (command, gesture) => this.run(command, gesture),
    record: (trackId, address, value) => this.automation.record(trackId, address, value),
  });
  private readonly transportControls = transportEdits({
    project: () => this.project,
    run: (command) => this.run(command),
    refresh: () => this.requestUpdate(),
  });
  private readonly audioDrop = audioDropActions({
    ruler: () => this.renderRoot.querySelector<HTMLElement>(".ruler-row"),
    pixelsPerBeat: () => this.pixelsPerBeat,
    snapBeats: () => this.snapBeats,
    hovering: (dropping) => {
      this.dropping = dropping;
    },
    importFiles: (files, atBeat) => this.importFiles(files, atBeat),
  });

  constructor() {
    super();
    this.theme = undefined;
    this.baseUrl = undefined;
    this.storage = "current";
    this.wamRoots = [];
    this.faustRoots = [];
    this.projectEditor = new ProjectEditor(emptyProject());
    this.project = this.projectEditor.project;
    this.transportStatus = "stopped";
    this.pixelsPerBeat = 32;
    this.snapBeats = 1;
    this.selectedClip = null;
    this.saveState = "off";
    this.notice = null;
    this.dropping = false;
    this.selectedTrack = null;
    this.selectedMarker = null;
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
    return this.audioStore.data;
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
   * What the master's scope last drew (its trace from the trigger, the measured period in frames), or
   * null before it drew.
   * @example
   * const hz = studio.scopeReading ? studio.scopeReading.sampleRate / studio.scopeReading.periodFrames : 0;
   */
  get scopeReading(): ScopeReading | null {
    return this.meters.scopeReading;
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
    if (this.recorder.armed) await this.recorder.start(engine);
    await this.call(() => engine.play());
  }

  /**
   * Pauses, keeping the position (and ends a recording: its notes become a clip).
   * @example
   * await studio.pause();
   */
  async pause(): Promise<void> {
    const engine = this.realtime.engine;
    if (!engine) return;
    this.automation.finishRecording();
    await this.recorder.finish(engine);
    await this.call(() => engine.pause());
  }

  /**
   * Stops and returns to the start (and ends a recording: its notes become a clip).
   * @example
   * await studio.stop();
   */
  async stop(): Promise<void> {
    const engine = this.realtime.engine;
    if (!engine) return;
    this.automation.finishRecording();
    await this.recorder.finish(engine);
    await this.call(() => engine.stop());
  }

  /**
   * Whether Play records: the keyboard's and Web MIDI's notes on the selected instrument track
   * become a new clip there when the transport pauses or stops (the transport bar's Record).
   * @example
   * studio.armed = true; // then studio.play()
   */
  get armed(): boolean {
    return this.recorder.armed;
  }

  set armed(armed: boolean) {
    this.recorder.armed = armed;
  }

  /**
   * The audio track Record + Play records the live input into (its Arm button), or null: then Record
   * takes MIDI on the selected instrument track. Arming an audio track asks for the input at Play.
   * @example
   * studio.armedTrack = "vox"; studio.armed = true; await studio.play();
   */
  get armedTrack(): string | null {
    return this.recorder.armedTrack;
  }

  set armedTrack(trackId: string | null) {
    this.recorder.armedTrack = trackId;
  }

  /**
   * The last recording's raw take (frames as the engine played them), or null: what the recorded
   * clip was made from.
   * @example
   * const frames = studio.lastTake?.events.map((event) => event.frame);
   */
  get lastTake(): MidiRecording | null {
    return this.recorder.lastTake;
  }

  /**
   * Plays a note on the selected instrument track now, as the on-screen keyboard does (it sounds
   * until noteOff). Resolves once the engine took it.
   * @example
   * await studio.noteOn(60, 100);
   */
  async noteOn(note: number, velocity = 100): Promise<void> {
    this.keyboard.noteOn(note, velocity);
    await this.keyboard.flushed();
  }

  /**
   * Ends a note noteOn (or a key) started. Resolves once the engine took it.
   * @example
   * await studio.noteOff(60);
   */
  async noteOff(note: number): Promise<void> {
    this.keyboard.noteOff(note);
    await this.keyboard.flushed();
  }

  /**
   * Opens a MIDI clip in the piano roll (what double-click or Enter on the clip does).
   * @example
   * studio.openPianoRoll("synth", "synth-clip");
   */
  openPianoRoll(trackId: string, clipId: string): void {
    this.pianoRoll.open(trackId, clipId);
  }

  /**
   * Resolves once every edit so far reached the live engine (immediately without one).
   * @example
   * studio.editor.execute({ type: "set_mixer", track_id: "drums", mixer: { mute: true } });
   * await studio.settled();
   */
  async settled(): Promise<void> {
    await this.rack.settled();
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
    await this.keepAudio(imported.contentId, data);
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
    const label = name ?? this.instrumentPicker.nameOf(nodeId) ?? nodeId.replace(/^[a-z]+:/, "");
    const id = freshId(project, label);
    const instrument = freshId(project, `${label}-instrument`, new Set([id]));
    this.run({
      type: "add_track",
      track: { kind: "instrument", id, name: label, instrument: { id: instrument, node_id: nodeId } },
    });
    // The keyboard plays the track just added.
    this.selectedTrack = id;
    return id;
  }

  /**
   * Adds an instrument track playing a polyphonic Faust synth (faust-instrument.ts): the default poly
   * synth code, or `source`, compiled with 8 voices on the Worker engine, the code kept in the
   * instrument's `extensions.faust`. Returns the track's id; a compile error rejects.
   * @example
   * const trackId = await studio.addFaustInstrumentTrack();
   */
  addFaustInstrumentTrack(source?: string, name = "Faust synth"): Promise<string> {
    return this.instrumentPicker.add(FAUST_SYNTH_CHOICE, { source, name, voices: FAUST_SYNTH_VOICES });
  }

  /**
   * Adds an instrument track playing `nodeId`, an instrument the Instrument picker lists (builtin,
   * a Faust DSP of a discovery root compiled with `voices`, default 8, or a WAM), as its button does.
   * Resolves to the track's id; a Faust compile error or an unreadable file rejects.
   * @example
   * const trackId = await studio.addDiscoveredInstrumentTrack("faust:0123456789abcdef", { voices: 4 });
   */
  addDiscoveredInstrumentTrack(
    nodeId: string,
    options: { voices?: number; name?: string } = {},
  ): Promise<string> {
    return this.instrumentPicker.add(nodeId, options);
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
    this.audioStore.data.clear();
    await this.replaceEditor(new ProjectEditor(emptyProject()), true);
  }

  /**
   * Opens a .wdproj file's bytes (unzipProject checks every file); the history starts afresh.
   * @example
   * await studio.openProjectFile(new Uint8Array(await file.arrayBuffer()), file.name);
   */
  async openProjectFile(bytes: Uint8Array, name = "project file"): Promise<void> {
    const opened = await unzipProject(bytes, name);
    this.audioStore.data.clear();
    for (const [id, data] of opened.audio) this.audioStore.keep(id, data);
    await this.replaceEditor(new ProjectEditor(opened.project), true);
  }

  /**
   * The project with its audio as one portable .wdproj file (zipProject).
   * @example
   * const bytes = await studio.projectFile();
   */
  projectFile(): Promise<Uint8Array> {
    return zipProject({ project: this.project, audio: this.audioStore.data });
  }

  /**
   * Renders the mixdown in the Worker engine at `sampleRate` as a float32 WAV, showing the progress;
   * offers it as a download unless `download` is false. Resolves null when cancelled.
   * @example
   * const exported = await studio.exportMixdown({ download: false });
   */
  exportMixdown(options: { download?: boolean } = {}): Promise<ProjectExport | null> {
    return this.exports.mixdown(options.download !== false);
  }

  /**
   * Renders the mixdown and every track's and bus's stem in the Worker engine, as exportMixdown does,
   * and offers the stems as one zip of float32 WAVs named after the tracks (stems-export.ts), unless
   * `download` is false. Resolves null when cancelled.
   * @example
   * const exported = await studio.exportStems({ download: false });
   */
  exportStems(options: { download?: boolean } = {}): Promise<ProjectExport | null> {
    return this.exports.stems(options.download !== false);
  }

  /**
   * Cancels the export (mixdown or stems) in progress.
   * @example
   * studio.cancelExport();
   */
  cancelExport(): void {
    this.exports.cancel();
  }

  /** The last audio take (its input latency, where it started) and the clip it made: for tests. */
  lastAudioTake: FinishedAudioTake | null = null;

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
    this.rack.windows.closeAll();
    this.playback.detach();
    this.meters.disconnect();
    this.audioStore.close();
    void this.store?.stop();
    this.store = null;
    void this.offline.close();
  }

  protected override firstUpdated(): void {
    const root = this.renderRoot;
    this.readout = new TransportReadout(findReadoutFields(root), this.beatsPerBar, this.loopBeats());
    this.meters.attach(root);
    this.showIdleState();
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.meters.bind(this.renderRoot, changed.has("theme"));
    if (changed.has("project")) {
      this.readout?.configure(this.beatsPerBar, this.loopBeats());
      if (!this.realtime.engine) this.showIdleState();
    }
    const color = getComputedStyle(this).getPropertyValue("--wd-waveform").trim() || "#ffffffcc";
    this.audioStore.drawWaveforms(this.renderRoot, this.project, color);
    this.pianoRoll.scrollWhenOpened(this.renderRoot);
  }

  protected override render() {
    const project = this.project;
    const engine = this.realtime.engine;
    const signature = project.time_signatures[0] ?? { numerator: 4, denominator: 4 };
    const lengthBeats =
      (Math.ceil(projectEndBeat(project) / this.beatsPerBar) + ROOM_BARS) * this.beatsPerBar;
    return html`
      <div class="studio" part="base"
        @pointerdown=${this.gestures.pointerDown} @pointermove=${this.gestures.pointerMove}
        @pointerup=${this.gestures.pointerUp} @pointercancel=${this.gestures.pointerUp}
        @keydown=${this.gestures.keyDown} @dblclick=${this.onDoubleClick}
        @dragover=${this.audioDrop.dragOver} @dragleave=${this.audioDrop.dragLeave} @drop=${this.audioDrop.drop}>
        ${projectBar(
          {
            name: project.name,
            saveState: this.saveState,
            exportProgress: this.exports.progress,
            exportKind: this.exports.kind,
          },
          {
            rename: this.onRename,
            newProject: () => void this.newProject(),
            openProject: this.onOpenClick,
            saveFile: this.onSaveFileClick,
            exportMixdown: () => void this.exportMixdown(),
            exportStems: () => void this.exportStems(),
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
            recordArmed: this.recorder.armed,
            loopEnabled: project.loop?.enabled === true,
            tempo: startBpm(project),
            numerator: signature.numerator,
            denominator: signature.denominator,
            undoLabel: this.projectEditor.canUndo ? this.projectEditor.undoLabel : null,
            redoLabel: this.projectEditor.canRedo ? this.projectEditor.redoLabel : null,
          },
          {
            ...this.transportControls,
            playOrPause: this.onPlayClick,
            stop: () => void this.stop(),
            toggleRecord: this.recorder.toggle,
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
            instrumentPicker: this.instrumentPicker.render(),
            dropping: this.dropping,
            armedTrack: this.recorder.armedTrack,
            selectedMarker: this.selectedMarker,
            automationShown: (trackId) => this.automation.shown(trackId),
            automationRow: (track, width) => this.automation.row(track, width),
          },
          {
            pickAudioFile: this.onPickAudio,
            zoom: (direction) => {
              this.pixelsPerBeat = zoomStep(this.pixelsPerBeat, direction);
            },
            changeSnap: (event) => {
              this.snapBeats = Number((event.target as HTMLSelectElement).value);
            },
            ruler: this.rulerGesture,
            jumpToMarker: (id) => this.arrangeEdits.jumpToMarker(id),
            renameMarker: (id, name) => this.arrangeEdits.renameMarker(id, name),
            removeMarker: (id) => this.arrangeEdits.removeMarker(id),
            addMarker: () => this.arrangeEdits.addMarker(),
            splitClip: () => this.arrangeEdits.splitAtPlayhead(),
            duplicateClip: () => this.arrangeEdits.duplicate(),
            wantInstruments: this.discoverInstruments,
            armTrack: (trackId) => {
              this.armedTrack = this.recorder.armedTrack === trackId ? null : trackId;
            },
            addMidiClip: (trackId) => {
              const id = this.addMidiClip(trackId);
              if (id) this.selectedClip = id;
            },
            removeTrack: (trackId) => {
              this.run({ type: "remove_track", track_id: trackId });
            },
            toggleAutomation: (trackId) => this.automation.toggle(trackId),
          },
        )}
        ${this.pianoRoll.render()}
        ${this.keyboard.render(this.liveTarget()?.name ?? null)}
        ${mixer(project, this.mixerControls)}
        ${this.rack.render(project)}
        ${playerDropouts()}
      </div>
    `;
  }

  // ---- editing ----

  /** Beats per bar of the first time signature, in quarter notes (6/8: 3). */
  private get beatsPerBar(): number {
    return beatsPerBar(this.project);
  }

  /** Runs a command through the editor; a refusal (the project's rules) becomes the notice. */
  private run(command: ProjectCommand, gesture?: string, wholeGesture = false): boolean {
    try {
      this.projectEditor.execute(command, gesture === undefined ? {} : { gesture, wholeGesture });
      return true;
    } catch (error) {
      // A drag past what the rules allow is skipped quietly: the clip stays where it was allowed.
      if (gesture === undefined) this.fail(error);
      return false;
    }
  }

  /** Shows what went wrong (with what was being done) in the notice. */
  private fail(error: unknown, context?: string): void {
    this.notice = errorNotice(error, context);
  }

  private listen(editor: ProjectEditor): void {
    this.unsubscribe?.();
    this.unsubscribe = editor.subscribe((change) => {
      this.project = change.after;
      if (this.selectedClip !== null && trackOfClip(change.after, this.selectedClip) === undefined)
        this.selectedClip = null;
      this.pianoRoll.follow();
      this.saveState = this.store ? "unsaved" : this.saveState;
      this.emit("webdreamer-project-change", { project: change.after });
    });
  }

  private async replaceEditor(editor: ProjectEditor, save: boolean): Promise<void> {
    this.projectEditor = editor;
    this.project = editor.project;
    this.selectedClip = null;
    this.pianoRoll.close();
    this.selectedTrack = null;
    this.listen(editor);
    this.emit("webdreamer-project-change", { project: editor.project });
    const audio = this.audioStore.data;
    await this.playback.follow(editor, audio);
    if (this.store) {
      await this.store.watch(editor, () => audio);
      if (save) await this.store.save({ project: editor.project, audio });
    }
  }

  private async openStore(): Promise<void> {
    const store = new ProjectStore(this.storage, {
      saved: () => {
        this.saveState = "saved";
      },
      failed: (error) => {
        this.saveState = "failed";
        this.fail(error, "Autosave failed");
      },
    });
    this.store = store;
    const saved = await store.load();
    if (this.store !== store) return;
    const audio = this.audioStore.data;
    if (saved) {
      for (const [id, data] of saved.audio) this.audioStore.keep(id, data);
      await this.replaceEditor(new ProjectEditor(saved.project), false);
      this.saveState = "saved";
      return;
    }
    this.saveState = (await store.watch(this.projectEditor, () => audio)) ? "unsaved" : "off";
  }

  /**
   * Fills the instrument picker (and the racks' device pickers) from discovery, once (again when the
   * roots change): on the live engine when it runs, else on the Worker engine, made only now (when
   * the pointer or focus reaches the arrangement), so a page showing the studio pays nothing for
   * discovery until someone reaches for it.
   */
  private readonly discoverInstruments = (): void => {
    this.rack.discover();
  };

  /** Keeps audio the project now plays (imported or recorded): its waveform, the live engine's buffer. */
  private async keepAudio(contentId: string, data: AudioData): Promise<void> {
    this.audioStore.keep(contentId, data);
    await this.playback.upload(contentId, data);
  }

  /**
   * The instrument track the keyboard plays and records: the selected track (a clip on it selected,
   * or it was just added) when it is an instrument track, else the first instrument track.
   */
  private liveTarget(): LiveTarget | null {
    return liveTarget(this.project, this.selectedTrack);
  }

  /** The live engine for the keyboard: started by the first key if Play has not started it. */
  private async liveEngine(): Promise<RealtimeEngineClient | null> {
    return this.realtime.engine ?? (await this.startEngine());
  }

  // ---- user actions ----

  private readonly onPlayClick = (): void => {
    if (this.realtime.engine && this.transportStatus === "playing") void this.pause();
    else void this.play();
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
      this.fail(error, `${file.name} could not be opened`);
    }
  };

  private readonly onSaveFileClick = async (): Promise<void> => {
    try {
      const bytes = await this.projectFile();
      downloadBytes(bytes, fileNameFor(this.project.name, PROJECT_ZIP_EXTENSION), "application/zip");
    } catch (error) {
      this.fail(error, "The project file could not be made");
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
        this.fail(error, `${file.name} could not be imported`);
      }
    }
  }

  private readonly onDoubleClick = (event: MouseEvent): void => {
    const element = (event.target as Element).closest<HTMLElement>(".clip.midi");
    const { track, clip } = element?.dataset ?? {};
    if (track && clip) this.openPianoRoll(track, clip);
  };

  /** Moves the playhead to `beat` (a ruler click, a marker), and the engine with it when it runs. */
  private seekTo(beat: number): void {
    this.playheadBeats = beat;
    this.movePlayhead(beat);
    const engine = this.realtime.engine;
    if (engine) void this.call(() => engine.seek(secondsAtBeat(this.project.tempo, beat)));
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    studioKeyDown(event, {
      element: this,
      playKey: (key, typing) => this.keyboard.keyDown(key, typing),
      playOrPause: this.onPlayClick,
      arrangeKey: (key, typing) => this.arrangeEdits.keyDown(key, typing),
      undo: () => this.undo(),
      redo: () => this.redo(),
    });
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
    // A key and Play pressed while the engine starts wait for the same start.
    if (this.realtime.starting) return this.engineStart ?? Promise.resolve(null);
    this.notice = null;
    const baseUrl = this.resolvedBaseUrl();
    // Synchronously from play(): start() makes the AudioContext inside the user's click.
    this.engineStart = this.realtime.start(baseUrl ? { baseUrl } : {});
    return this.engineStart;
  }

  private async call(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.fail(error);
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

  /** Once per frame: the readout, the playhead and the meters. Allocates nothing. */
  private showFrame(state: TransportSnapshot, meters: MeterReading, now: number): void {
    this.readout?.show(state);
    const status = state.running ? "playing" : state.positionFrames > 0 ? "paused" : "stopped";
    this.playheadBeats = state.positionBeats;
    if (status !== this.transportStatus) {
      // Writing automation ends with play however the transport stopped.
      if (this.transportStatus === "playing") this.automation.finishRecording();
      this.transportStatus = status;
    }
    this.movePlayhead(state.positionBeats);
    this.meters.show(meters, this.realtime.engine, now);
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
    this.movePlayhead(this.playheadBeats);
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
