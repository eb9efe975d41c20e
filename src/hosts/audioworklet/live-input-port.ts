/**
 * LiveInputPort (main thread): the audioworklet host's LiveAudioInput (src/api/live-input.ts). It
 * connects a MediaStream or an AudioNode to the engine node's live input (input 1, which
 * "webdreamer:audio-input" nodes read), measures the input latency when it connects, and records
 * takes: the audio thread pushes the input into a ring (input-record-tap.ts, no per-quantum messages)
 * and this side drains it every INPUT_DRAIN_MS into chunks.
 */
import {
  type InputLatency,
  type InputTake,
  type LiveAudioInput,
  measureInputLatency,
} from "../../api/live-input";
import { EngineError } from "../../contracts/errors";
import type { DataPlane } from "../../dataplane/data-plane";
import type { DataRing } from "../../dataplane/spsc-ring";
import { LIVE_INPUT_CHANNELS, LIVE_INPUT_WORKLET_INPUT } from "../../engine/live-input-node";
import type { MainToWorkletMessage } from "../../protocol/main-to-worklet";
import type { TypedPort } from "../../protocol/typed-port";
import type { WorkletToMainMessage } from "../../protocol/worklet-to-main";

/** How often a running recording is drained. */
export const INPUT_DRAIN_MS = 50;
/** Seconds of input the ring holds between drains (a stalled main thread loses quanta beyond it). */
export const INPUT_RING_SECONDS = 4;
/** How long stop waits for the ring's last frames (the MessagePort fallback sends them separately). */
const STOP_DRAIN_TIMEOUT_MS = 2000;

type Stopped = Extract<WorkletToMainMessage, { type: "input-record-stopped" }>;
/** How long start waits for the audio thread to arm the take (a closed or stalled context never will). */
const ARM_TIMEOUT_MS = 2000;

interface Recording {
  ring: DataRing<Float32Array>;
  chunks: Float32Array[];
  drained: number;
  timer: ReturnType<typeof setInterval>;
  latency: InputLatency;
}

export class LiveInputPort implements LiveAudioInput {
  private source: AudioNode | null = null;
  /** Mixes the source to the stereo the engine node reads. */
  private stereo: GainNode | null = null;
  private latency: InputLatency | null = null;
  private recording: Recording | null = null;
  private stopped: ((message: Stopped) => void) | null = null;
  private armed: ((take: number) => void) | null = null;
  /** The last start's number (input-record-start's `take`, answered in input-record-armed). */
  private takes = 0;

  constructor(
    private readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    private readonly port: TypedPort<MainToWorkletMessage, WorkletToMainMessage>,
    private readonly plane: DataPlane,
  ) {}

  get inputLatency(): InputLatency | null {
    return this.latency;
  }

  connectLiveInput(source: MediaStream | AudioNode): InputLatency {
    // A MediaStreamAudioSourceNode of the caller's is its stream's capture too (latency and all).
    const ownNode =
      typeof MediaStreamAudioSourceNode !== "undefined" && source instanceof MediaStreamAudioSourceNode;
    const stream =
      typeof MediaStream !== "undefined" && source instanceof MediaStream
        ? source
        : ownNode
          ? (source as MediaStreamAudioSourceNode).mediaStream
          : null;
    if (stream === null && !(source instanceof AudioNode)) {
      throw new EngineError("E_SCHEMA", "must be a MediaStream (getUserMedia) or an AudioNode", "source");
    }
    if (stream !== null && stream.getAudioTracks().length === 0) {
      throw new EngineError("E_SCHEMA", "the MediaStream has no audio track", "source");
    }
    if (source instanceof AudioNode && source.context !== this.context) {
      throw new EngineError(
        "E_SCHEMA",
        "the AudioNode belongs to another AudioContext than the engine's",
        "source",
      );
    }
    this.disconnectLiveInput();
    const node =
      stream !== null && !ownNode ? this.context.createMediaStreamSource(stream) : (source as AudioNode);
    // The engine node's inputs take what feeds them unmixed (engine-worklet.ts): this input is read
    // as stereo, mixed by the "speakers" rules (a mono microphone in both channels).
    const stereo = new GainNode(this.context, {
      channelCount: LIVE_INPUT_CHANNELS,
      channelCountMode: "explicit",
      channelInterpretation: "speakers",
    });
    node.connect(stereo);
    stereo.connect(this.node, 0, LIVE_INPUT_WORKLET_INPUT);
    this.source = node;
    this.stereo = stereo;
    this.latency = measureInputLatency({
      sampleRate: this.context.sampleRate,
      baseLatency: this.context.baseLatency,
      outputLatency: this.context.outputLatency,
      trackLatency: stream !== null ? trackLatency(stream) : undefined,
    });
    return this.latency;
  }

