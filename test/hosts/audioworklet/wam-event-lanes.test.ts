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
}

const SR = 48000;
const QUANTUM = 128;
const INSTANCE = "fixture.1";

/** Lanes for one fake WAM processor that keeps what it is handed; the transport is a plain object. */
function lanesWithProcessor(
  timeline: { frame: number; bytes: number[] }[] = [],
  automation: { frame: number; id: string; value: number }[] = [],
) {
  const handed: Handed[] = [];
  const processor = {
    scheduleEvents(...events: { type: string; time: number; data: unknown }[]) {
      for (const event of events) {
        handed.push({
          type: event.type,
          time: event.time,
          bytes: [...((event.data as { bytes?: number[] }).bytes ?? [])],
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
