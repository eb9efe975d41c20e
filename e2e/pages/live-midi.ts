// Live MIDI (sendMidi) in the real-time AudioWorklet host, driven from Playwright
// (e2e/live-midi.spec.ts). Each take is captured through the capture ring (a render with
// options.offline = false of the graph already playing, so it keeps it) while notes are played live,
// now and at a time, and recorded (startMidiRecording / stopMidiRecording). The instruments make
// onsets exact: a sampler playing a constant 1 with no attack or release sounds velocity / 127 from
// its note's very frame; the fixture WAM adds velocity / 127 from its note's frame.

import { recordedMidiEvents } from "../../src/api/midi-recording";
import { AudioWorkletEngineClient } from "../../src/browser";
import type { GraphDescriptorInput, RenderRequestInput } from "../../src/contracts";
import { FIXTURE_URL } from "./wam-hosting";

let engine: AudioWorkletEngineClient | null = null;

function client(): AudioWorkletEngineClient {
  if (!engine) throw new Error("call start() first");
  return engine;
}

function request(node_graph: GraphDescriptorInput, seconds: number): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "live-midi",
    node_graph,
    duration_seconds: seconds,
    sample_rate: client().context.sampleRate,
    channels: 1,
    start_position_seconds: 0,
    options: { offline: false, preroll: 0 },
  };
}

async function samples(result: { status: string; error: string | null; buffer_handle: string | null }) {
  if (result.status !== "ok") throw new Error(`render ${result.status}: ${result.error}`);
  const [channel] = await client().readBuffer(result.buffer_handle as string);
  await client().releaseBuffer(result.buffer_handle as string);
  return channel ?? new Float32Array(0);
}