  disconnectLiveInput(): void {
    const source = this.source;
    if (source === null) return;
    try {
      source.disconnect(this.stereo as GainNode);
    } catch {
      // Already disconnected by its owner.
    }
    this.stereo?.disconnect();
    this.stereo = null;
    this.source = null;
    this.latency = null;
  }

  async startInputRecording(): Promise<void> {
    if (this.recording !== null) {
      throw new EngineError("E_SCHEMA", "a live input recording is already running: stop it first");
    }
    const capacity = Math.ceil(this.context.sampleRate * INPUT_RING_SECONDS) * LIVE_INPUT_CHANNELS;
    // MessagePort fallback: 8 quanta per transferred buffer, as a live render's capture.
    const ring = this.plane.createRing(Float32Array, capacity, {
      localRole: "consumer",
      chunkLength: 8 * 128 * LIVE_INPUT_CHANNELS,
    });
    // Resolves once the audio thread has armed the take, so that a play sent next (on the command
    // ring, which the audio thread may read before this port's message) is recorded from its start.
    const take = ++this.takes;
    const armed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ARM_TIMEOUT_MS);
      // Only this start's answer: a start that timed out may still be answered, late.
      this.armed = (answered) => {
        if (answered !== take) return;
        clearTimeout(timer);
        this.armed = null;
        resolve(true);
      };
    });
    this.port.postMessage({ type: "input-record-start", ring: ring.remote, take }, ring.transfer);
    const recording: Recording = {
      ring: ring.local,
      chunks: [],
      drained: 0,
      timer: setInterval(() => this.drain(recording), INPUT_DRAIN_MS),
      // A recording without a source records silence, with no latency to compensate.
      latency:
        this.latency ??
        measureInputLatency({
          sampleRate: this.context.sampleRate,
          baseLatency: 0,
          outputLatency: 0,
          trackLatency: undefined,
        }),
    };
    this.recording = recording;
    if (!(await armed)) {
      this.armed = null;
      this.port.postMessage({ type: "input-record-stop" });
      clearInterval(recording.timer);
      this.recording = null;
      throw new EngineError(
        "E_HOST_UNAVAILABLE",
        `the audio thread did not arm the live input recording within ${ARM_TIMEOUT_MS} ms (is the AudioContext closed?)`,
      );
    }
  }

  async stopInputRecording(): Promise<InputTake> {
    const recording = this.recording;
    if (recording === null) throw new EngineError("E_SCHEMA", "no live input recording is running");
    const marks = await new Promise<Stopped>((resolve) => {
      this.stopped = resolve;
      this.port.postMessage({ type: "input-record-stop" });
    });
    clearInterval(recording.timer);
    const pushed = (marks.frames - marks.lostFrames) * LIVE_INPUT_CHANNELS;
    const deadline = performance.now() + STOP_DRAIN_TIMEOUT_MS;
    this.drain(recording);
    while (recording.drained < pushed && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      this.drain(recording);
    }
    this.recording = null;
    return {
      sampleRate: this.context.sampleRate,
      channels: deinterleave(recording.chunks, recording.drained),
      startFrame: marks.startFrame,
      startContextFrame: marks.startContextFrame,
      latency: recording.latency,
      lostFrames: marks.lostFrames + Math.max(0, pushed - recording.drained) / LIVE_INPUT_CHANNELS,
    };
  }

  /** The engine node's port forwards input-record-armed and -stopped here; true when it was one. */
  handleMessage(message: WorkletToMainMessage): boolean {
    if (message.type === "input-record-armed") {
      this.armed?.(message.take);
      return true;
    }
    if (message.type !== "input-record-stopped") return false;
    this.stopped?.(message);
    this.stopped = null;
    return true;
  }

  private drain(recording: Recording): void {
    const ring = recording.ring;
    for (;;) {
      const available = ring.availableRead();
      if (available <= 0) return;
      const chunk = new Float32Array(available);
      const n = ring.pop(chunk);
      if (n <= 0) return;
      recording.chunks.push(n === available ? chunk : chunk.subarray(0, n));
      recording.drained += n;
    }
  }
}

/** The track's reported capture latency in seconds, or null when it reports none. */
function trackLatency(stream: MediaStream): number | null {
  const settings = stream.getAudioTracks()[0]?.getSettings() as MediaTrackSettings & { latency?: number };
  return typeof settings?.latency === "number" ? settings.latency : null;
}

/** Interleaved stereo chunks holding `samples` samples, as two channels. */
function deinterleave(chunks: readonly Float32Array[], samples: number): [Float32Array, Float32Array] {
  const frames = Math.floor(samples / LIVE_INPUT_CHANNELS);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  let frame = 0;
  let odd = false;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length && frame < frames; i++) {
      if (odd) right[frame++] = chunk[i] as number;
      else left[frame] = chunk[i] as number;
      odd = !odd;
    }
  }
  return [left, right];
}
