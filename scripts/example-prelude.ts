/**
 * The free names of the @example blocks in src/ and worklet/, typed, for scripts/typecheck.mjs.
 *
 * An example is a few lines out of an application: it uses `client`, `request` or `left` without
 * declaring them, as a reader expects. The checker compiles each example with its own module's exports
 * in scope, then:
 * - ExampleNames: a variable an example uses without declaring it, and its type everywhere.
 * - ExampleNameOverrides: a path (a file, or a folder ending in "/") whose examples give a name another
 *   type, or use a name only they need. The longest matching path wins.
 * - The re-exports at the end: API names from other modules that examples use without importing them.
 *
 * Give each name the type the example means (a real type from src/ or a library); an application's
 * own function or object (a progress bar, a redraw callback) gets the smallest honest shape. `any` is
 * the last resort for a name nothing can type: the checker counts and names every one it meets, and
 * reports a name no example uses any more.
 *
 * A name keeps one meaning wherever it can: when two examples mean different things by one name, rename
 * the variable in one of them (`commandRecord`, not `record`, for a command's bytes) before adding an
 * override. Overrides are for a name a whole folder or file reads another way (`engine` is a WasmEngine
 * in src/engine/, `ring` a PortRing in port-ring.ts).
 */
import type { readFile as readFileFromDisk } from "node:fs/promises";
import type { WebAudioModule } from "@webaudiomodules/api";
import type { LitElement } from "lit";
import type { ExpectStatic } from "vitest";
import type { DiscoveryCache } from "../src/api/discovery-cache";
import type { RootScan } from "../src/api/discovery-roots";
import type { EngineClient, FaustCompiling } from "../src/api/engine-client";
import type { InputTake } from "../src/api/live-input";
import type { MidiRecording } from "../src/api/midi-recording";
import type { RealtimeEngineClient } from "../src/api/realtime-client";
import type { MeterReading, TransportSnapshot } from "../src/api/realtime-readings";
import type { Float32WavReader } from "../src/audio-io/float32-wav-reader";
import type { AudioData } from "../src/audio-io/wav-codec";
import type { WavStreamWriter } from "../src/audio-io/wav-stream";
import type { RenderCommand } from "../src/cli/cli-options";
import type { ProgressReporter } from "../src/cli/progress";
import type { RenderFiles, WrittenWav } from "../src/cli/render-files";
import type { RunSummary } from "../src/cli/render-messages";
import type { CliIo } from "../src/cli/run-cli";
import type { SessionTarget } from "../src/cli/session-inputs";
import type { SessionRenderJob, SessionRenderOutcome } from "../src/cli/session-render";
import type { EngineBootstrapper } from "../src/client/bootstrapper";
import type { ParameterControl } from "../src/components/demo-graph";
import type { LevelMeter } from "../src/components/level-meter";
import type { LevelMeterController } from "../src/components/level-meter-controller";
import type { ParameterSender } from "../src/components/parameter-sender";
import type {
  RealtimeEngineController,
  RealtimeEngineHooks,
} from "../src/components/realtime-engine-controller";
import type { ReadoutFields, TransportReadout } from "../src/components/transport-readout";
import type { WebdreamerPlayer } from "../src/components/webdreamer-player";
import type { BufferHandle } from "../src/contracts/common";
import type { EngineCommand } from "../src/contracts/engine-command";
import type { EngineErrorWire } from "../src/contracts/errors";
import type { GraphDescriptor, GraphDescriptorInput, GraphNode } from "../src/contracts/graph-descriptor";
import type { NodeDescriptor } from "../src/contracts/node-descriptor";
import type { PluginDiscoveryResult } from "../src/contracts/plugin-discovery";
import type { RenderRequest, RenderResult } from "../src/contracts/render";
import type { TransportState } from "../src/contracts/transport-state";
import type {
  CommandDecoder,
  CommandEncoder,
  CommandRing,
  CommandVisitor,
  DataPlaneCommand,
} from "../src/dataplane/command-codec";
import type { BlockHandle, DataPlane, DoorbellHandle, RingHandle } from "../src/dataplane/data-plane";
import type { Doorbell } from "../src/dataplane/doorbell";
import type { MeterBlock } from "../src/dataplane/meter-block";
import type { PortBlockStore } from "../src/dataplane/port-block-store";
import type { PortDoorbell } from "../src/dataplane/port-doorbell";
import type { PortRing } from "../src/dataplane/port-ring";
import type { SharedBlockStore } from "../src/dataplane/shared-block-store";
import type { DataRing, SpscRing } from "../src/dataplane/spsc-ring";
import type { TransportBlock } from "../src/dataplane/transport-block";
import type { ExternalProcessor } from "../src/engine/external-nodes";
import type { CompiledGraph } from "../src/engine/graph-compiler";
import type { GraphProgram } from "../src/engine/graph-program";
import type { ProcessorParamInfo, ProcessorTypeInfo } from "../src/engine/processor-types";
import type { RenderJobOutput } from "../src/engine/render-job";
import type { WasmEngine } from "../src/engine/wasm-engine";
import type { CompiledFaust, FaustFactory } from "../src/faust/compiler";
import type { FaustNode } from "../src/faust/faust-node";
import type { FaustJson, FaustLayout } from "../src/faust/layout";
import type { FaustRegistry } from "../src/faust/registry";
import type { AudioWorkletEngineClient } from "../src/hosts/audioworklet/audioworklet-client";
import type { CommandFeeder, FeederRing } from "../src/hosts/audioworklet/command-feeder";
import type { StageCompiler } from "../src/hosts/audioworklet/stage-latency";
import type { RoutedValue } from "../src/hosts/audioworklet/wam-parameter-route";
import type { BufferStore } from "../src/hosts/in-process/buffer-store";
import type { EnginePool } from "../src/hosts/in-process/engine-pool";
import type { InProcessEngineClient } from "../src/hosts/in-process/in-process-client";
import type { InProcessTransport } from "../src/hosts/in-process/in-process-transport";
import type { RemoteEngineClient } from "../src/hosts/worker/remote-client";
import type { ClipFades } from "../src/project/clip-fades";
import type { CompiledProject } from "../src/project/compile-project";
import type { EngineChange } from "../src/project/diff-compiled";
import type { ProjectEditor } from "../src/project/project-editor";
import type { PackedProject } from "../src/project/project-package";
import type {
  AudioClip,
  AudioSource,
  AudioTrack,
  InstrumentTrack,
  Project,
} from "../src/project/project-schema";
import type { AudioTakeRecorder } from "../src/studio/audio-take-recorder";
import type { OfflineEngine } from "../src/studio/offline-engine";
import type { WebdreamerStudio } from "../src/studio/studio-element";
import type { TakeRecorder } from "../src/studio/take-recorder";
import type { WaveformPeaks } from "../src/studio/waveform-peaks";
import type { TestDoubleEngineClient } from "../src/testing/test-double";
import type { WamConstructor, WamLoadPolicy } from "../src/wam/load-wam";
import type { PartitionedGraph } from "../src/wam/partition";
import type { WamNodeLike } from "../src/wam/wam-module";

