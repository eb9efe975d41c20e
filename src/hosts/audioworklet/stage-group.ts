/**
 * StageGroup (audio thread): the engine AudioWorkletNodes that play one WAM graph in real time, in
 * step. The primary EngineProcessor (the command-driven one) leads; every stage of the partitioned
 * graph follows (src/wam/partition.ts). They live in one AudioWorkletGlobalScope, so they meet in a
 * registry on globalThis, keyed by a group id the main thread chooses.
 *
 * Web Audio renders the stages before the primary (the graph's output returns into the primary's
 * input), so the command ring cannot wait for the primary's process(): whichever member runs first in
 * a quantum pumps it (pump() is a no-op for the others), and the group fans every transport command
 * out to all members' RealtimeEngines, which then split their quanta on the same frames.
 *
 * Parameter and MIDI commands name a node of the WAM graph by its **group index**: the stages' nodes
 * numbered one after the other (stage 0's program nodes first, then stage 1's, ...; the engine Worker
 * numbers them the same way, worklet-driver.ts). The group turns it into the stage and the node's
 * index there and queues the command in that stage's RealtimeEngine, so it lands on the same frame as
 * in a graph without WAMs: every member splits its quanta on the shared transport's frames. A command
 * for a stage that has not joined, or beyond the last stage, goes to the primary as a bad index, so it
 * is counted (badCommands, timedCommandsDone) rather than lost from the Worker's flow control.
 *
 * Audio-path rules: pump(), the routing and the fan-out allocate nothing. A stage joins in its first
 * process() that finds the group (one array store, once); leaving happens in message handlers.
 */
import { CommandDecoder, type CommandVisitor } from "../../dataplane/command-codec";
import type { DataRing } from "../../dataplane/spsc-ring";
import type { TimelineEntry } from "../../engine/graph-program";
import type { RealtimeEngine } from "../../engine/realtime-engine";
import type { SlotLoad } from "./engine-slot";

/** A stage of the group, as its EngineProcessor joins it. */
export interface StageMember {
  /** The stage's index in the partitioned graph (processorOptions.stage.index). */
  readonly stage: number;
  readonly engine: RealtimeEngine;
  /** Control: a live automation lane for node `node` of this stage (EngineSlot.replaceLane). */
  replaceLane(node: number, param: string, base: number, timeline: TimelineEntry[]): SlotLoad;
  /** Control: the value parameter `param` of node `node` of this stage has now (getParameter). */
  paramValue(node: number, param: number): number;
  /**
   * Control: quantum buffers holding, after each quantum the stage renders, the values node `node`'s
   * first `params` parameters took on its frames (a live render's record_automation:
   * stage-parameter-tap.ts); null when the stage cannot record them.
   */
  recordParameters(node: number, params: number): Float32Array[] | null;
}

/** The command counters the transport block publishes, summed over the group. */
export interface CommandCounters {
  applied: number;
  late: number;
  bad: number;
  dropped: number;
  timedDone: number;
}

export class StageGroup implements CommandVisitor {
  private readonly engines: RealtimeEngine[] = [];
  /** members[s]: stage s once it has joined. */
  private readonly members: (StageMember | null)[];
  /** bases[s]: the group index of stage s's node 0; bases[stages] is the node total. */
  private readonly bases: Int32Array;
  private pumpedFrame = -1;

  constructor(
    private readonly primary: RealtimeEngine,
    private readonly ring: DataRing<Uint8Array> | null,
    private readonly decoder: CommandDecoder = new CommandDecoder(),
    /** Program nodes of each stage, in stage order (what the group indices number). */
    stageNodeCounts: readonly number[] = [],
  ) {
    this.engines.push(primary);
    this.members = stageNodeCounts.map(() => null);
    this.bases = new Int32Array(stageNodeCounts.length + 1);
    for (let s = 0; s < stageNodeCounts.length; s++) {
      this.bases[s + 1] = (this.bases[s] as number) + (stageNodeCounts[s] as number);
    }
  }

  /** Control: a follower joins, taking the primary's transport as it stands between two quanta. */
  join(member: StageMember): void {
    member.engine.followTransport(this.primary);
    // Live MIDI it applies is recorded as the primary's, its nodes numbered by group index.
    member.engine.midiTap = this.primary.midiTap;
    member.engine.midiTapBase = this.bases[member.stage] ?? 0;
    this.engines.push(member.engine);
    if (member.stage >= 0 && member.stage < this.members.length) this.members[member.stage] = member;
  }

