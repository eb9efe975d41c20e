/**
 * EngineProcessor: the AudioWorklet host's audio-thread half. It instantiates engine.wasm
 * synchronously from the compiled module in processorOptions and renders one quantum per process()
 * call. The transport and command timing live in RealtimeEngine (src/engine/realtime-engine.ts), the
 * rings and blocks in src/dataplane/; worklet/engine-processor.ts registers this class.
 *
 * Two ways to run (EngineProcessorOptions.followCommands):
 * - fixed: processorOptions.program (and buffers) plays from frame 0 while the context runs (the
 *   platform smoke test, comparison pages, offline contexts);
 * - real time: the main thread connects the transport and meter blocks and hands over a control port
 *   (MainToWorkletMessage); the engine Worker connects the rings, loads graphs and arms captures on it
 *   (WorkerToWorkletMessage); commands arrive through the command ring; every quantum publishes the
 *   transport block and the meters.
 *
 * Audio-path rules: process() allocates nothing, takes no lock, never waits and posts no message
 * per quantum (only on a fault or at the end of a capture).
 */

import { createTransportSnapshot } from "../../api/realtime-readings";
import { CommandDecoder } from "../../dataplane/command-codec";
import { openDoorbell, openMeterBlock, openRing, openTransportBlock } from "../../dataplane/data-plane";
import type { RingBell } from "../../dataplane/doorbell";
import type { MeterBlock } from "../../dataplane/meter-block";
import type { DataRing } from "../../dataplane/spsc-ring";
import type { TransportBlock } from "../../dataplane/transport-block";
import { instantiateEngine } from "../../engine/engine-module";
import {
  applyGraphProgram,
  type ClonedFaustNode,
  type ExternalNodeSpec,
  type GraphProgram,
} from "../../engine/graph-program";
import { RealtimeEngine } from "../../engine/realtime-engine";
import { WasmEngine } from "../../engine/wasm-engine";
import { createFaustNode, type FaustDspCode, type SoundfilePart } from "../../faust/faust-node";
import type { EngineProcessorOptions, MainToWorkletMessage } from "../../protocol/main-to-worklet";
import type { TypedPort } from "../../protocol/typed-port";
import type { WorkerToWorkletMessage } from "../../protocol/worker-to-worklet";
import type { WorkletToMainMessage } from "../../protocol/worklet-to-main";
import type { WorkletToWorkerMessage } from "../../protocol/worklet-to-worker";

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

export class EngineProcessor extends AudioWorkletProcessor {
  private readonly module: WebAssembly.Module;
  private readonly blockSize: number;
  private readonly main: TypedPort<WorkletToMainMessage, MainToWorkletMessage>;
  private engine: WasmEngine | null = null;
  private realtime: RealtimeEngine | null = null;
  private program: GraphProgram | null = null;
  private buffers: Float32Array[][] = [];
  private bufferIds: number[] = [];
  private faulted = false;
  private trapNext = false;
  // Data plane (real-time mode).
  private transport: TransportBlock | null = null;
  /** The engine Worker's copy of the transport block (its command flow control reads it). */
  private progress: TransportBlock | null = null;
  private meters: MeterBlock | null = null;
  private commands: DataRing<Uint8Array> | null = null;
  private capture: DataRing<Float32Array> | null = null;
  private bell: RingBell | null = null;
  private readonly decoder = new CommandDecoder();
  private readonly snapshot = createTransportSnapshot();
  private worker: TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage> | null = null;
  // The capture in progress: frames still to copy, and frames the ring could not take.
  private captureId = 0;
  private captureLeft = 0;
  private captureLost = 0;
  private captureFrames = 0;
  private readonly captureChunk = new Float32Array(CAPTURE_CHUNK * 2);

  constructor(options: { processorOptions: EngineProcessorOptions }) {
    super();
    const { module, program, blockSize, buffers, followCommands } = options.processorOptions;
    this.module = module;
    this.blockSize = blockSize ?? 128;
    this.main = this.port;
    this.main.onmessage = (event) => this.onMainMessage(event.data);
    try {
      this.startEngine(program ?? null, buffers ?? []);
      if (!followCommands && this.realtime) this.realtime.play(-1);
      this.main.postMessage({ type: "ready", outputChannels: this.engine?.outputChannels ?? 0 });
    } catch (error) {
      // A node that cannot start outputs silence and says why once, instead of throwing into the
      // audio thread.
      this.main.postMessage({ type: "error", message: String((error as Error).message ?? error) });
    }
  }

