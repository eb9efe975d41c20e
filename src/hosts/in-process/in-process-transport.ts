/**
 * The transport of a host without a clock (in-process): play, pause, stop, seek, loop and tempo only
 * change the state it reports, and a render moves the playhead to where it ended. Nothing advances
 * with wall-clock time, so `running` is a flag, not a moving playhead; the real-time hosts, which have
 * an audio clock, move the playhead themselves.
 */
import { CONTRACT_VERSION } from "../../contracts/common";
import type { Tempo } from "../../contracts/graph-descriptor";
import { beatAtSeconds, bpmAtBeat } from "../../contracts/tempo-map";
import { type LoopRegion, type TransportState, TransportStateSchema } from "../../contracts/transport-state";
import { parseContract } from "../../contracts/validate";

/** What a TransportState reports about the engine itself. */
export interface TransportIdentity {
  sessionId: string;
  sampleRate: number;
  bufferSizeFrames: number;
}

export class InProcessTransport {
  private running = false;
  private positionSeconds = 0;
  private loop: LoopRegion | null = null;
  /** Undefined until a tempo applies (setTempo or a loaded graph): TransportState.tempo_bpm is then null. */
  private tempo: Tempo | undefined;

  /**
   * Starts (or resumes) from the current position.
   * @example
   * transport.play();
   */
  play(): void {
    this.running = true;
  }

  /**
   * Stops, keeping the position.
   * @example
   * transport.pause();
   */
  pause(): void {
    this.running = false;
  }

  /**
   * Stops and returns to 0.
   * @example
   * transport.stop();
   */
  stop(): void {
    this.running = false;
    this.positionSeconds = 0;
  }

  /**
   * Moves the playhead (validated by the caller).
   * @example
   * transport.seek(12.5);
   */
  seek(seconds: number): void {
    this.positionSeconds = seconds;
  }

  /**
   * Sets or clears the loop region it reports.
   * @example
   * transport.setLoop({ start_seconds: 8, end_seconds: 16 });
   */
  setLoop(loop: LoopRegion | null): void {
    this.loop = loop;
  }

  /**
   * The tempo that positions in beats and tempo_bpm are reported on.
   * @example
   * transport.setTempo({ bpm: 128 });
   */
  setTempo(tempo: Tempo): void {
    this.tempo = tempo;
  }

  /**
   * A render ended at `seconds` on the timeline: the playhead is there now.
   * @example
   * transport.renderedTo(start + frames / sampleRate);
   */
  renderedTo(seconds: number): void {
    this.positionSeconds = seconds;
  }

  /**
   * The validated TransportState, stamped `now`.
   * @example
   * const state = transport.state({ sessionId, sampleRate: 48000, bufferSizeFrames: 128 }, new Date());
   */
  state(identity: TransportIdentity, now: Date): TransportState {
    const tempo = this.tempo;
    const beats = tempo === undefined ? undefined : beatAtSeconds(tempo, this.positionSeconds);
    return parseContract(TransportStateSchema, {
      version: CONTRACT_VERSION,
      session_id: identity.sessionId,
      running: this.running,
      position_seconds: this.positionSeconds,
      sample_rate: identity.sampleRate,
      buffer_size_frames: identity.bufferSizeFrames,
      tempo_bpm: tempo === undefined || beats === undefined ? null : bpmAtBeat(tempo, beats),
      last_update_iso8601: now.toISOString(),
      extensions: {
        ...(beats === undefined ? {} : { position_beats: beats }),
        loop: this.loop,
        dropouts: { underruns: 0, ring_overflows: 0 },
        data_plane: "in_process",
      },
    });
  }
}