/** Resolves once the transport has played past `seconds`; returns the frame it had reached. */
async function playedPast(seconds: number): Promise<number> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const state = client().readTransport();
    if (state.running && state.positionSeconds >= seconds) return state.positionFrames;
    if (performance.now() > deadline) throw new Error(`the transport never passed ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Frames where the signal changes from the frame before, with the value from there. */
function steps(channel: Float32Array): [number, number][] {
  const found: [number, number][] = [];
  for (let i = 1; i < channel.length; i++) {
    if (channel[i] !== channel[i - 1]) found.push([i, channel[i] as number]);
  }
  return found;
}

let sampler: GraphDescriptorInput | null = null;

/** The sampler graph with its one node (index 0) named `name`: graphs alike but for that name. */
function samplerNamed(name: string): GraphDescriptorInput {
  const graph = sampler as { nodes: { name: string }[] };
  return {
    ...(sampler as object),
    nodes: [{ ...graph.nodes[0], name }],
    output: name,
  } as GraphDescriptorInput;
}

/** Waits 20 quanta, then reads the meters (one quantum's peak and RMS per channel) and the transport. */
async function after20Quanta() {
  const c = client();
  const target = c.readTransport().quantum + 20;
  const deadline = performance.now() + 10_000;
  while (c.readTransport().quantum < target) {
    if (performance.now() > deadline) throw new Error("the engine stopped rendering quanta");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const reading = c.createMeterReading();
  c.readMeters(reading);
  const t = c.readTransport();
  return {
    peak: Array.from(reading.peak),
    rms: Array.from(reading.rms),
    running: t.running,
    monitoring: t.monitoring,
    positionFrames: t.positionFrames,
  };
}

/** The fixture WAM as an instrument: a constant 0 into it, its output the velocities held / 127. */
function fixtureGraph(): GraphDescriptorInput {
  return {
    version: "v1alpha",
    nodes: [
      { name: "zero", node_id: "builtin:constant", params: { offset: 0 } },
      {
        name: "wam",
        node_id: "wam:com.webdreamer.fixture",
        inputs: ["zero"],
        extensions: { wam: { module_url: FIXTURE_URL } },
      },
    ],
    output: "wam",
  };
}

const api = {
  async start() {
    engine = await AudioWorkletEngineClient.start({ connect: false });
    await engine.context.resume();
    const rate = engine.context.sampleRate;
    const one = await engine.uploadBuffer([new Float32Array(2 * rate).fill(1)], rate);
    sampler = {
      version: "v1alpha",
      nodes: [
        {
          name: "keys",
          node_id: "builtin:sampler",
          params: { loop_mode: "continuous", attack: 0, release: 0 },
          buffers: { data: one },
        },
      ],
      output: "keys",
    };
    await engine.loadGraph(sampler);
    return { sampleRate: rate, dataPlane: engine.dataPlane };
  },

  /**
   * A 1.2 s take of the sampler, recorded: note 60 (velocity 100) on now once 0.2 s have played and
   * off now once 0.4 s have, note 64 (velocity 127) on at 0.6 s and off at 0.8 s (sent at 0.1 s).
   */
  async samplerTake() {
    const c = client();
    await c.startMidiRecording();
    const capture = c.render(request(sampler as GraphDescriptorInput, 1.2));
    await playedPast(0.1);
    await c.sendMidi("keys", { type: "note_on", note: 64, velocity: 127 }, { atSeconds: 0.6 });
    await c.sendMidi("keys", { type: "note_off", note: 64 }, { atSeconds: 0.8 });
    const onCalledAt = await playedPast(0.2);
    await c.sendMidi("keys", { type: "note_on", note: 60, velocity: 100 });
    const onTakenAt = c.readTransport().positionFrames;
    const offCalledAt = await playedPast(0.4);
    await c.sendMidi("keys", { type: "note_off", note: 60 });
    await c.sendMidi("keys", { type: "note_off", note: 70 }); // not on: harmless
    const live = await samples(await capture);
    const take = await c.stopMidiRecording();
    return {
      frames: live.length,
      steps: steps(live),
      first: live[0],
      onCalledAt,
      onTakenAt,
      offCalledAt,
      recorded: take.events.map((e) => ({ node: e.node, frame: e.frame, message: e.message })),
      lost: take.lost,
      notes: recordedMidiEvents(take, "keys"),
      badCommands: c.readTransport().badCommands,
    };
  },

  /**
   * The fixture WAM as the instrument (a constant 0 into it: its output is the velocities held / 127):
   * note 60 on now once 0.1 s have played, note 62 on at 0.25 s and both off at 0.3 s (all notes off).
   */
  async wamTake() {
    const c = client();
    const graph = fixtureGraph();
    await c.loadGraph(graph);
    const capture = c.render(request(graph, 0.4));
    await playedPast(0.05);
    await c.sendMidi("wam", { type: "note_on", note: 62, velocity: 127 }, { atSeconds: 0.25 });
    await c.sendMidi("wam", { type: "note_off", note: 60 }, { atSeconds: 0.3 });
    await c.sendMidi("wam", { type: "note_off", note: 62 }, { atSeconds: 0.3 });
    const onCalledAt = await playedPast(0.1);
    await c.sendMidi("wam", { type: "note_on", note: 60, velocity: 100 });
    const live = await samples(await capture);
    let refused = "";
    await c.sendMidi("zero", { type: "note_on", note: 60, velocity: 100 }).catch((error: Error) => {
      refused = error.message;
    });
    await c.loadGraph(sampler as GraphDescriptorInput);
    return { frames: live.length, steps: steps(live), onCalledAt, refused };
  },

  /**
   * Live notes with the transport stopped (played to 0.1 s, then paused), read on the meters (the
   * capture ring only takes frames the transport plays): note 60 (velocity 100) with monitoring off,
   * then on, then released. Each reading waits 20 quanta after the call resolved.
   */
  async stoppedNotes() {
    const c = client();
    await c.loadGraph(sampler as GraphDescriptorInput);
    await c.play();
    await playedPast(0.1);
    await c.pause();
    const before = await after20Quanta();
    await c.sendMidi("keys", { type: "note_on", note: 60, velocity: 100 });
    const off = await after20Quanta();
    await c.sendMidi("keys", { type: "note_off", note: 60 });
    await c.setMonitoring(true);
    const monitoringQuiet = await after20Quanta();
    await c.sendMidi("keys", { type: "note_on", note: 60, velocity: 100 });
    const on = await after20Quanta();
    await c.sendMidi("keys", { type: "note_off", note: 60 });
    const released = await after20Quanta();
    let refused = "";
    await c.setMonitoring("yes" as unknown as boolean).catch((error: Error) => {
      refused = error.message;
    });
    await c.setMonitoring(false);
    const after = await after20Quanta();
    return { before, off, monitoringQuiet, on, released, after, refused };
  },

  /**
   * The fixture WAM (output: the velocities held / 127) with the transport stopped: note 60 sent now
   * with monitoring off (it waits for play), then monitoring on (it is handed over at once), then 62.
   */
  async wamStoppedNotes() {
    const c = client();
    await c.loadGraph(fixtureGraph());
    const before = await after20Quanta();
    await c.sendMidi("wam", { type: "note_on", note: 60, velocity: 100 });
    const off = await after20Quanta();
    await c.setMonitoring(true);
    const on = await after20Quanta();
    await c.sendMidi("wam", { type: "note_on", note: 62, velocity: 127 });
    const both = await after20Quanta();
    await c.sendMidi("wam", { type: "note_off", note: 60 });
    await c.sendMidi("wam", { type: "note_off", note: 62 });
    const released = await after20Quanta();
    await c.setMonitoring(false);
    await c.loadGraph(sampler as GraphDescriptorInput);
    return { before, off, on, both, released };
  },

  /**
   * One take across graph loads: a note on node 0 of graph "a", then at once (before the Worker
   * drains the note's record, every 100 ms) graph "b" is loaded, whose node 0 is "b"; then a note on
   * it and "a" again, four rounds, and a last note on the graph loaded last. Each note is recorded
   * before the load that follows it (the load applies the commands sent before it first).
   */
  async takeAcrossLoads() {
    const c = client();
    const names = ["a", "b", "a", "b", "a"];
    await c.loadGraph(samplerNamed("a"));
    await c.play();
    await c.startMidiRecording();
    for (let round = 0; round < names.length; round++) {
      await c.sendMidi(names[round] as string, { type: "note_on", note: 60 + round, velocity: 100 });
      const next = names[round + 1];
      if (next !== undefined) await c.loadGraph(samplerNamed(next));
    }
    const take = await c.stopMidiRecording();
    await c.stop();
    await c.loadGraph(sampler as GraphDescriptorInput);
    return {
      sent: names.map((node, round) => [node, 60 + round]),
      recorded: take.events.map((e) => [e.node, e.message.type === "note_on" ? e.message.note : -1]),
      lost: take.lost,
    };
  },

  async close() {
    await engine?.close();
    engine = null;
  },
};

export type LiveMidiApi = typeof api;
Object.assign(window, { liveMidi: api });