  /** Control: a fresh engine instance running `program` (or an empty graph until one is loaded). */
  private startEngine(program: GraphProgram | null, buffers: Float32Array[][]): void {
    this.engine?.destroy();
    this.bufferIds = [];
    const engine = new WasmEngine(instantiateEngine(this.module), sampleRate, this.blockSize);
    this.engine = engine;
    this.realtime ??= new RealtimeEngine(engine, sampleRate);
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
    const realtime = this.realtime as RealtimeEngine;
    realtime.clearQueue();
    realtime.attach(engine, nodes);
  }

  /** Control: a message from the main thread. */
  private onMainMessage(message: MainToWorkletMessage): void {
    switch (message.type) {
      case "connect-blocks":
        this.transport = openTransportBlock(message.transport);
        this.meters = openMeterBlock(message.meters);
        this.snapshot.sampleRate = sampleRate;
        return;
      case "connect-control": {
        const worker: TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage> = message.port;
        worker.onmessage = (event) => this.onWorkerMessage(event.data);
        this.worker = worker;
        return;
      }
      case "restart":
        this.startEngine(this.program, this.buffers);
        this.faulted = false;
        this.main.postMessage({ type: "restarted" });
        return;
      case "trap-for-testing":
        this.trapNext = true;
        return;
    }
  }

  /** Control: a message from the engine Worker, on the control port. */
  private onWorkerMessage(message: WorkerToWorkletMessage): void {
    const worker = this.worker as TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage>;
    switch (message.type) {
      case "connect-commands":
        this.commands = openRing(message.commands, Uint8Array);
        this.capture = openRing(message.capture, Float32Array);
        this.bell = openDoorbell(message.bell);
        this.progress = openTransportBlock(message.progress);
        this.snapshot.sampleRate = sampleRate;
        return;
      case "load":
        // Records sent before the load name the old graph's nodes: apply or queue them first, so the
        // load clears (and counts) those still queued instead of playing them on the new graph.
        if (this.commands && this.realtime) this.decoder.decode(this.commands, this.realtime);
        if (this.realtime) this.realtime.droppedCommands += message.discarded;
        try {
          this.applyProgram(message.program, message.buffers);
          worker.postMessage({ type: "loaded", id: message.id });
        } catch (error) {
          worker.postMessage({
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
        if (message.id !== 0) worker.postMessage({ type: "capture-armed", id: message.id });
        return;
    }
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const output = outputs[0];
    const realtime = this.realtime;
    if (!output || !realtime || output.length === 0) return true;
    const frames = (output[0] as Float32Array).length;
    if (this.commands) this.decoder.decode(this.commands, realtime);
    if (this.faulted) {
      for (let c = 0; c < output.length; c++) (output[c] as Float32Array).fill(0);
    } else {
      try {
        if (this.trapNext) {
          this.trapNext = false;
          this.engine?.exports.wd_trap_for_testing();
        }
        realtime.renderQuantum(output, frames);
      } catch (error) {
        // An engine trap must not kill the node: one error event, silence until a restart.
        this.faulted = true;
        for (let c = 0; c < output.length; c++) (output[c] as Float32Array).fill(0);
        this.main.postMessage({ type: "fault", message: String((error as Error)?.message ?? error) });
      }
    }
    this.publish(output, frames);
    return true;
  }

  /** Per quantum: transport block, meters, and the capture in progress. */
  private publish(output: Float32Array[], frames: number): void {
    const realtime = this.realtime as RealtimeEngine;
    if (this.transport || this.progress) {
      const s = this.snapshot;
      s.quantum++;
      s.positionFrames = realtime.positionFrames;
      s.positionSeconds = realtime.positionFrames / sampleRate;
      s.positionBeats = realtime.positionBeats;
      s.tempoBpm = realtime.bpm;
      s.running = realtime.running && !this.faulted;
      s.loopEnabled = realtime.loopEnabled;
      s.loopStartFrames = realtime.loopStart;
      s.loopEndFrames = realtime.loopEnd;
      s.quantumFrames = frames;
      s.ringOverflows = (this.capture?.overflowCount() ?? 0) + (this.commands?.overflowCount() ?? 0);
      s.lateCommands = realtime.lateCommands;
      s.badCommands = realtime.badCommands + this.decoder.badCommands;
      s.droppedCommands = realtime.droppedCommands;
      s.appliedCommands = realtime.appliedCommands;
      s.timedCommandsDone = realtime.timedCommandsDone;
      this.transport?.write(s);
      this.progress?.write(s);
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
      capture.flush?.();
      this.worker?.postMessage({
        type: "captured",
        id: this.captureId,
        frames: this.captureFrames,
        lost: this.captureLost,
      });
    }
  }
}