export interface ExampleNames {
  /** The engine, as applications hold it. */
  client: EngineClient;
  engine: EngineClient;
  bootstrapper: EngineBootstrapper;
  /** A validated render request, its result, and a handle the engine issued. */
  request: RenderRequest;
  result: RenderResult;
  handle: BufferHandle;
  /** A graph as an application writes it. */
  graph: GraphDescriptorInput;
  /** Node types an application compiled (compileFaust) or discovered. */
  gain: NodeDescriptor;
  reverb: NodeDescriptor;
  /** Audio: one array per channel. */
  left: Float32Array;
  right: Float32Array;
  channels: Float32Array[];
  sampleRate: number;
  /** Declared, or an example would silently use the DOM's window.frames and Node's CommonJS module. */
  frames: number;
  /** The compiled engine.wasm. */
  module: WebAssembly.Module;
  /** Untrusted input: parsed JSON, a message, a caller's argument. */
  input: unknown;
  body: string;
  text: string;
  bytes: Uint8Array;
  /** Where messages come from and go. */
  port: MessagePort;
  channel: MessageChannel;
  received: { error: EngineErrorWire };
  controller: AbortController;
  /** Node's and Vitest's own. */
  readFile: typeof readFileFromDisk;
  expect: ExpectStatic;
  /** An application's own UI and callbacks. */
  bar: { update(fraction: number): void };
  badge: HTMLElement;
  showOfflineOnlyBadge(): void;
  paint(peaks: Float32Array): void;
  reload(): void;
  retryWithNewUpload(): void;
  resolve(id: number): void;
  apply(command: EngineCommand): void;
  render(): Promise<void>;
  takeRequest(handle: BufferHandle): RenderRequest;
}

