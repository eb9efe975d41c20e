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
 * - Monitoring (off unless set_monitoring turns it on): while the transport is stopped the engine
 *   renders the graph with the timeline held (WasmEngine.renderHeld): live MIDI sounds and tails ring
 *   out, the position, timeline MIDI, automation and clip playback stand still. Off, a stopped
 *   transport outputs silence and the engine is not called. A transport stopping while monitoring
 *   (and monitoring turned on while stopped) releases the notes the timeline left on.
 *
 * Counters (published in the transport block; docs/reliability.md, "Real-time commands"): every
 * command that reaches the visitor ends in exactly one of appliedCommands (late ones also counted in
 * lateCommands), badCommands or droppedCommands, or is still queued. timedCommandsDone counts the
 * timed commands (atFrame >= 0) no longer held here: the engine Worker's flow control reads it.
 *
 * Audio-path rules: nothing here allocates after construction; nothing throws out of the visitor
 * (bad indices are counted in badCommands). renderQuantum throws only when the engine cannot play
 * its graph, which the host reports as a fault.
 */
import { CommandType, type CommandVisitor } from "../dataplane/command-codec";
import { TimedCommandQueue } from "./timed-command-queue";
import type { WasmEngine } from "./wasm-engine";

/**
 * Timed commands the audio thread holds at most. The engine Worker never has more than this many
 * timed commands sent and not done (command-feeder.ts), so the queue never overflows; a push it
 * refuses anyway is counted in droppedCommands.
 */
export const COMMAND_QUEUE_CAPACITY = 4096;

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
  LiveMidi: CommandType.live_midi,
  SetMonitoring: CommandType.set_monitoring,
} as const;

/**
 * Audio: sees each piece the engine renders while the transport runs, right after the engine
 * rendered it (its staging buffers hold the piece's frames), before the transport advances. A live
 * render's capture (live-capture-tap.ts) copies the nodes it was asked for here, since a quantum split
 * at a command's frame leaves only its last piece in the staging buffers. Must not allocate.
 */
export interface PieceTap {
  /** `frames` frames were rendered into quantum offset `offset`, from transport frame `positionFrame`. */
  piece(offset: number, frames: number, positionFrame: number): void;
}

/**
 * Audio: sees every MIDI message sent to the running engine (sendMidi, and scheduleEvents' scheduled
 * ones) as it applies, on the frame it applies on: a MIDI recording (midi-record-tap.ts) keeps them.
 * Must not allocate.
 */
export interface LiveMidiTap {
  /**
   * Message `status`, `data1`, `data2` reached node `node` (its index plus the engine's midiTapBase)
   * on transport frame `frame`, when the transport had played `playedFrames` frames (playedFrames);
   * `scheduled`: it came from scheduleEvents, not a live message.
   */
  liveMidi(
    node: number,
    status: number,
    data1: number,
    data2: number,
    frame: number,
    playedFrames: number,
    scheduled: boolean,
  ): void;
}

export class RealtimeEngine implements CommandVisitor {
  /** Control: set while a live render captures (null otherwise); called once per rendered piece. */
  pieceTap: PieceTap | null = null;
  /** Control: the node meters (node-meter-tap.ts), told of every piece rendered, playing or monitoring. */
  meterTap: PieceTap | null = null;
  /** Control: told of every live MIDI message applied (null: nobody records). */
  midiTap: LiveMidiTap | null = null;
  /** Added to node indices given to midiTap: a WAM graph's stage numbers its nodes from its group base. */
  midiTapBase = 0;
  running = false;
  /**
   * Whether a stopped transport renders the graph with the timeline held (monitoring) instead of
   * outputting silence. Set by set_monitoring; a stage following a leader takes the leader's.
   */
  monitoring = false;
  positionFrames = 0;
  positionBeats = 0;
  bpm = 120;
  loopEnabled = false;
  loopStart = 0;
  loopEnd = 0;
  /** Commands applied, on their frame or late. */
  appliedCommands = 0;
  /** Commands applied after their frame had played (also counted in appliedCommands). */
  lateCommands = 0;
  /** Commands refused when applied: unknown node or parameter, bad tempo. */
  badCommands = 0;
  /** Commands discarded unapplied: queued when a graph load cleared the queue, or refused by a full queue. */
  droppedCommands = 0;
  /** Timed commands (atFrame >= 0) received and no longer queued: applied, bad or dropped. */
  timedCommandsDone = 0;
  /**
   * Frames rendered while the transport ran, since the engine started: a clock that only moves
   * forward (seeks and loop wraps move positionFrames, not this). A stage following a leader takes
   * the leader's, so the members of a WAM graph count alike.
   */
  playedFrames = 0;

