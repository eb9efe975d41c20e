/**
 * StageGroup (audio thread): the engine AudioWorkletNodes that play one WAM graph in real time, in
 * step. The primary EngineProcessor (the command-driven one) leads; every stage of the partitioned
 * graph follows (src/wam/partition.ts). They live in one AudioWorkletGlobalScope, so they meet in a
 * registry on globalThis, keyed by a group id the main thread chooses.
 *
 * Web Audio renders the stages before the primary (the graph's output returns into the primary's
 * input), so the command ring cannot wait for the primary's process(): whichever member runs first in
 * a quantum pumps it (pump() is a no-op for the others), and the group fans every transport command
 * out to all members' RealtimeEngines, which then split their quanta on the same frames. Parameter and
 * MIDI commands name the primary's nodes and go to it alone.
 *
 * Audio-path rules: pump() and the fan-out allocate nothing. A stage joins in its first process()
 * that finds the group (one array push, once); leaving happens in message handlers.
 */
import { CommandDecoder, type CommandVisitor } from "../../dataplane/command-codec";
import type { DataRing } from "../../dataplane/spsc-ring";
import type { RealtimeEngine } from "../../engine/realtime-engine";

export class StageGroup implements CommandVisitor {
  private readonly engines: RealtimeEngine[] = [];
  private pumpedFrame = -1;

  constructor(
    private readonly primary: RealtimeEngine,
    private readonly ring: DataRing<Uint8Array> | null,
    private readonly decoder: CommandDecoder = new CommandDecoder(),
  ) {
    this.engines.push(primary);
  }

  /** Control: a follower joins, taking the primary's transport as it stands between two quanta. */
  join(engine: RealtimeEngine): void {
    engine.followTransport(this.primary);
    this.engines.push(engine);
  }

  /** Control: a follower leaves. */
  leave(engine: RealtimeEngine): void {
    const index = this.engines.indexOf(engine);
    if (index > 0) this.engines.splice(index, 1);
  }

  /** Audio: drains the command ring once per quantum (`frame`: the quantum's currentFrame). */
  pump(frame: number): void {
    if (frame === this.pumpedFrame) return;
    this.pumpedFrame = frame;
    if (this.ring) this.decoder.decode(this.ring, this);
  }

  setParameter(node: number, param: number, value: number, atFrame: number): void {
    this.primary.setParameter(node, param, value, atFrame);
  }
  midi(node: number, status: number, data1: number, data2: number, atFrame: number): void {
    this.primary.midi(node, status, data1, data2, atFrame);
  }
  play(atFrame: number): void {
    for (let i = 0; i < this.engines.length; i++) (this.engines[i] as RealtimeEngine).play(atFrame);
  }
  pause(atFrame: number): void {
    for (let i = 0; i < this.engines.length; i++) (this.engines[i] as RealtimeEngine).pause(atFrame);
  }
  stop(atFrame: number): void {
    for (let i = 0; i < this.engines.length; i++) (this.engines[i] as RealtimeEngine).stop(atFrame);
  }
  seek(positionFrame: number, atFrame: number): void {
    for (let i = 0; i < this.engines.length; i++)
      (this.engines[i] as RealtimeEngine).seek(positionFrame, atFrame);
  }
  setLoop(startFrame: number, endFrame: number, enabled: boolean, atFrame: number): void {
    for (let i = 0; i < this.engines.length; i++) {
      (this.engines[i] as RealtimeEngine).setLoop(startFrame, endFrame, enabled, atFrame);
    }
  }
  setTempo(bpm: number, rampFrames: number, atFrame: number): void {
    for (let i = 0; i < this.engines.length; i++)
      (this.engines[i] as RealtimeEngine).setTempo(bpm, rampFrames, atFrame);
  }
}

const REGISTRY = "__webdreamerStageGroups";

/** The groups of this AudioWorkletGlobalScope, by id. */
export function stageGroups(): Map<string, StageGroup> {
  const scope = globalThis as unknown as Record<string, Map<string, StageGroup> | undefined>;
  let groups = scope[REGISTRY];
  if (!groups) {
    groups = new Map();
    scope[REGISTRY] = groups;
  }
  return groups;
}
