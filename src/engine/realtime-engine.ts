/**
 * RealtimeEngine: the real-time transport around a WasmEngine, run once per render quantum on the audio
 * thread (the AudioWorklet host calls it; tests call it directly in Node).
 *
 * It is the CommandVisitor of the command ring: decoded commands either apply now or wait in a fixed
 * queue for their transport frame, and each quantum is split where a command, a loop end or a tempo
 * ramp lands, so every change happens on its exact frame.
 *
 * Timing semantics (documented in docs/realtime.md):
 * - `atFrame` is a transport frame; -1 means "now". A command whose frame has already passed applies
 *   at once and counts as late. While the transport is stopped it does not advance, so transport
 *   commands (play, pause, stop, seek, loop, tempo) apply at once then.
 * - stop = pause and rewind to frame 0. Loop: reaching loopEnd jumps to loopStart on that frame; a
 *   playhead already past the loop's end when it is set jumps at the next piece.
 * - Beats advance with the tempo (ramps integrate exactly: linear in time); a seek recomputes the
 *   beat position at the current tempo.
 *
 * Audio-path rules: nothing here allocates after construction; nothing throws out of the visitor
 * (bad indices are counted in badCommands). renderQuantum throws only when the engine cannot play
 * its graph, which the host reports as a fault.
 */
import { CommandType, type CommandVisitor } from "../dataplane/command-codec";
import type { WasmEngine } from "./wasm-engine";

/** Pending timed commands at most; beyond that a command is dropped and counted. */
export const COMMAND_QUEUE_CAPACITY = 1024;

/** Queued commands keep the command ring's own type codes. */
type Kind = (typeof CommandType)[keyof typeof CommandType];
const Kind = {
  SetParameter: CommandType.set_parameter,
  Midi: CommandType.midi,
  Play: CommandType.play,
  Pause: CommandType.pause,
  Stop: CommandType.stop,
  Seek: CommandType.seek,
  SetLoop: CommandType.set_loop,
  SetTempo: CommandType.set_tempo,
} as const;

export class RealtimeEngine implements CommandVisitor {
  running = false;
  positionFrames = 0;
  positionBeats = 0;
  bpm = 120;
  loopEnabled = false;
  loopStart = 0;
  loopEnd = 0;
  lateCommands = 0;
  badCommands = 0;
  droppedCommands = 0;

  private rampTarget = 120;
  private rampFramesLeft = 0;
  // The timed-command queue: parallel typed arrays sorted by frame (stable), no objects.
  private readonly qFrame = new Float64Array(COMMAND_QUEUE_CAPACITY);
  private readonly qKind = new Uint8Array(COMMAND_QUEUE_CAPACITY);
  private readonly qA = new Float64Array(COMMAND_QUEUE_CAPACITY);
  private readonly qB = new Float64Array(COMMAND_QUEUE_CAPACITY);
  private readonly qC = new Float64Array(COMMAND_QUEUE_CAPACITY);
  private readonly qD = new Float64Array(COMMAND_QUEUE_CAPACITY);
  private qLength = 0;
  private nodeCount = 0;

  constructor(
    private engine: WasmEngine,
    readonly sampleRate: number,
  ) {}

  /** Control: a new engine instance or graph; `nodeCount` bounds the node indices commands may use. */
  attach(engine: WasmEngine, nodeCount: number): void {
    this.engine = engine;
    this.nodeCount = nodeCount;
    this.engine.seek(this.positionFrames);
  }

  /** Control: drops every pending command (a new graph makes their node indices meaningless). */
  clearQueue(): void {
    this.qLength = 0;
  }

  // ---- CommandVisitor (audio thread) ----

