/**
 * WamEventLanes while the transport is stopped: a WAM plugin renders whatever the transport does (it
 * is its own AudioWorkletNode), so with monitoring on a live message sent now reaches it at the next
 * quantum's first frame; with monitoring off it waits for play, as before. The lane's own events
 * (the graph's timeline) never move while stopped.
 */
import { afterEach, describe, expect, it } from "vitest";
import { WamEventLanes } from "../../../src/hosts/audioworklet/wam-event-lanes";

interface Handed {
  type: string;
  time: number;
  bytes: number[];
  /** A wam-automation event's value. */
  value?: number;
}

const SR = 48000;
const QUANTUM = 128;
const INSTANCE = "fixture.1";

/** Lanes for one fake WAM processor that keeps what it is handed; the transport is a plain object. */
function lanesWithProcessor(
  timeline: { frame: number; bytes: number[] }[] = [],
  automation: { frame: number; id: string; value: number }[] = [],
  initial: Record<string, number> = {},
) {
  const handed: Handed[] = [];
  const processor = {
    scheduleEvents(...events: { type: string; time: number; data: unknown }[]) {
      for (const event of events) {
        const data = event.data as { bytes?: number[]; value?: number };
        handed.push({
          type: event.type,
          time: event.time,
          bytes: [...(data.bytes ?? [])],
          ...(event.type === "wam-automation" ? { value: data.value } : {}),
        });
      }
    },
  };
  (globalThis as Record<string, unknown>).webAudioModules = {
    getGroup: () => ({ processors: new Map([[INSTANCE, processor]]) }),
  };
  const lanes = new WamEventLanes("group", "key", [
    {
      instanceId: INSTANCE,
      frames: [...timeline.map((entry) => entry.frame), ...automation.map((entry) => entry.frame)],
      events: [
        ...timeline.map((entry) => ({ type: "wam-midi", data: { bytes: entry.bytes } })),
        ...automation.map(({ id, value }) => ({
          type: "wam-automation",
          data: { id, value, normalized: false },
        })),
      ],
      params: ["mix", "gain"],
      initial,
    },
  ]);
  const transport = {
    running: false,
    monitoring: false,
    positionFrames: 0,
    playedFrames: 0,
    loopEnabled: false,
    loopStart: 0,
    loopEnd: 0,
  };
  let quantum = 0;
  return {
    handed,
    transport,
    lanes,
    /** One quantum's dispatch, after the primary rendered quantum `quantum` (its next starts at quantum + 1). */
    quantum() {
      quantum++;
      lanes.dispatch(transport as never, (quantum * QUANTUM) / SR, QUANTUM, SR);
    },
  };
}

afterEach(() => {
  delete (globalThis as Record<string, unknown>).webAudioModules;
});

describe("WAM event lanes while stopped", () => {
  it("monitoring on: a note sent now is handed over for the next quantum's first frame; timeline events stay put", async () => {
    const wam = lanesWithProcessor([{ frame: 256, bytes: [0x90, 48, 100] }]);
    wam.transport.monitoring = true;
    wam.transport.positionFrames = 200;
    wam.quantum();
    wam.lanes.addOnce(INSTANCE, [-1], [{ type: "wam-midi", data: { bytes: [0x90, 60, 100] } }]);
    wam.quantum(); // its next quantum starts at context frame 2 x 128: the note's time
    wam.quantum(); // handed over once
    expect(wam.handed).toEqual([{ type: "wam-midi", time: (2 * QUANTUM) / SR, bytes: [0x90, 60, 100] }]);
  });

  it("monitoring off: the note waits for play, then lands on the first quantum the transport plays", async () => {
    const wam = lanesWithProcessor();
    wam.lanes.addOnce(INSTANCE, [-1], [{ type: "wam-midi", data: { bytes: [0x90, 60, 100] } }]);
    wam.quantum();
    wam.quantum();
    expect(wam.handed).toEqual([]);
    wam.transport.running = true;
    wam.transport.positionFrames = QUANTUM;
    wam.quantum();
    expect(wam.handed.map((event) => event.bytes)).toEqual([[0x90, 60, 100]]);
  });
});

