/**
 * The AudioWorklet host: instantiates engine.wasm synchronously from the compiled module passed in
 * processorOptions and renders one quantum per process() call. Business logic lives elsewhere: the
 * transport and command timing in LiveEngine (src/engine/live-engine.ts), the data plane in
 * src/dataplane/.
 *
 * Two ways to run:
 * - fixed: processorOptions.program (and buffers) is rendered from frame 0 while the context runs
 *   (the platform smoke test, comparison pages, offline contexts);
 * - live: control messages (below) connect the data plane and load graphs; commands arrive through
 *   the command ring, and every quantum publishes the transport block and the meters.
 *
 * Control messages (node.port, or a port handed over with "connect-control"), never per quantum:
 *   connect-live {transport, meters}        main thread: where to publish state
 *   connect-control {port}                  a direct channel from the engine Worker
 *   connect-commands {commands, capture, bell}   from the Worker: command ring in, capture ring out
 *   load {id, program, buffers}             a new graph (transport position and state kept)
 *   capture {id, frames}                    copy the next `frames` frames played into the capture ring
 *   restart {}                              after a fault: a fresh engine with the last graph
 *   trap-for-testing {}                     make the next quantum trap inside the engine
 * Replies: ready, loaded {id}, fault {message}, restarted, captured {id, frames, lost}.
 *
 * Audio-path rules: process() allocates nothing, takes no lock, never waits and posts no message
 * per quantum (only on a fault or at the end of a capture).
 */
import type { CommandRing } from "../src/dataplane/command-codec";
import { CommandDecoder } from "../src/dataplane/command-codec";
import type { RingBell } from "../src/dataplane/doorbell";
import {
  type DoorbellHandle,
  openDoorbell,
  openMeterBlock,
  openRing,
  openTransportBlock,
  type RecordHandle,
  type RingHandle,
} from "../src/dataplane/index";
import type { MeterBlock } from "../src/dataplane/meter-block";
import type { DataRing } from "../src/dataplane/spsc-ring";
import { createTransportSnapshot, type TransportBlock } from "../src/dataplane/transport-block";
import {
  applyGraphProgram,
  type ClonedFaustNode,
  type ExternalNodeSpec,
  type GraphProgram,
} from "../src/engine/graph-program";
import { LiveEngine } from "../src/engine/live-engine";
import { instantiateEngine, WasmEngine } from "../src/engine/wasm-engine";
import { createFaustNode, type FaustDspCode, type SoundfilePart } from "../src/faust/faust-node";

export interface EngineProcessorOptions {
  module: WebAssembly.Module;
  program?: GraphProgram;
  blockSize?: number;
  /** Audio the program refers to as engine buffer ids 0, 1, ... (planar channels each). */
  buffers?: Float32Array[][];
  /** Live mode: the transport waits for commands instead of playing the program at once. */
  live?: boolean;
}

type ControlMessage =
  | { type: "connect-live"; transport: RecordHandle; meters: RecordHandle }
  | { type: "connect-control"; port: MessagePort }
  | { type: "connect-commands"; commands: RingHandle; capture: RingHandle; bell: DoorbellHandle }
  | { type: "load"; id: number; program: GraphProgram; buffers: Float32Array[][] }
  | { type: "capture"; id: number; frames: number }
  | { type: "restart" }
  | { type: "trap-for-testing" };

const CAPTURE_CHUNK = 128;

/** A Faust node sent as data (compiled code and soundfile audio), rebuilt on this thread. */
function rebuildFaustNode(faust: ClonedFaustNode): ExternalNodeSpec {
  const soundfiles = new Map(faust.soundfiles as [string, SoundfilePart[]][]);
  return {
    nodeId: faust.nodeId,
    numOutputs: faust.numOutputs,
    params: faust.params,
    create: () => createFaustNode(faust.code as FaustDspCode, soundfiles),
  };
}

class EngineProcessor extends AudioWorkletProcessor {
  private readonly module: WebAssembly.Module;
  private readonly blockSize: number;
  private engine: WasmEngine | null = null;
  private live: LiveEngine | null = null;
  private program: GraphProgram | null = null;
  private buffers: Float32Array[][] = [];
  private bufferIds: number[] = [];
  private faulted = false;
  private trapNext = false;
  // Data plane (live mode).
  private transport: TransportBlock | null = null;
  private meters: MeterBlock | null = null;
  private commands: DataRing<Uint8Array> | null = null;
  private capture: DataRing<Float32Array> | null = null;
  private bell: RingBell | null = null;
  private readonly decoder = new CommandDecoder();
  private readonly snapshot = createTransportSnapshot();
  private control: MessagePort | null = null;
  // The capture in progress: frames still to copy, and frames the ring could not take.
  private captureId = 0;
  private captureLeft = 0;
  private captureLost = 0;
  private captureFrames = 0;
  private readonly captureChunk = new Float32Array(CAPTURE_CHUNK * 2);

  constructor(options: { processorOptions: EngineProcessorOptions }) {
    super();
    const { module, program, blockSize, buffers, live } = options.processorOptions;
    this.module = module;
    this.blockSize = blockSize ?? 128;
    this.port.onmessage = (event: MessageEvent<ControlMessage>) => this.onControl(event.data, this.port);
    try {
      this.startEngine(program ?? null, buffers ?? []);
      if (!live && this.live) this.live.play(-1);
      this.port.postMessage({ type: "ready", outputChannels: this.engine?.outputChannels ?? 0 });
    } catch (error) {
      // A node that cannot start outputs silence and says why once, instead of throwing into the
      // audio thread.
      this.port.postMessage({ type: "error", message: String((error as Error).message ?? error) });
    }
  }