export interface ExampleNameOverrides {
  "src/api/discovery-cache.ts": {
    cache: DiscoveryCache;
    /** A host's scan (EngineClientBase.scanNodes). */
    scanNodes(): Promise<PluginDiscoveryResult>;
  };
  "src/api/discovery-merge.ts": { own: PluginDiscoveryResult; rootScan: RootScan };
  "src/api/engine-client.ts": { engine: EngineClient & FaustCompiling };
  "src/api/realtime-client.ts": { engine: RealtimeEngineClient };
  "src/api/midi-recording.ts": { engine: RealtimeEngineClient; take: MidiRecording };
  "src/studio/audio-take-recorder.ts": {
    studio: WebdreamerStudio;
    take: InputTake;
    recorder: AudioTakeRecorder;
    engine: RealtimeEngineClient;
  };
  "src/project/recorded-midi-clip.ts": { take: MidiRecording };
  "src/audio-io/float32-wav-reader.ts": { reader: Float32WavReader };
  "src/audio-io/wav-stream.ts": { writer: WavStreamWriter; renderOneSecond(): Float32Array[] };
  "src/cli/": {
    progress: ProgressReporter;
    job: SessionRenderJob;
    jobs: SessionRenderJob[];
    /** Where a command writes (run-cli.ts's CliIo: stdout and stderr). */
    io: CliIo;
    /** A parsed `render` command line. */
    command: RenderCommand;
    /** Its inputs as sessionTargets found them. */
    targets: SessionTarget[];
    files: RenderFiles;
    /** The files of a render's first pass (normalize.ts). */
    firstPass: WrittenWav[];
    outcome: SessionRenderOutcome;
    summary: RunSummary;
    /** A project file's project (project-input.ts). */
    project: Project;
  };
  "src/components/": {
    engine: RealtimeEngineClient;
    player: WebdreamerPlayer;
    /** A Lit element that hosts controllers (`this` in its methods), and the player's controllers. */
    host: LitElement;
    hooks: RealtimeEngineHooks;
    realtime: RealtimeEngineController;
    meterView: LevelMeterController;
    control: ParameterControl;
    cutoff: ParameterControl;
    controls: ParameterControl[];
    values: Map<string, number>;
    meter: LevelMeter;
    reading: MeterReading;
    now: number;
    sender: ParameterSender;
    readout: TransportReadout;
    fields: ReadoutFields;
    canvas: HTMLCanvasElement;
    notice: HTMLElement;
    button: HTMLButtonElement;
    input: HTMLInputElement;
    slider: HTMLInputElement;
    tempoInput: HTMLInputElement;
  };
  "src/contracts/wam-node.ts": { node: GraphNode };
  "src/engine/live-input-node.ts": { node: GraphNode };
  "src/hosts/audioworklet/worklet-program.ts": {
    graph: GraphDescriptor;
    compiled: CompiledGraph;
    types: ProcessorTypeInfo[];
    readBuffer(handle: string): Promise<Float32Array[]>;
  };
  "src/hosts/audioworklet/stage-channels.ts": {
    probe: WasmEngine;
    graph: GraphDescriptor;
    compiled: CompiledGraph;
    audio: Float32Array[][];
  };
  "src/contracts/graph-semantics.ts": {
    graph: GraphDescriptor;
    assertKnown(handle: BufferHandle, path: string): void;
  };
  "src/dataplane/": {
    /** Audio: a block of interleaved samples; the bytes of one encoded command (a record, command-codec.ts). */
    block: Float32Array;
    commandRecord: Uint8Array;
    ring: SpscRing<Float32Array>;
    capture: DataRing<Float32Array>;
    commands: DataRing<Uint8Array>;
    commandRing: CommandRing;
    bell: Doorbell;
    plane: DataPlane;
    meters: MeterBlock;
    encoder: CommandEncoder;
    decoder: CommandDecoder;
    engineCommands: CommandVisitor;
    state: TransportSnapshot;
    values: Float64Array;
    runningChanged: boolean;
    /** The audio thread: the processor's options and the outputs of process(). */
    options: { processorOptions: { meters: SharedArrayBuffer; transport: SharedArrayBuffer } };
    outputs: Float32Array[][];
    node: AudioWorkletNode;
    worker: Worker;
    channels: number;
    dropped: number;
    sink(block: Float32Array): void;
  };
  "src/dataplane/data-plane.ts": {
    transportState: TransportState;
    message: { commands: RingHandle; bell: DoorbellHandle; transport: BlockHandle; meters: BlockHandle };
  };
  "src/dataplane/doorbell.ts": {
    message: { bell: SharedArrayBuffer };
    drainMeters(): void;
  };
  "src/dataplane/meter-block.ts": { drawBars(peak: Float32Array, rms: Float32Array): void };
  "src/dataplane/port-block-store.ts": { store: PortBlockStore };
  "src/dataplane/port-buffer.ts": { buffer: ArrayBuffer; receive(data: unknown): void };
  "src/dataplane/port-doorbell.ts": { bell: PortDoorbell; chunk: number; drain(): void };
  "src/dataplane/port-ring.ts": {
    ring: PortRing<Float32Array>;
    commands: PortRing<Uint8Array>;
    message: { commands: MessagePort };
    command: DataPlaneCommand;
    visitor: CommandVisitor;
    retryNextFrame(): void;
  };
  "src/dataplane/shared-block-store.ts": {
    store: SharedBlockStore;
    message: { block: SharedArrayBuffer };
    positionFrames: number;
    lastWrites: number;
    draw(values: Float64Array): void;
    redraw(): void;
  };
  "src/dataplane/spsc-ring.ts": {
    message: { ring: SharedArrayBuffer };
    transport: TransportSnapshot;
    captureRing: SpscRing<Float32Array>;
    channelCount: number;
    dropouts: number;
    retryLater(): void;
    skipThisBlock(): void;
  };
  "src/dataplane/transport-block.ts": { block: TransportBlock; playhead: HTMLElement };
  "src/engine/": {
    engine: WasmEngine;
    store: BufferStore;
    compiled: CompiledGraph;
    filterType: ProcessorTypeInfo;
    playbackType: ProcessorTypeInfo;
    samplerType: ProcessorTypeInfo;
    qParam: ProcessorParamInfo;
    modeParam: ProcessorParamInfo;
  };
  "src/engine/wasm-engine.ts": { faustNode: FaustNode; playbackNode: number; outputs: Float32Array[][] };
  "src/engine/recorded-automation.ts": { job: RenderJobOutput };
  "src/engine/source-node-resolution.ts": { processor: ExternalProcessor };
  "src/hosts/in-process/played-midi.ts": { compiled: CompiledGraph };
  "src/engine/node-resources.ts": { faustNode: FaustNode };
  "src/faust/": {
    compiled: CompiledFaust;
    gain: CompiledFaust;
    registry: FaustRegistry;
    layout: FaustLayout;
    json: FaustJson;
    factory: FaustFactory;
    js: string;
    wasm: string;
    data: string;
  };
  "src/faust/faust-node.ts": { engine: WasmEngine };
  "src/hosts/audioworklet/": {
    engine: AudioWorkletEngineClient;
    context: AudioContext;
    program: GraphProgram;
    types: ProcessorTypeInfo[];
    feeder: CommandFeeder;
    commandRing: FeederRing;
    /** The bytes of one encoded command (a record, command-codec.ts). */
    commandRecord: Uint8Array;
  };
  "src/hosts/audioworklet/stage-latency.ts": { plan: PartitionedGraph; compile: StageCompiler };
  "src/hosts/in-process/": {
    graph: GraphDescriptor;
    store: BufferStore;
    pool: EnginePool;
    transport: InProcessTransport;
    sessionId: string;
    start: number;
    started: number;
    handles: BufferHandle[];
    node: number;
  };
  "src/hosts/in-process/buffer-store.ts": { engine: WasmEngine };
  "src/hosts/in-process/in-process-client.ts": { client: InProcessEngineClient };
  "src/hosts/worker/": {
    engine: RemoteEngineClient;
    inProcessClient: InProcessEngineClient;
  };
  "src/project/": {
    project: Project;
    editor: ProjectEditor;
    /** What the engine plays, and the project compiled after an edit. */
    playing: CompiledProject;
    next: CompiledProject;
    change: EngineChange;
    track: AudioTrack;
    keys: InstrumentTrack;
    clip: AudioClip;
    source: AudioSource;
    fades: ClipFades;
    /** A project's audio by content id, a saved project's files, a file the user opened. */
    audio: ReadonlyMap<string, AudioData>;
    files: Map<string, Uint8Array>;
    packed: PackedProject;
    file: File;
    kick: Float32Array;
    /** An OPFS directory a project is saved in. */
    directory: FileSystemDirectoryHandle;
  };
  "src/studio/": {
    studio: WebdreamerStudio;
    project: Project;
    editor: ProjectEditor;
    audio: ReadonlyMap<string, AudioData>;
    offline: OfflineEngine;
    file: File;
    canvas: HTMLCanvasElement;
    peaks: WaveformPeaks;
    kick: Float32Array;
    playButton: HTMLButtonElement;
    pickFiles(accept: string): Promise<File[]>;
  };
  "src/studio/take-recorder.ts": { recorder: TakeRecorder; engine: RealtimeEngineClient };
  /** A playing WAM's node, and where its routed values go (the primary's port). */
  "src/hosts/audioworklet/wam-parameter-route.ts": {
    wamNode: WamNodeLike;
    post(values: RoutedValue[]): void;
  };
  "src/testing/": { client: TestDoubleEngineClient };
  "src/wam/": {
    graph: GraphDescriptor;
    /** The audio context plugins are created in, a plugin's module URL, class and instance. */
    context: BaseAudioContext;
    url: string;
    Plugin: WamConstructor;
    plugin: WebAudioModule;
    policy: WamLoadPolicy;
  };
}