describe("WAM event lanes: the MIDI tap", () => {
  it("a live message handed to the plugin is told to the MIDI tap on the frame it lands on, numbered after the stages' nodes; a timeline event is not", () => {
    const wam = lanesWithProcessor([{ frame: 1000, bytes: [0x90, 48, 100] }]);
    const told: number[][] = [];
    wam.lanes.midiTap = {
      liveMidi: (node, status, data1, data2, frame, _played, scheduled) =>
        told.push([node, status, data1, data2, frame, scheduled ? 1 : 0]),
    };
    wam.lanes.tapBase = 7;
    wam.transport.running = true;
    wam.transport.positionFrames = 896;
    wam.lanes.addOnce(INSTANCE, [1010], [{ type: "wam-midi", data: { bytes: [0x90, 60, 127] } }]);
    wam.lanes.addOnce(INSTANCE, [1020], [{ type: "wam-midi", data: { bytes: [0x80, 60, 0] } }], true);
    wam.quantum(); // hands over frames [896, 1024)
    expect(told).toEqual([
      [7, 0x90, 60, 127, 1010, 0],
      [7, 0x80, 60, 0, 1020, 1],
    ]);
    // Both one-shots and the timeline's note reached the plugin; only the one-shots were told.
    expect(wam.handed.map((event) => event.bytes[1])).toEqual([48, 60, 60]);
  });

  it("every parameter change handed to the plugin (the timeline's, a timed and a now setParameter) is told to the parameter tap on the frame it lands on, by parameter number", () => {
    const wam = lanesWithProcessor([], [{ frame: 1000, id: "gain", value: 0.25 }]);
    const told: number[][] = [];
    wam.lanes.parameterTap = {
      liveParameter: (node, param, value, frame, played) => told.push([node, param, value, frame, played]),
    };
    wam.lanes.tapBase = 3;
    const set = (frame: number, value: number) =>
      wam.lanes.addOnce(INSTANCE, [frame], [{ type: "wam-automation", data: { id: "gain", value } }]);
    // Stopped (no monitoring): a value set now is handed over at once, on the held position.
    wam.transport.positionFrames = 640;
    wam.quantum();
    set(-1, 2);
    expect(told).toEqual([[3, 1, 2, 640, 0]]);
    wam.transport.running = true;
    wam.transport.positionFrames = 896;
    wam.transport.playedFrames = 256;
    set(1010, 0.5);
    wam.quantum(); // hands over frames [896, 1024): the timeline's change, then the timed one
    // Now while playing: on the first frame of the quantum handed over, which the plugin renders next.
    set(-1, 0.75);
    expect(told.slice(1)).toEqual([
      [3, 1, 0.25, 1000, 360],
      [3, 1, 0.5, 1010, 370],
      [3, 1, 0.75, 896, 256],
    ]);
    expect(wam.handed.filter((event) => event.type === "wam-automation").length).toBe(4);
  });
});

describe("WAM event lanes: the chase on a jump", () => {
  it("play, a seek and a loop wrap each hand every automated parameter the value in effect where they land first (the graph's before its first event); an event on that frame follows and wins", () => {
    // gain: 0.25 before frame 1000, 0.5 from 1000, 0.75 from 2000; mix is not automated.
    const wam = lanesWithProcessor(
      [],
      [
        { frame: 1000, id: "gain", value: 0.5 },
        { frame: 2000, id: "gain", value: 0.75 },
      ],
      { gain: 0.25, mix: 1 },
    );
    const told: number[][] = [];
    wam.lanes.parameterTap = {
      liveParameter: (_node, param, value, frame) => told.push([param, value, frame]),
    };
    const automation = () => wam.handed.filter((event) => event.type === "wam-automation");
    const t = wam.transport;
    t.running = true;
    wam.quantum(); // play at 0: the graph's value before the first event, on the first frame
    expect(automation()).toEqual([{ type: "wam-automation", time: QUANTUM / SR, bytes: [], value: 0.25 }]);
    t.positionFrames = 128;
    wam.quantum(); // no jump: nothing
    expect(automation()).toHaveLength(1);
    t.positionFrames = 1536; // a seek past the first event: its value, on the seek's first frame
    wam.quantum();
    expect(automation()[1]).toEqual({
      type: "wam-automation",
      time: (3 * QUANTUM) / SR,
      bytes: [],
      value: 0.5,
    });
    // A loop [1536, 2560) that played past 2000 (0.75) wraps: back to 0.5 on the loop's start.
    Object.assign(t, { loopEnabled: true, loopStart: 1536, loopEnd: 2560, positionFrames: 1920 });
    wam.quantum(); // [1920, 2048): the timeline's 0.75 on 2000
    for (let position = 2048; position <= 2560; position += QUANTUM) {
      t.positionFrames = position;
      wam.quantum(); // up to [2432, 2560), then 2560 wraps to 1536
    }
    // A seek onto an event's own frame: the value before it, then the event itself on the same time.
    Object.assign(t, { loopEnabled: false, positionFrames: 2000 });
    wam.quantum();
    expect(told).toEqual([
      [1, 0.25, 0],
      [1, 0.5, 1536],
      [1, 0.5, 1920], // the jump from 1664 (expected) to 1920 is a seek too
      [1, 0.75, 2000],
      [1, 0.5, 1536], // the loop wrap
      [1, 0.5, 2000], // the seek onto 2000: the value before it ...
      [1, 0.75, 2000], // ... then its own event
    ]);
    const last = automation().slice(-2);
    expect(last.map((event) => event.time)).toEqual([(10 * QUANTUM) / SR, (10 * QUANTUM) / SR]); // the 10th quantum
  });

  it("jumpTo (a live render's start, between quanta) hands the values at once (time 0) on the start frame; the dispatches after it hand nothing again", () => {
    const wam = lanesWithProcessor([], [{ frame: 1000, id: "gain", value: 0.5 }], { gain: 0.25 });
    const told: number[][] = [];
    wam.lanes.parameterTap = {
      liveParameter: (_node, param, value, frame) => told.push([param, value, frame]),
    };
    wam.lanes.jumpTo(1200, 0);
    const automation = () => wam.handed.filter((event) => event.type === "wam-automation");
    expect(automation()).toEqual([{ type: "wam-automation", time: 0, bytes: [], value: 0.5 }]);
    expect(told).toEqual([[1, 0.5, 1200]]);
    // Play took effect in the quantum just rendered ([1200, 1328)), then the next: no jump either time.
    wam.transport.running = true;
    wam.transport.positionFrames = 1328;
    wam.quantum();
    wam.transport.positionFrames = 1456;
    wam.quantum();
    expect(automation()).toHaveLength(1);
  });
});