  private rampTarget = 120;
  private rampFramesLeft = 0;
  private readonly queue: TimedCommandQueue;
  private nodeCount = 0;
  /** The node played instead of the engine's output (attach), or -1. */
  private played = -1;
  /** Views of the played node's captured channels, made at attach and after the memory grows. */
  private playedViews: Float32Array[] = [];
  private playedGrowth = -1;

  constructor(
    private engine: WasmEngine,
    readonly sampleRate: number,
    queueCapacity = COMMAND_QUEUE_CAPACITY,
  ) {
    this.queue = new TimedCommandQueue(queueCapacity);
  }

  /**
   * Control: a new engine instance or graph; `nodeCount` bounds the node indices commands may use.
   * `played` is the node a listener hears when it is not the engine's output (GraphProgram.played:
   * the graph's output, before a hidden sink that renders captures off its path), else -1.
   */
  attach(engine: WasmEngine, nodeCount: number, played = -1): void {
    this.engine = engine;
    this.nodeCount = nodeCount;
    this.played = played;
    this.refreshPlayedViews();
    this.engine.seek(this.positionFrames);
  }

  /**
   * Control: takes `leader`'s transport (position, running, tempo and its ramp, loop), so this engine
   * plays in step with it from the next quantum: a stage of a WAM graph following the primary stage.
   */
  followTransport(leader: RealtimeEngine): void {
    this.running = leader.running;
    this.monitoring = leader.monitoring;
    this.positionFrames = leader.positionFrames;
    this.positionBeats = leader.positionBeats;
    this.bpm = leader.bpm;
    this.rampTarget = leader.rampTarget;
    this.rampFramesLeft = leader.rampFramesLeft;
    this.loopEnabled = leader.loopEnabled;
    this.loopStart = leader.loopStart;
    this.loopEnd = leader.loopEnd;
    this.playedFrames = leader.playedFrames;
    this.engine.seek(this.positionFrames);
  }

  /** Timed commands waiting for their frame. */
  get queuedCommands(): number {
    return this.queue.length;
  }

  /**
   * Control: drops every pending command (a new graph makes their node indices meaningless), counted
   * in droppedCommands.
   */
  clearQueue(): void {
    const cleared = this.queue.clear();
    this.droppedCommands += cleared;
    this.timedCommandsDone += cleared;
  }

  // ---- CommandVisitor (audio thread) ----

