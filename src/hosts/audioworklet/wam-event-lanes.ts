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
 * Live commands add three things (docs/wam.md, "Live commands"): one-shot events (a timed
 * setParameter, scheduleEvents), handed over once when the transport reaches their frame, as the
 * engine's timed command queue applies a command once; a parameter's lane replaced whole
 * (scheduleAutomation), which then replays on every pass (seek, loop) as the graph's own automation
 * does; and a parameter set now (setParameter without a time: frame -1), handed over at once, to land
 * on the plugin's next quantum whatever the transport does.
 *
 * What is handed over is told to the taps on the transport frame it lands on: live MIDI to the MIDI
 * tap (a MIDI recording, a live render's record_midi), every parameter change to the parameter tap (a
 * live render's record_automation: the values the plugin was given, live changes included).
 *
 * The processors are reached directly, in this AudioWorkletGlobalScope, through the WAM host group
 * (webAudioModules.getGroup(groupId, groupKey).processors): no main-thread hop, no message per quantum.
 * Audio-path rules: dispatch() allocates nothing (event objects are made when the lanes or live
 * commands arrive, in message handlers; the WAM SDK's own queue is the plugin's business).
 */
import type { LiveMidiTap, RealtimeEngine } from "../../engine/realtime-engine";
import type { WamLaneData } from "../../wam/wam-lanes";

/** Told of each parameter change handed to a WAM's processor (a live render's record_automation). */
export interface LiveParameterTap {
  /**
   * WAM node `node` (the MIDI tap's numbering) is given `value` for its parameter number `param` (its
   * place in the lane data's params) from transport frame `frame` on, the transport having played
   * `playedFrames` frames then.
   */
  liveParameter(node: number, param: number, value: number, frame: number, playedFrames: number): void;
}

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

/**
 * One automated parameter of a lane, for the chase on a jump: its events' frames (ascending) and the
 * event objects (the lane's own), and the graph's value before the first (null: not known).
 */
interface Chase {
  frames: Float64Array;
  events: WamEventObject[];
  initial: WamEventObject | null;
}

interface Lane {
  instanceId: string;
  processor: WamProcessorLike;
  frames: Float64Array;
  events: WamEventObject[];
  cursor: number;
  /** One-shot events (live commands), in frame order; those before onceCursor were handed over. */
  onceFrames: number[];
  onceEvents: WamEventObject[];
  /** Whether each one-shot came from scheduleEvents (not a live message): MIDI recordings tell them apart. */
  onceScheduled: boolean[];
  onceCursor: number;
  /** The node number the MIDI tap records this WAM's messages under (see WamEventLanes.midiTap). */
  tapNode: number;
  /** The plugin's parameter ids, by the number the parameter tap gives them. */
  params: string[];
  /** The transport frame the next dispatch should start at when nothing jumped. */
  expected: number;
  /** The graph's values before any event, by parameter id (the chase's starting values). */
  initial: Record<string, number>;
  /** Each automated parameter's chase (rebuilt when its events change). */
  chases: Chase[];
  allNotesOff: WamEventObject[];
}

export class WamEventLanes {
  private readonly lanes: Lane[] = [];
  /** Instance ids whose processor is not in the group (not an SDK WamProcessor): they get no events. */
  readonly unreachable: string[] = [];
  private wasRunning = false;
  /**
   * The quantum handed over last (its transport frame, context time and length), while it has not
   * rendered yet: message handlers run between quanta, so a one-shot that arrives for a frame in it
   * can still be handed over on its frame. -1: none (stopped, or a loop jump inside it).
   */
  private handedPosition = -1;
  private handedStart = 0;
  private handedFrames = 0;
  private handedRate = 0;
  /** The transport's played-frames clock and position at the last dispatch (the MIDI tap's clock). */
  private playedAt = 0;
  private positionAt = 0;
  /**
   * Control: told of each live MIDI message handed to a plugin, on the transport frame it lands on (a
   * MIDI recording, a live render's record_midi); WAM k of the lanes' data is node `tapBase` + k.
   */
  midiTap: LiveMidiTap | null = null;
  tapBase = 0;
  /** Control: told of each parameter change handed to a plugin, on the frame it lands on (numbered as midiTap's). */
  parameterTap: LiveParameterTap | null = null;

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
    for (const [k, lane] of data.entries()) {
      const processor = processors?.get(lane.instanceId);
      if (!processor) {
        this.unreachable.push(lane.instanceId);
        continue;
      }
      const built: Lane = {
        instanceId: lane.instanceId,
        processor,
        onceFrames: [],
        onceEvents: [],
        onceScheduled: [],
        onceCursor: 0,
        tapNode: k,
        params: [...(lane.params ?? [])],
        frames: Float64Array.from(lane.frames),
        events: lane.events.map((event) => ({ type: event.type, time: 0, data: event.data })),
        cursor: 0,
        expected: -1,
        initial: { ...(lane.initial ?? {}) },
        chases: [],
        allNotesOff: Array.from({ length: 16 }, (_, channel) => ({
          type: "wam-midi",
          time: 0,
          data: { bytes: [0xb0 | channel, 123, 0] },
        })),
      };
      built.chases = chasesOf(built);
      this.lanes.push(built);
    }
  }

  /**
   * Audio, after the primary rendered a quantum: hands over the events of the next `frames` frames of
   * the transport; `startTime` is the context time of the next quantum's first frame.
   */
  dispatch(transport: RealtimeEngine, startTime: number, frames: number, sampleRate: number): void {
    const running = transport.running;
    this.handedPosition = -1;
    this.playedAt = transport.playedFrames;
    this.positionAt = transport.positionFrames;
    if (!running) {
      if (this.wasRunning) this.silence(startTime);
      this.wasRunning = false;
      // Monitoring: the plugins render on while stopped, so live messages due (sent now, or timed
      // at a frame already reached) are handed over for the next quantum's first frame.
      if (transport.monitoring) this.handOverDue(transport.positionFrames, startTime);
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
      if (offset === 0 && n === frames) {
        this.handedPosition = position;
        this.handedStart = startTime;
        this.handedFrames = frames;
        this.handedRate = sampleRate;
      }
      position += n;
      offset += n;
    }
  }

  /**
   * Control: the transport was just set to play from `position` (a live render's start), between two
   * quanta: the plugins have not rendered the first quantum yet, so each automated parameter is handed
   * the value in effect at `position` now (time 0: on the plugin's next quantum's first frame, the
   * render's first), told to the parameter tap on `position`, rather than one quantum late by the
   * dispatch that follows. `playedFrames`: the transport's played-frames clock now.
   */
  jumpTo(position: number, playedFrames: number): void {
    this.playedAt = playedFrames;
    this.positionAt = position;
    for (let l = 0; l < this.lanes.length; l++) {
      const lane = this.lanes[l] as Lane;
      lane.cursor = firstAtOrAfter(lane.frames, position);
      this.chase(lane, position, 0, position);
      lane.expected = position;
    }
  }

  /**
   * Control: one-shot events for WAM instance `instanceId` at transport `frames` (a live command);
   * false when no lane plays that instance.
   */
  addOnce(
    instanceId: string,
    frames: readonly number[],
    events: readonly { type: string; data: unknown }[],
    scheduled = false,
  ): boolean {
    const lane = this.lanes.find((candidate) => candidate.instanceId === instanceId);
    if (!lane) return false;
    // Drop what was handed over, then insert in frame order (after events on the same frame: call order).
    lane.onceFrames.splice(0, lane.onceCursor);
    lane.onceEvents.splice(0, lane.onceCursor);
    lane.onceScheduled.splice(0, lane.onceCursor);
    lane.onceCursor = 0;
    events.forEach((event, i) => {
      const frame = frames[i] as number;
      const handed = this.handedPosition;
      if (handed >= 0 && frame < handed + this.handedFrames) {
        // Its quantum (or an earlier one) was handed over, and the plugin has not rendered it yet: now,
        // on its frame (a frame already played: on the quantum's first, as a late engine command).
        const time = this.handedStart + Math.max(0, frame - handed) / this.handedRate;
        const handedEvent = { type: event.type, time, data: event.data };
        lane.processor.scheduleEvents(handedEvent);
        this.tapHanded(lane, handedEvent, Math.max(frame, handed), scheduled);
        return;
      }
      if (frame < 0 && event.type === "wam-automation") {
        // A parameter set now lands on the plugin's next quantum, played or held (the plugin renders
        // whatever the transport does): the frame the transport stands on then.
        const nowEvent = { type: event.type, time: 0, data: event.data };
        lane.processor.scheduleEvents(nowEvent);
        this.tapHanded(lane, nowEvent, this.positionAt, scheduled);
        return;
      }
      let at = lane.onceFrames.length;
      while (at > 0 && (lane.onceFrames[at - 1] as number) > frame) at--;
      lane.onceFrames.splice(at, 0, frame);
      lane.onceEvents.splice(at, 0, { type: event.type, time: 0, data: event.data });
      lane.onceScheduled.splice(at, 0, scheduled);
    });
    return true;
  }

  /**
   * Control: the wam-automation events of parameter `param` of instance `instanceId` become `events`
   * at `frames` (scheduleAutomation); the lane's other events stay. False when no lane plays it.
   */
  replaceParam(
    instanceId: string,
    param: string,
    frames: readonly number[],
    events: readonly { type: string; data: unknown }[],
  ): boolean {
    const lane = this.lanes.find((candidate) => candidate.instanceId === instanceId);
    if (!lane) return false;
    const merged: { frame: number; event: WamEventObject }[] = [];
    lane.events.forEach((event, i) => {
      const id = (event.data as { id?: unknown } | null)?.id;
      if (event.type === "wam-automation" && id === param) return;
      merged.push({ frame: lane.frames[i] as number, event });
    });
    events.forEach((event, i) => {
      merged.push({ frame: frames[i] as number, event: { type: event.type, time: 0, data: event.data } });
    });
    merged.sort((a, b) => a.frame - b.frame); // stable: same-frame events keep their order
    lane.frames = Float64Array.from(merged, (entry) => entry.frame);
    lane.events = merged.map((entry) => entry.event);
    lane.chases = chasesOf(lane);
    // The next dispatch finds its place in the new list (a jump, as after a seek).
    lane.expected = -1;
    return true;
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
      // A jump (seek, loop wrap, play): find the first event at or after `position`, and give each
      // automated parameter the value in effect there first, as the engine's own automation has.
      if (lane.expected !== position) {
        lane.cursor = firstAtOrAfter(frames, position);
        this.chase(lane, position, Math.max(notBefore, startTime), notBefore > 0 ? position + n : position);
      }
      while (lane.cursor < frames.length && (frames[lane.cursor] as number) < position + n) {
        const event = lane.events[lane.cursor] as WamEventObject;
        const frame = frames[lane.cursor] as number;
        event.time = Math.max(notBefore, startTime + (frame - position) / sampleRate);
        lane.processor.scheduleEvents(event);
        // Late (notBefore: play took effect in the quantum just rendered): on the next quantum's first frame.
        this.tapParameter(lane, event, notBefore > 0 ? position + n : frame);
        lane.cursor++;
      }
      lane.expected = position + n;
      // One-shots: every one due before this piece ends, as the engine's timed queue applies a
      // command once the transport reaches its frame (a frame already played: at once, late).
      const onceFrames = lane.onceFrames;
      while (lane.onceCursor < onceFrames.length && (onceFrames[lane.onceCursor] as number) < position + n) {
        const frame = onceFrames[lane.onceCursor] as number;
        const event = lane.onceEvents[lane.onceCursor] as WamEventObject;
        event.time = Math.max(notBefore, startTime + Math.max(0, frame - position) / sampleRate);
        lane.processor.scheduleEvents(event);
        this.tapHanded(
          lane,
          event,
          notBefore > 0 ? position + n : Math.max(frame, position),
          lane.onceScheduled[lane.onceCursor] as boolean,
        );
        lane.onceCursor++;
      }
    }
  }

  /**
   * Hands each automated parameter of `lane` the value its events give transport frame `position`
   * (the last event before it, else the graph's value before the first), at `time`, told to the
   * parameter tap on `tapFrame`. An event on `position` itself follows in the dispatch and wins.
   * Without this, a loop wrap or a seek left a plugin on the value of the last event it played, where
   * an offline render (and the engine's own nodes) have the value of the timeline at that frame.
   */
  private chase(lane: Lane, position: number, time: number, tapFrame: number): void {
    for (let c = 0; c < lane.chases.length; c++) {
      const chase = lane.chases[c] as Chase;
      const before = firstAtOrAfter(chase.frames, position) - 1;
      const event = before >= 0 ? (chase.events[before] as WamEventObject) : chase.initial;
      if (event === null) continue;
      event.time = time;
      lane.processor.scheduleEvents(event);
      this.tapParameter(lane, event, tapFrame);
    }
  }

  /** One-shots due at the held position `position` (frames up to it), all at `time`. */
  private handOverDue(position: number, time: number): void {
    for (let l = 0; l < this.lanes.length; l++) {
      const lane = this.lanes[l] as Lane;
      const onceFrames = lane.onceFrames;
      while (lane.onceCursor < onceFrames.length && (onceFrames[lane.onceCursor] as number) <= position) {
        const event = lane.onceEvents[lane.onceCursor] as WamEventObject;
        event.time = time;
        lane.processor.scheduleEvents(event);
        this.tapHanded(lane, event, position, lane.onceScheduled[lane.onceCursor] as boolean);
        lane.onceCursor++;
      }
    }
  }

  /** A one-shot handed over to land on transport frame `frame`, told to the tap that records its kind. */
  private tapHanded(lane: Lane, event: WamEventObject, frame: number, scheduled: boolean): void {
    if (event.type === "wam-automation") this.tapParameter(lane, event, frame);
    else this.tapMidi(lane, event, frame, scheduled);
  }

  /** A parameter change, handed over to land on transport frame `frame`, told to the parameter tap. */
  private tapParameter(lane: Lane, event: WamEventObject, frame: number): void {
    if (this.parameterTap === null || event.type !== "wam-automation") return;
    const data = event.data as { id?: unknown; value?: unknown } | null;
    const param = lane.params.indexOf(data?.id as string);
    if (param < 0 || typeof data?.value !== "number") return;
    this.parameterTap.liveParameter(
      this.tapBase + lane.tapNode,
      param,
      data.value,
      frame,
      this.playedAt + (frame - this.positionAt),
    );
  }

  /** A one-shot's MIDI, handed over to land on transport frame `frame`, told to the MIDI tap. */
  private tapMidi(lane: Lane, event: WamEventObject, frame: number, scheduled: boolean): void {
    if (this.midiTap === null || event.type !== "wam-midi") return;
    const bytes = (event.data as { bytes?: readonly number[] } | null)?.bytes;
    if (bytes === undefined) return;
    this.midiTap.liveMidi(
      this.tapBase + lane.tapNode,
      bytes[0] ?? 0,
      bytes[1] ?? 0,
      bytes[2] ?? 0,
      frame,
      this.playedAt + (frame - this.positionAt),
      scheduled,
    );
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

/** The chase of each parameter that `lane`'s events automate (control thread: it allocates). */
function chasesOf(lane: Lane): Chase[] {
  const byParam = new Map<string, { frames: number[]; events: WamEventObject[] }>();
  lane.events.forEach((event, i) => {
    const id = (event.data as { id?: unknown } | null)?.id;
    if (event.type !== "wam-automation" || typeof id !== "string") return;
    const entry = byParam.get(id) ?? { frames: [], events: [] };
    entry.frames.push(lane.frames[i] as number);
    entry.events.push(event);
    byParam.set(id, entry);
  });
  return [...byParam].map(([id, { frames, events }]) => {
    const value = lane.initial[id];
    return {
      frames: Float64Array.from(frames),
      events,
      initial:
        value === undefined
          ? null
          : { type: "wam-automation", time: 0, data: { id, value, normalized: false } },
    };
  });
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