  /** Control: a fresh engine instance running `program` (or an empty graph until one is loaded). */
  private startEngine(program: GraphProgram | null, buffers: Float32Array[][]): void {
    this.engine?.destroy();
    this.bufferIds = [];
    const engine = new WasmEngine(instantiateEngine(this.module), sampleRate, this.blockSize);
    this.engine = engine;
    this.live ??= new LiveEngine(engine, sampleRate);
    this.applyProgram(program, buffers);
  }

  private applyProgram(program: GraphProgram | null, buffers: Float32Array[][]): void {
    const engine = this.engine as WasmEngine;
    engine.clear();
    for (const id of this.bufferIds) engine.releaseBuffer(id);
    // With every earlier buffer released, the engine issues ids 0, 1, ... in creation order: the
    // ids the program uses.
    this.bufferIds = buffers.map((channels) => engine.createBuffer(channels, sampleRate));
    this.program = program;
    this.buffers = buffers;
    const nodes = program ? applyGraphProgram(engine, program, rebuildFaustNode).length : 0;
    (this.live as LiveEngine).clearQueue();
    (this.live as LiveEngine).attach(engine, nodes);
  }

  private onControl(message: ControlMessage, reply: MessagePort): void {
    switch (message.type) {
      case "connect-live":
        this.transport = openTransportBlock(message.transport);
        this.meters = openMeterBlock(message.meters);
        this.snapshot.sampleRate = sampleRate;
        return;
      case "connect-control":
        this.control = message.port;
        this.control.onmessage = (event: MessageEvent<ControlMessage>) =>
          this.onControl(event.data, this.control as MessagePort);
        return;
      case "connect-commands":
        this.commands = openRing(message.commands, Uint8Array);
        this.capture = openRing(message.capture, Float32Array);
        this.bell = openDoorbell(message.bell);
        return;
      case "load":
        try {
          this.applyProgram(message.program, message.buffers);
          reply.postMessage({ type: "loaded", id: message.id });
        } catch (error) {
          reply.postMessage({
            type: "load-failed",
            id: message.id,
            message: String((error as Error).message),
          });
        }
        return;
      case "capture":
        this.captureId = message.id;
        this.captureLeft = message.frames;
        this.captureFrames = 0;
        this.captureLost = 0;
        this.captureReply = reply;
        if (message.id !== 0) reply.postMessage({ type: "capture-armed", id: message.id });
        return;
      case "restart":
        this.startEngine(this.program, this.buffers);
        this.faulted = false;
        this.port.postMessage({ type: "restarted" });
        return;
      case "trap-for-testing":
        this.trapNext = true;
        return;
    }
  }

  private captureReply: MessagePort | null = null;

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const output = outputs[0];
    const live = this.live;
    if (!output || !live || output.length === 0) return true;
    const frames = (output[0] as Float32Array).length;
    if (this.commands) this.decoder.decode(this.commands as unknown as CommandRing, live);
    if (this.faulted) {
      for (let c = 0; c < output.length; c++) (output[c] as Float32Array).fill(0);
    } else {
      try {
        if (this.trapNext) {
          this.trapNext = false;
          this.engine?.exports.wd_trap_for_testing();
        }
        live.renderQuantum(output, frames);
      } catch (error) {
        // An engine trap must not kill the node: one error event, silence until a restart.
        this.faulted = true;
        for (let c = 0; c < output.length; c++) (output[c] as Float32Array).fill(0);
        this.port.postMessage({ type: "fault", message: String((error as Error)?.message ?? error) });
      }
    }
    this.publish(output, frames);
    return true;
  }

  /** Per quantum: transport block, meters, and the capture in progress. */
  private publish(output: Float32Array[], frames: number): void {
    const live = this.live as LiveEngine;
    if (this.transport) {
      const s = this.snapshot;
      s.quantum++;
      s.positionFrames = live.positionFrames;
      s.positionSeconds = live.positionFrames / sampleRate;
      s.positionBeats = live.positionBeats;
      s.tempoBpm = live.bpm;
      s.running = live.running && !this.faulted;
      s.loopEnabled = live.loopEnabled;
      s.loopStartFrames = live.loopStart;
      s.loopEndFrames = live.loopEnd;
      s.quantumFrames = frames;
      s.ringOverflows = (this.capture?.overflowCount() ?? 0) + live.droppedCommands;
      s.lateCommands = live.lateCommands;
      s.badCommands = live.badCommands + this.decoder.badCommands;
      this.transport.write(s);
    }
    this.meters?.measure(output, frames);
    if (this.captureLeft > 0 && this.capture && this.snapshot.running) this.captureQuantum(output, frames);
  }

  private captureQuantum(output: Float32Array[], frames: number): void {
    const capture = this.capture as DataRing<Float32Array>;
    const n = Math.min(frames, this.captureLeft, CAPTURE_CHUNK);
    const left = output[0] as Float32Array;
    const right = (output[1] ?? output[0]) as Float32Array;
    const chunk = this.captureChunk;
    for (let i = 0; i < n; i++) {
      chunk[2 * i] = left[i] as number;
      chunk[2 * i + 1] = right[i] as number;
    }
    const written = capture.push(chunk, 2 * n);
    this.captureLost += n - Math.floor(written / 2);
    this.captureFrames += n;
    this.captureLeft -= n;
    this.bell?.ring();
    if (this.captureLeft === 0) {
      // Over MessagePorts, send the last partly filled chunk now (a shared ring has no flush).
      (capture as { flush?: () => void }).flush?.();
      this.captureReply?.postMessage({
        type: "captured",
        id: this.captureId,
        frames: this.captureFrames,
        lost: this.captureLost,
      });
    }
  }
}

registerProcessor("webdreamer-engine", EngineProcessor);