  /** Control: a follower leaves. */
  leave(engine: RealtimeEngine): void {
    const index = this.engines.indexOf(engine);
    if (index > 0) this.engines.splice(index, 1);
    for (let s = 0; s < this.members.length; s++) {
      if (this.members[s]?.engine === engine) this.members[s] = null;
    }
  }

  /** The stages' program nodes in all: group indices from it on number the WAM nodes (wam-event-lanes.ts). */
  get nodeTotal(): number {
    return this.bases[this.members.length] as number;
  }

  /** The member playing stage `stage`, or null (not joined, or no such stage). */
  member(stage: number): StageMember | null {
    return this.members[stage] ?? null;
  }

  /**
   * Control: the value parameter `param` of group index `node` has now, read from the stage playing
   * it between two quanta; NaN when that stage has not joined (or there is none).
   */
  paramValue(node: number, param: number): number {
    const s = this.stageOf(node);
    const member = s < 0 ? null : this.members[s];
    return member ? member.paramValue(node - (this.bases[s] as number), param) : Number.NaN;
  }

  /** Audio: drains the command ring once per quantum (`frame`: the quantum's currentFrame). */
  pump(frame: number): void {
    if (frame === this.pumpedFrame) return;
    this.pumpedFrame = frame;
    if (this.ring) this.decoder.decode(this.ring, this);
  }

  /**
   * Audio: the counters of every member, summed into `into` (the primary's included). The Worker's
   * flow control counts timed commands done against those it sent, wherever they were queued.
   */
  sumCounters(into: CommandCounters): void {
    into.applied = 0;
    into.late = 0;
    into.bad = 0;
    into.dropped = 0;
    into.timedDone = 0;
    for (let i = 0; i < this.engines.length; i++) {
      const engine = this.engines[i] as RealtimeEngine;
      into.applied += engine.appliedCommands;
      into.late += engine.lateCommands;
      into.bad += engine.badCommands;
      into.dropped += engine.droppedCommands;
      into.timedDone += engine.timedCommandsDone;
    }
  }

  /**
   * Control: the group ends (a new graph). The followers' counters move to the primary, which goes on
   * publishing them; commands still queued in a follower are dropped, and counted so.
   */
  end(): void {
    const primary = this.primary;
    for (let i = 1; i < this.engines.length; i++) {
      const engine = this.engines[i] as RealtimeEngine;
      engine.clearQueue();
      primary.appliedCommands += engine.appliedCommands;
      primary.lateCommands += engine.lateCommands;
      primary.badCommands += engine.badCommands;
      primary.droppedCommands += engine.droppedCommands;
      primary.timedCommandsDone += engine.timedCommandsDone;
    }
    this.engines.length = 1;
    this.members.fill(null);
  }

  setParameter(node: number, param: number, value: number, atFrame: number): void {
    const s = this.stageOf(node);
    const member = s < 0 ? null : this.members[s];
    if (member) member.engine.setParameter(node - (this.bases[s] as number), param, value, atFrame);
    else this.primary.setParameter(-1, param, value, atFrame);
  }
  midi(node: number, status: number, data1: number, data2: number, atFrame: number): void {
    const s = this.stageOf(node);
    const member = s < 0 ? null : this.members[s];
    if (member) member.engine.midi(node - (this.bases[s] as number), status, data1, data2, atFrame);
    else this.primary.midi(-1, status, data1, data2, atFrame);
  }
  liveMidi(node: number, status: number, data1: number, data2: number, atFrame: number): void {
    const s = this.stageOf(node);
    const member = s < 0 ? null : this.members[s];
    if (member) member.engine.liveMidi(node - (this.bases[s] as number), status, data1, data2, atFrame);
    else this.primary.liveMidi(-1, status, data1, data2, atFrame);
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
  setMonitoring(enabled: boolean, atFrame: number): void {
    for (let i = 0; i < this.engines.length; i++)
      (this.engines[i] as RealtimeEngine).setMonitoring(enabled, atFrame);
  }

  /** The stage holding group index `node` (a few stages: a linear walk), or -1. */
  private stageOf(node: number): number {
    const bases = this.bases;
    for (let s = 0; s < this.members.length; s++) {
      if (node >= (bases[s] as number) && node < (bases[s + 1] as number)) return s;
    }
    return -1;
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