  setParameter(node: number, param: number, value: number, atFrame: number): void {
    this.schedule(Kind.SetParameter, atFrame, node, param, value, 0);
  }
  midi(node: number, status: number, data1: number, data2: number, atFrame: number): void {
    this.schedule(Kind.Midi, atFrame, node, status, data1, data2);
  }
  liveMidi(node: number, status: number, data1: number, data2: number, atFrame: number): void {
    this.schedule(Kind.LiveMidi, atFrame, node, status, data1, data2);
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
  setMonitoring(enabled: boolean, atFrame: number): void {
    this.schedule(Kind.SetMonitoring, atFrame, enabled ? 1 : 0, 0, 0, 0);
  }

  /**
   * Audio: renders one quantum into `outputs` (Web Audio channels). A mono engine output fills
   * every channel; a stopped transport does not advance, and outputs silence unless monitoring
   * (then the graph renders with the timeline held).
   */
  renderQuantum(outputs: Float32Array[], frames: number): void {
    this.renderRange(outputs, 0, frames);
  }

  /**
   * Audio: renders frames [start, end) of the quantum in `outputs`, as renderQuantum renders a whole
   * one. For a host that splits quanta itself (a WAM processor at its events' frames, src/wam-export/).
   */
  renderRange(outputs: Float32Array[], start: number, end: number): void {
    const frames = end;
    let done = start;
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
        if (this.queue.length > 0) n = Math.min(n, Math.max(1, this.queue.nextFrame() - this.positionFrames));
        if (this.loopEnabled && this.loopEnd > this.loopStart && this.positionFrames < this.loopEnd) {
          n = Math.min(n, this.loopEnd - this.positionFrames);
        }
        this.renderPiece(outputs, done, n);
      } else if (this.monitoring) {
        // Commands reach a stopped transport only at a quantum's start: the rest renders whole.
        this.renderHeldPiece(outputs, done, n);
      } else {
        for (let c = 0; c < outputs.length; c++) (outputs[c] as Float32Array).fill(0, done, done + n);
      }
      done += n;
    }
  }

  private renderPiece(outputs: Float32Array[], offset: number, n: number): void {
    this.checkRendered(this.engine.render(n), n);
    this.pieceTap?.piece(offset, n, this.positionFrames);
    this.meterTap?.piece(offset, n, this.positionFrames);
    this.copyOutput(outputs, offset, n);
    this.advance(n);
  }

  /** Monitoring while stopped: the graph renders, the timeline and the position stand still. */
  private renderHeldPiece(outputs: Float32Array[], offset: number, n: number): void {
    this.checkRendered(this.engine.renderHeld(n), n);
    this.meterTap?.piece(offset, n, this.positionFrames);
    this.copyOutput(outputs, offset, n);
  }

  private checkRendered(rendered: number, n: number): void {
    // An attached graph always renders whole pieces; fewer frames means it is not the prepared graph
    // it should be, and silence must not pass for its sound (the host reports a fault instead).
    if (rendered !== n && this.nodeCount > 0) {
      throw new Error(
        `the engine rendered no audio for its ${this.nodeCount}-node graph (it is not prepared)`,
      );
    }
  }

  /** Control (and after a memory growth): views of the played node's channels. */
  private refreshPlayedViews(): void {
    const { engine, played } = this;
    this.playedViews = [];
    if (played < 0) return;
    this.playedGrowth = engine.exports.growths.count;
    this.playedViews = Array.from({ length: Math.max(0, engine.nodeOutputChannels(played)) }, (_, c) =>
      engine.captureChannel(played, c),
    );
  }

  /** Copies the played node's channels into frames [offset, offset + n) of `outputs`. */
  private copyPlayed(outputs: Float32Array[], offset: number, n: number): void {
    if (this.playedGrowth !== this.engine.exports.growths.count) this.refreshPlayedViews();
    const views = this.playedViews;
    for (let c = 0; c < outputs.length; c++) {
      const target = outputs[c] as Float32Array;
      // A mono node fills every channel, as a mono engine output does.
      const source = views[c < views.length ? c : views.length - 1];
      if (!source) {
        target.fill(0, offset, offset + n);
        continue;
      }
      // An index loop: a subarray per quantum would allocate.
      for (let i = 0; i < n; i++) target[offset + i] = source[i] as number;
    }
  }

  /** Copies the engine's staging buffers into frames [offset, offset + n) of `outputs`. */
  private copyOutput(outputs: Float32Array[], offset: number, n: number): void {
    if (this.played >= 0) {
      this.copyPlayed(outputs, offset, n);
      return;
    }
    const engine = this.engine;
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
    this.playedFrames += n;
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
    const isTransport = kind !== Kind.SetParameter && kind !== Kind.Midi && kind !== Kind.LiveMidi;
    if (atFrame < 0) {
      this.apply(kind, a, b, c, d);
      return;
    }
    // A timed command: done here unless it waits in the queue.
    if (isTransport && !this.running) {
      this.timedCommandsDone++;
      this.apply(kind, a, b, c, d);
      return;
    }
    if (atFrame < this.positionFrames) {
      this.timedCommandsDone++;
      this.lateCommands++;
      this.apply(kind, a, b, c, d);
      return;
    }
    if (!this.queue.push(atFrame, kind, a, b, c, d)) {
      this.timedCommandsDone++;
      this.droppedCommands++;
    }
  }

  private applyDue(): void {
    const queue = this.queue;
    while (queue.nextFrame() <= this.positionFrames) {
      const slot = queue.pop();
      this.timedCommandsDone++;
      this.apply(
        queue.kind[slot] as Kind,
        queue.a[slot] as number,
        queue.b[slot] as number,
        queue.c[slot] as number,
        queue.d[slot] as number,
      );
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
        else this.appliedCommands++;
        return;
      }
      case Kind.Midi: {
        if (!(a >= 0 && a < this.nodeCount)) {
          this.badCommands++;
          return;
        }
        this.engine.exports.wd_node_midi_now(this.engineHandle(), a, b, c, d);
        this.appliedCommands++;
        // Applied where the quantum was split for it: positionFrames is its frame.
        this.midiTap?.liveMidi(a + this.midiTapBase, b, c, d, this.positionFrames, this.playedFrames, true);
        return;
      }
      case Kind.LiveMidi: {
        if (!(a >= 0 && a < this.nodeCount)) {
          this.badCommands++;
          return;
        }
        // Delivered now: the engine hands it to the node at the first frame of its next render, which
        // is positionFrames (a timed one applies where the quantum was split for it).
        this.engine.exports.wd_node_midi_now(this.engineHandle(), a, b, c, d);
        this.appliedCommands++;
        this.midiTap?.liveMidi(a + this.midiTapBase, b, c, d, this.positionFrames, this.playedFrames, false);
        return;
      }
      case Kind.Play:
        this.running = true;
        break;
      case Kind.Pause:
        this.halt();
        break;
      case Kind.Stop:
        this.halt();
        this.moveTo(0);
        break;
      case Kind.SetMonitoring:
        // Turned on while stopped: notes the timeline left on when it stopped would sound on.
        if (a === 1 && !this.monitoring && !this.running) this.engine.releaseTimelineNotes();
        this.monitoring = a === 1;
        break;
      case Kind.Seek:
        this.moveTo(Math.max(0, Math.round(a)));
        break;
      case Kind.SetLoop:
        this.loopStart = Math.max(0, Math.round(a));
        this.loopEnd = Math.max(0, Math.round(b));
        this.loopEnabled = c === 1;
        break;
      case Kind.SetTempo:
        if (!(a > 0)) {
          this.badCommands++;
          return;
        }
        // Processors that follow the tempo (warp markers) change with it on this frame.
        this.engine.changeTempo(this.positionFrames, a, b > 0 ? Math.round(b) : 0);
        if (b > 0) {
          this.rampTarget = a;
          this.rampFramesLeft = Math.round(b);
        } else {
          this.bpm = this.rampTarget = a;
          this.rampFramesLeft = 0;
        }
        break;
    }
    this.appliedCommands++;
  }

  /**
   * The transport stops. While monitoring the graph renders on, so the notes its timeline turned on
   * are released (as a DAW's stop does); the voices of live notes play on.
   */
  private halt(): void {
    if (this.running && this.monitoring) this.engine.releaseTimelineNotes();
    this.running = false;
  }

  private engineHandle(): number {
    return this.engine.handleForAudioThread;
  }
}
