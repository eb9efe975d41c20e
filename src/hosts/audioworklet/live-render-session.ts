/**
 * LiveRenderSession (audio thread): the EngineProcessor's half of a live render (live-render.ts holds
 * the Worker's). Between quanta, in message handlers, it holds the transport as the render found it,
 * arms a LiveCaptureTap and starts playing from the render's start; in process() it ends each
 * quantum of the capture and pauses the transport on the capture's last quantum; at the end it puts
 * the held transport back.
 *
 * Transport changes go through `target`, the CommandVisitor the command ring feeds (the processor's
 * RealtimeEngine, or the StageGroup of a real-time WAM graph, which fans them out to every stage), so
 * every engine of the graph moves together, exactly as a transport command would move them.
 *
 * Audio-path rules: endQuantum() allocates nothing until the capture's last quantum, when it posts
 * the one live-captured message.
 */
import type { CommandVisitor } from "../../dataplane/command-codec";
import { openRing } from "../../dataplane/data-plane";
import type { RingBell } from "../../dataplane/doorbell";
import type { RealtimeEngine } from "../../engine/realtime-engine";
import type { WasmEngine } from "../../engine/wasm-engine";
import type { TypedPort } from "../../protocol/typed-port";
import type { WorkerToWorkletMessage } from "../../protocol/worker-to-worklet";
import type { HeldTransport, WorkletToWorkerMessage } from "../../protocol/worklet-to-worker";
import { LiveCaptureTap, PLAYED_OUTPUT } from "./live-capture-tap";
import type { StageGroup } from "./stage-group";

type ArmMessage = Extract<WorkerToWorkletMessage, { type: "live-arm" }>;

export class LiveRenderSession {
  private held: HeldTransport | null = null;
  /**
   * Monitoring as the render found it. A render turns it off while it holds the transport: a graph
   * rendering while stopped between the load and the play would start the capture from state the
   * offline render never had (an oscillator's phase, a delay's contents).
   */
  private heldMonitoring = false;
  private tap: LiveCaptureTap | null = null;
  private tapId = 0;
  private skipFrames = 0;

  /** True while a capture is armed and not complete. */
  get capturing(): boolean {
    return this.tap !== null;
  }

  /**
   * Control: keeps the transport as it is, then pauses and turns monitoring and the loop off (a
   * render never wraps, and nothing renders between its graph's load and its play).
   */
  hold(realtime: RealtimeEngine, target: CommandVisitor): HeldTransport {
    // A second hold (a render after one that never released) keeps the first transport.
    if (this.held === null) {
      this.held = transportOf(realtime);
      this.heldMonitoring = realtime.monitoring;
    }
    target.pause(-1);
    target.setMonitoring(false, -1);
    target.setLoop(realtime.loopStart, realtime.loopEnd, false, -1);
    return this.held;
  }

  /**
   * Control: a tap on `engine` for `message`'s sources, the transport at its start frame, playing.
   * `played` describes the node's own output: its channel count, and whether it carries more than
   * the engine (a WAM graph's return), in which case the graph's output is what the node plays.
   * Returns each source's channels in the ring's frames.
   */
  arm(
    message: ArmMessage,
    engine: WasmEngine,
    realtime: RealtimeEngine,
    target: CommandVisitor,
    bell: RingBell | null,
    played: { channels: number; isGraphOutput: boolean },
    group: StageGroup | null = null,
  ): number[] {
    this.disarm(realtime);
    const sources = message.sources.map((source, i) =>
      i === 0 && played.isGraphOutput ? PLAYED_OUTPUT : source,
    );
    const tap = new LiveCaptureTap(engine, openRing(message.ring, Float32Array), bell, {
      sources,
      frames: message.frames,
      skipFrames: message.skipFrames,
      maxChannels: message.maxChannels,
      playedChannels: played.channels,
      parameterSources: message.parameterSources,
      // A WAM graph's engine nodes play in its stages: their parameters are recorded there.
      stageParameters: (stage, node, params) => group?.member(stage)?.recordParameters(node, params) ?? null,
    });
    this.tap = tap;
    this.tapId = message.id;
    this.skipFrames = message.skipFrames;
    target.seek(message.startFrame, -1);
    realtime.pieceTap = tap;
    target.play(-1);
    return tap.ownChannels;
  }

  /**
   * Audio, at the end of each quantum while capturing: pushes the quantum; on the last one pauses
   * the transport and posts live-captured with the counts of `engine` (non-finite samples per source).
   */
  endQuantum(
    output: readonly Float32Array[],
    realtime: RealtimeEngine,
    target: CommandVisitor,
    engine: WasmEngine,
    worker: TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage> | null,
  ): void {
    const tap = this.tap;
    if (tap === null || !tap.endQuantum(output)) return;
    target.pause(-1);
    this.disarm(realtime);
    // The capture's end: one message, the only one a capture posts.
    worker?.postMessage({
      type: "live-captured",
      id: this.tapId,
      frames: tap.kept,
      lost: tap.lost,
      nonFiniteSamples: tap.sourceNodes.map((node) => engine.nonFiniteSamples(node)),
      nonFiniteFirstFrames: tap.sourceNodes.map((node) => {
        const first = engine.nonFiniteFirstFrame(node);
        return first < 0 ? -1 : Math.max(0, first - this.skipFrames);
      }),
    });
  }

  /**
   * Control: the render is over: no capture, and the held transport back as it was. Returns the
   * transport now (as it stands when nothing was held).
   */
  release(realtime: RealtimeEngine, target: CommandVisitor): HeldTransport {
    this.disarm(realtime);
    const held = this.held;
    this.held = null;
    if (held === null) return transportOf(realtime);
    target.seek(held.positionFrames, -1);
    target.setLoop(held.loopStartFrames, held.loopEndFrames, held.loopEnabled, -1);
    if (held.running) target.play(-1);
    else target.pause(-1);
    target.setMonitoring(this.heldMonitoring, -1);
    // A seek works the beats out at the current tempo; the held position had its own history.
    realtime.positionBeats = held.positionBeats;
    return held;
  }

  private disarm(realtime: RealtimeEngine): void {
    if (this.tap !== null && realtime.pieceTap === this.tap) realtime.pieceTap = null;
    this.tap = null;
  }
}

function transportOf(realtime: RealtimeEngine): HeldTransport {
  return {
    running: realtime.running,
    positionFrames: realtime.positionFrames,
    positionBeats: realtime.positionBeats,
    loopEnabled: realtime.loopEnabled,
    loopStartFrames: realtime.loopStart,
    loopEndFrames: realtime.loopEnd,
  };
}
