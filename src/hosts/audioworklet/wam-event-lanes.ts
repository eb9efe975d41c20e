/**
 * WamEventLanes (audio thread): the MIDI and automation of a real-time WAM graph's WAM nodes, handed
 * to each WAM's processor as the transport plays them (docs/wam.md, "Timing accuracy").
 *
 * The primary EngineProcessor renders last in each quantum (the graph's output returns into it), after
 * the WAMs. So it hands over the events of the *next* quantum, with their exact times: a WAM SDK
 * processor keeps an event until its time and splits its quantum there, so an event lands on its frame.
 * The next quantum's frames are predicted from the transport as it stands (running, position, loop); a
 * transport command that lands within that quantum (pause, seek) is not foreseen: events already handed
 * over still play (at most one quantum's worth), and pause and stop send all-notes-off.
 *
 * The processors are reached directly, in this AudioWorkletGlobalScope, through the WAM host group
 * (webAudioModules.getGroup(groupId, groupKey).processors): no main-thread hop, no message per quantum.
 * Audio-path rules: dispatch() allocates nothing (event objects are made when the lanes arrive; the WAM
 * SDK's own queue is the plugin's business).
 */
import type { RealtimeEngine } from "../../engine/realtime-engine";
import type { WamLaneData } from "../../wam/wam-lanes";

/** A WAM event as the SDK's processor takes it (time in the context's seconds). */
interface WamEventObject {
  type: string;
  time: number;
  data: unknown;
}

/** What the lanes use of a WAM processor. */
interface WamProcessorLike {
  scheduleEvents(...events: WamEventObject[]): void;
}

interface Lane {
  processor: WamProcessorLike;
  frames: Float64Array;
  events: WamEventObject[];
  cursor: number;
  /** The transport frame the next dispatch should start at when nothing jumped. */
  expected: number;
  allNotesOff: WamEventObject[];
}

export class WamEventLanes {
  private readonly lanes: Lane[] = [];
  /** Instance ids whose processor is not in the group (not an SDK WamProcessor): they get no events. */
  readonly unreachable: string[] = [];
  private wasRunning = false;

  /** Control: resolves each lane's processor in the host group. */
  constructor(groupId: string, groupKey: string, data: WamLaneData[]) {
    const env = (
      globalThis as unknown as {
        webAudioModules?: {
          getGroup(id: string, key: string): { processors?: Map<string, WamProcessorLike> };
        };
      }
    ).webAudioModules;
    let processors: Map<string, WamProcessorLike> | undefined;
    try {
      processors = env?.getGroup(groupId, groupKey)?.processors;
    } catch {
      processors = undefined;
    }
    for (const lane of data) {
      const processor = processors?.get(lane.instanceId);
      if (!processor) {
        this.unreachable.push(lane.instanceId);
        continue;
      }
      this.lanes.push({
        processor,
        frames: Float64Array.from(lane.frames),
        events: lane.events.map((event) => ({ type: event.type, time: 0, data: event.data })),
        cursor: 0,
        expected: -1,
        allNotesOff: Array.from({ length: 16 }, (_, channel) => ({
          type: "wam-midi",
          time: 0,
          data: { bytes: [0xb0 | channel, 123, 0] },
        })),
      });
    }
  }

  /**
   * Audio, after the primary rendered a quantum: hands over the events of the next `frames` frames of
   * the transport; `startTime` is the context time of the next quantum's first frame.
   */
  dispatch(transport: RealtimeEngine, startTime: number, frames: number, sampleRate: number): void {
    const running = transport.running;
    if (!running) {
      if (this.wasRunning) this.silence(startTime);
      this.wasRunning = false;
      return;
    }
    if (!this.wasRunning && transport.positionFrames >= frames) {
      // Play took effect in the quantum just rendered: its events were not foreseen; they land at the
      // start of the next quantum (late by less than one quantum).
      this.dispatchPiece(
        transport.positionFrames - frames,
        frames,
        startTime - frames / sampleRate,
        sampleRate,
        startTime,
      );
    }
    this.wasRunning = true;
    let position = transport.positionFrames;
    let offset = 0;
    while (offset < frames) {
      let n = frames - offset;
      if (transport.loopEnabled && transport.loopEnd > transport.loopStart) {
        if (position >= transport.loopEnd) position = transport.loopStart;
        n = Math.min(n, transport.loopEnd - position);
      }
      this.dispatchPiece(position, n, startTime + offset / sampleRate, sampleRate);
      position += n;
      offset += n;
    }
  }

  /** Control: forgets the processors (the graph they played is gone). */
  clear(): void {
    this.lanes.length = 0;
  }

  private dispatchPiece(
    position: number,
    n: number,
    startTime: number,
    sampleRate: number,
    notBefore = 0,
  ): void {
    for (let l = 0; l < this.lanes.length; l++) {
      const lane = this.lanes[l] as Lane;
      const frames = lane.frames;
      // A jump (seek, loop wrap, first dispatch): find the first event at or after `position`.
      if (lane.expected !== position) lane.cursor = firstAtOrAfter(frames, position);
      while (lane.cursor < frames.length && (frames[lane.cursor] as number) < position + n) {
        const event = lane.events[lane.cursor] as WamEventObject;
        event.time = Math.max(
          notBefore,
          startTime + ((frames[lane.cursor] as number) - position) / sampleRate,
        );
        lane.processor.scheduleEvents(event);
        lane.cursor++;
      }
      lane.expected = position + n;
    }
  }

  /** Pause or stop: every channel's notes off, so no note hangs. */
  private silence(time: number): void {
    for (let l = 0; l < this.lanes.length; l++) {
      const lane = this.lanes[l] as Lane;
      for (let c = 0; c < lane.allNotesOff.length; c++) {
        const event = lane.allNotesOff[c] as WamEventObject;
        event.time = time;
        lane.processor.scheduleEvents(event);
      }
      lane.expected = -1;
    }
  }
}

function firstAtOrAfter(frames: Float64Array, position: number): number {
  let low = 0;
  let high = frames.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((frames[mid] as number) < position) low = mid + 1;
    else high = mid;
  }
  return low;
}