  setParameter(node: number, param: number, value: number, atFrame: number): void {
    this.schedule(Kind.SetParameter, atFrame, node, param, value, 0);
  }
  midi(node: number, status: number, data1: number, data2: number, atFrame: number): void {
    this.schedule(Kind.Midi, atFrame, node, status, data1, data2);
  }
  play(atFrame: number): void {
    this.schedule(Kind.Play, atFrame, 0, 0, 0, 0);
  }
  pause(atFrame: number): void {
    this.schedule(Kind.Pause, atFrame, 0, 0, 0, 0);
  }
  stop(atFrame: number): void {
    this.schedule(Kind.Stop, atFrame, 0, 0, 0, 0);
  }
  seek(positionFrame: number, atFrame: number): void {
    this.schedule(Kind.Seek, atFrame, positionFrame, 0, 0, 0);
  }
  setLoop(startFrame: number, endFrame: number, enabled: boolean, atFrame: number): void {
    this.schedule(Kind.SetLoop, atFrame, startFrame, endFrame, enabled ? 1 : 0, 0);
  }
  setTempo(bpm: number, rampFrames: number, atFrame: number): void {
    this.schedule(Kind.SetTempo, atFrame, bpm, rampFrames, 0, 0);
  }

  /**
   * Audio: renders one quantum into `outputs` (Web Audio channels). A mono engine output fills
   * every channel; a stopped transport outputs silence and does not advance.
   */
  renderQuantum(outputs: Float32Array[], frames: number): void {
    let done = 0;
    while (done < frames) {
      this.applyDue();
      let n = frames - done;
      // A loop switched on (or moved) behind the playhead wraps at once, as a DAW's would.
      if (
        this.running &&
        this.loopEnabled &&
        this.loopEnd > this.loopStart &&
        this.positionFrames >= this.loopEnd
      ) {
        this.moveTo(this.loopStart);
      }
      if (this.running) {
        if (this.qLength > 0) n = Math.min(n, Math.max(1, (this.qFrame[0] as number) - this.positionFrames));
        if (this.loopEnabled && this.loopEnd > this.loopStart && this.positionFrames < this.loopEnd) {
          n = Math.min(n, this.loopEnd - this.positionFrames);
        }
        this.renderPiece(outputs, done, n);
      } else {
        for (let c = 0; c < outputs.length; c++) (outputs[c] as Float32Array).fill(0, done, done + n);
      }
      done += n;
    }
  }

  private renderPiece(outputs: Float32Array[], offset: number, n: number): void {
    const engine = this.engine;
    // An attached graph always renders whole pieces; fewer frames means it is not the prepared graph
    // it should be, and silence must not pass for its sound (the host reports a fault instead).
    if (engine.render(n) !== n && this.nodeCount > 0) {
      throw new Error(
        `the engine rendered no audio for its ${this.nodeCount}-node graph (it is not prepared)`,
      );
    }
    const sources = engine.outputChannels;
    for (let c = 0; c < outputs.length; c++) {
      const target = outputs[c] as Float32Array;
      if (sources === 0) {
        target.fill(0, offset, offset + n);
        continue;
      }
      const channel = c < sources ? c : sources - 1;
      if (offset === 0 && n === target.length) {
        // The common case, a whole quantum: one copy from a cached view (allocation-free).
        target.set(engine.outputQuantum(channel, n));
        continue;
      }
      // A split quantum: an index loop, since a subarray per piece would allocate.
      const source = engine.outputChannel(channel);
      for (let i = 0; i < n; i++) target[offset + i] = source[i] as number;
    }
    this.advance(n);
  }

  private advance(n: number): void {
    const startBpm = this.bpm;
    if (this.rampFramesLeft > 0) {
      const step = Math.min(n, this.rampFramesLeft);
      this.bpm += ((this.rampTarget - this.bpm) * step) / this.rampFramesLeft;
      this.rampFramesLeft -= step;
      if (this.rampFramesLeft === 0) this.bpm = this.rampTarget;
    }
    this.positionBeats += (n * (startBpm + this.bpm)) / 2 / 60 / this.sampleRate;
    this.positionFrames += n;
    if (this.loopEnabled && this.loopEnd > this.loopStart && this.positionFrames === this.loopEnd) {
      this.moveTo(this.loopStart);
    }
  }