export * as Comlink from "comlink";
export { createTransportSnapshot, DiscoveryCache, discoveryRootKey, ManualClock } from "../src/api";
export { EngineBootstrapper } from "../src/client/bootstrapper";
export { demoControls, demoGraph } from "../src/components/demo-graph";
export { GraphDescriptorSchema, parseContract, RenderRequestSchema } from "../src/contracts";
export { createBrowserEngine } from "../src/create-browser-engine";
export { createEngine } from "../src/create-engine";
export { PortBlockStore } from "../src/dataplane/port-block-store";
export { SharedBlockStore } from "../src/dataplane/shared-block-store";
export { TRANSPORT_BLOCK_LENGTH, TransportBlock } from "../src/dataplane/transport-block";
export { applyGraphProgram } from "../src/engine/graph-program";
export { readDspFolderFromDisk } from "../src/faust/dsp-folder-nodejs";
export { loadLibFaustFromDisk } from "../src/faust/libfaust-nodejs";
export { FaustRegistry } from "../src/faust/registry";
export { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";
export { InProcessEngineClient } from "../src/hosts/in-process/in-process-client";
export { EngineHost } from "../src/hosts/worker/engine-host";
export type { EngineHostApi } from "../src/protocol/main-worker";
export type { WorkerToWorkletMessage } from "../src/protocol/worker-to-worklet";
export type { WorkletToWorkerMessage } from "../src/protocol/worklet-to-worker";
export { testDoubleHostFactory } from "../src/testing/test-double";
export { loadWamModule } from "../src/wam/load-wam";
export { createWamHostGroup } from "../src/wam/wam-host-group";