  private moveTo(frame: number): void {
    this.positionFrames = frame;
    this.positionBeats = (frame / this.sampleRate) * (this.bpm / 60);
    this.engine.seek(frame);
  }

  private schedule(kind: Kind, frame: number, a: number, b: number, c: number, d: number): void {
    const atFrame = Math.round(frame);
    const isTransport = kind !== Kind.SetParameter && kind !== Kind.Midi;
    if (atFrame < 0 || (isTransport && !this.running)) {
      this.apply(kind, a, b, c, d);
      return;
    }
    if (atFrame < this.positionFrames) {
      this.lateCommands++;
      this.apply(kind, a, b, c, d);
      return;
    }
    if (this.qLength === COMMAND_QUEUE_CAPACITY) {
      this.droppedCommands++;
      return;
    }
    // Insert after every command at the same or an earlier frame: equal frames keep arrival order.
    let i = this.qLength;
    while (i > 0 && (this.qFrame[i - 1] as number) > atFrame) {
      this.qFrame[i] = this.qFrame[i - 1] as number;
      this.qKind[i] = this.qKind[i - 1] as number;
      this.qA[i] = this.qA[i - 1] as number;
      this.qB[i] = this.qB[i - 1] as number;
      this.qC[i] = this.qC[i - 1] as number;
      this.qD[i] = this.qD[i - 1] as number;
      i--;
    }
    this.qFrame[i] = atFrame;
    this.qKind[i] = kind;
    this.qA[i] = a;
    this.qB[i] = b;
    this.qC[i] = c;
    this.qD[i] = d;
    this.qLength++;
  }

  private applyDue(): void {
    while (this.qLength > 0 && (this.qFrame[0] as number) <= this.positionFrames) {
      const kind = this.qKind[0] as Kind;
      const a = this.qA[0] as number;
      const b = this.qB[0] as number;
      const c = this.qC[0] as number;
      const d = this.qD[0] as number;
      this.qLength--;
      this.qFrame.copyWithin(0, 1, this.qLength + 1);
      this.qKind.copyWithin(0, 1, this.qLength + 1);
      this.qA.copyWithin(0, 1, this.qLength + 1);
      this.qB.copyWithin(0, 1, this.qLength + 1);
      this.qC.copyWithin(0, 1, this.qLength + 1);
      this.qD.copyWithin(0, 1, this.qLength + 1);
      this.apply(kind, a, b, c, d);
    }
  }

  private apply(kind: Kind, a: number, b: number, c: number, d: number): void {
    switch (kind) {
      case Kind.SetParameter: {
        if (!(a >= 0 && a < this.nodeCount)) {
          this.badCommands++;
          return;
        }
        const code = this.engine.exports.wd_node_set_param(this.engineHandle(), a, b, c);
        if (code !== 0) this.badCommands++;
        return;
      }
      case Kind.Midi: {
        if (!(a >= 0 && a < this.nodeCount)) {
          this.badCommands++;
          return;
        }
        this.engine.exports.wd_node_midi_now(this.engineHandle(), a, b, c, d);
        return;
      }
      case Kind.Play:
        this.running = true;
        return;
      case Kind.Pause:
        this.running = false;
        return;
      case Kind.Stop:
        this.running = false;
        this.moveTo(0);
        return;
      case Kind.Seek:
        this.moveTo(Math.max(0, Math.round(a)));
        return;
      case Kind.SetLoop:
        this.loopStart = Math.max(0, Math.round(a));
        this.loopEnd = Math.max(0, Math.round(b));
        this.loopEnabled = c === 1;
        return;
      case Kind.SetTempo:
        if (!(a > 0)) {
          this.badCommands++;
          return;
        }
        if (b > 0) {
          this.rampTarget = a;
          this.rampFramesLeft = Math.round(b);
        } else {
          this.bpm = this.rampTarget = a;
          this.rampFramesLeft = 0;
        }
        return;
    }
  }

  private engineHandle(): number {
    return this.engine.handleForAudioThread;
  }
}
