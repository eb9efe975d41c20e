// Command storms on the real-time host: floods of parameter, MIDI and transport calls, each call's
// outcome counted against what the audio thread says it did (the transport block's counters) and
// against what it played (meters and real-time captures).
import { AudioWorkletEngineClient, type TransportSnapshot } from "../../src/browser";
import type {
  EngineError,
  GraphDescriptorInput,
  MidiEventInput,
  RenderRequestInput,
} from "../../src/contracts";

let engine: AudioWorkletEngineClient | null = null;

function client(): AudioWorkletEngineClient {
  if (!engine) throw new Error("call start() first");
  return engine;
}

/** The counters a storm is judged by, copied out of the transport block. */
function counters() {
  const s: TransportSnapshot = client().readTransport();
  return {
    quantum: s.quantum,
    positionFrames: s.positionFrames,
    running: s.running,
    underruns: s.underruns,
    ringOverflows: s.ringOverflows,
    lateCommands: s.lateCommands,
    badCommands: s.badCommands,
    droppedCommands: s.droppedCommands,
    appliedCommands: s.appliedCommands,
  };
}
type Counters = ReturnType<typeof counters>;

function delta(after: Counters, before: Counters) {
  return {
    applied: after.appliedCommands - before.appliedCommands,
    late: after.lateCommands - before.lateCommands,
    bad: after.badCommands - before.badCommands,
    dropped: after.droppedCommands - before.droppedCommands,
    ringOverflows: after.ringOverflows - before.ringOverflows,
    underruns: after.underruns - before.underruns,
    quanta: after.quantum - before.quantum,
  };
}

/**
 * Each call's outcome: how many resolved, how many were refused with which code, the last taken; and
 * the audio thread's quantum counter before, halfway through and after the calls settled (it keeps
 * counting while the storm is handled).
 */
async function outcomes(calls: Promise<void>[]) {
  const quanta = [client().readTransport().quantum];
  const half = Math.floor(calls.length / 2);
  const settled = await Promise.allSettled(calls.slice(0, half));
  quanta.push(client().readTransport().quantum);
  settled.push(...(await Promise.allSettled(calls.slice(half))));
  quanta.push(client().readTransport().quantum);
  const refused: Record<string, number> = {};
  let resolved = 0;
  let lastTaken = -1;
  settled.forEach((s, i) => {
    if (s.status === "fulfilled") {
      resolved++;
      lastTaken = i;
    } else {
      const code = (s.reason as EngineError).code ?? String(s.reason);
      refused[code] = (refused[code] ?? 0) + 1;
    }
  });
  return { sent: calls.length, resolved, refused, lastTaken, quanta };
}

/** Waits (bounded by `limitMs`) until `done()`; the storms assert counts, not how long this took. */
async function until(done: () => boolean, limitMs = 10_000): Promise<void> {
  const end = performance.now() + limitMs;
  while (!done() && performance.now() < end) await new Promise((r) => setTimeout(r, 10));
}

/** Waits until the audio thread has rendered two more quanta, so the meters show the latest state. */
async function twoMoreQuanta(): Promise<void> {
  const quantum = client().readTransport().quantum;
  await until(() => client().readTransport().quantum >= quantum + 2, 1000);
}

/** Float32-exact gains in (0, 1], all different from one call to the next. */
/**
 * After a live render: the transport stopped, and two more quanta rendered, so the snapshot the
 * audio thread publishes once per quantum counts the render's own transport moves (the release's
 * seek, loop and pause apply on the control side, between quanta).
 */
async function settledAfterRender(): Promise<void> {
  await until(() => !client().readTransport().running);
  await twoMoreQuanta();
}

const gainValue = (i: number) => (((i * 7919) % 4096) + 1) / 4096;

async function loadGain(): Promise<GraphDescriptorInput> {
  const c = client();
  const sr = c.context.sampleRate;
  const ones = await c.uploadBuffer([new Float32Array(sr).fill(1)], sr);
  // A looping constant 1 through a gain: every output sample is the gain in force on that frame.
  const graph: GraphDescriptorInput = {
    version: "v1alpha",
    nodes: [
      { name: "one", node_id: "builtin:playback", params: { loop: 1 }, buffers: { data: ones } },
      { name: "g", node_id: "builtin:gain", inputs: ["one"], params: { gain: 1 } },
    ],
    output: "g",
  };
  await c.loadGraph(graph);
  return graph;
}

function captureRequest(graph: GraphDescriptorInput, frames: number, offline: boolean): RenderRequestInput {
  const sr = client().context.sampleRate;
  return {
    version: "v1alpha",
    request_id: offline ? "storm-offline" : "storm-capture",
    node_graph: graph,
    duration_seconds: frames / sr,
    sample_rate: sr,
    channels: 1,
    start_position_seconds: 0,
    options: { offline, preroll: 0 },
  };
}

async function readLeft(handle: string | null): Promise<Float32Array> {
  const [left] = await client().readBuffer(handle as string);
  await client().releaseBuffer(handle as string);
  return left as Float32Array;
}

/** After a storm: a short real-time render of a sine plays and captures as it should. */
async function stillUsable(): Promise<{ status: string; peak: number }> {
  const graph: GraphDescriptorInput = {
    version: "v1alpha",
    nodes: [
      { name: "osc", node_id: "builtin:oscillator", params: { frequency: 440 } },
      { name: "g", node_id: "builtin:gain", inputs: ["osc"], params: { gain: 0.5 } },
    ],
    output: "g",
  };
  const result = await client().render(captureRequest(graph, 4410, false));
  const samples = await readLeft(result.buffer_handle);
  return { status: result.status, peak: samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0) };
}

const api = {
  async start() {
    engine = await AudioWorkletEngineClient.start();
    await engine.context.resume();
    return { sampleRate: engine.context.sampleRate };
  },

  /** `count` untimed setParameter calls at once while playing; then what the node plays. */
  async nowFlood(count: number) {
    const c = client();
    await loadGain();
    await c.play();
    const before = counters();
    const t0 = performance.now();
    const calls: Promise<void>[] = [];
    for (let i = 0; i < count; i++) calls.push(c.setParameter("g", "gain", gainValue(i)));
    const result = await outcomes(calls);
    const elapsedMs = performance.now() - t0;
    await until(() => counters().appliedCommands - before.appliedCommands >= result.resolved);
    await twoMoreQuanta();
    const reading = c.createMeterReading();
    c.readMeters(reading);
    const after = counters();
    return {
      ...result,
      elapsedMs,
      delta: delta(after, before),
      running: after.running,
      playing: reading.peak[0],
      expected: gainValue(result.lastTaken),
      usable: await stillUsable(),
    };
  },

  /** `count` setParameter calls `spacing` frames apart, sent while stopped, then captured as they play. */
  async futureFlood(count: number, spacing: number) {
    const c = client();
    const sr = c.context.sampleRate;
    const graph = await loadGain();
    await c.stop();
    const first = 2000;
    const before = counters();
    const t0 = performance.now();
    const calls: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      calls.push(c.setParameter("g", "gain", gainValue(i), { atSeconds: (first + spacing * i) / sr }));
    }
    const result = await outcomes(calls);
    const elapsedMs = performance.now() - t0;
    const capture = await c.render(captureRequest(graph, first + spacing * count + 1000, false));
    const samples = await readLeft(capture.buffer_handle);
    let wrong = 0;
    let firstWrong = -1;
    for (let f = 0; f < samples.length; f++) {
      const i = Math.min(Math.floor((f - first) / spacing), count - 1);
      const expected = i < 0 ? 1 : gainValue(i);
      if (samples[f] !== expected) {
        wrong++;
        if (firstWrong < 0) firstWrong = f;
      }
    }
    await settledAfterRender();
    return {
      ...result,
      elapsedMs,
      captureStatus: capture.status,
      frames: samples.length,
      wrong,
      firstWrong,
      delta: delta(counters(), before),
      usable: await stillUsable(),
    };
  },

  /**
   * `notes` one-frame notes `spacing` frames apart on a sampler of constant 1, in calls of `perCall`,
   * sent while stopped, then captured; compared with the offline render of the same graph and notes.
   */
  async midiFlood(notes: number, perCall: number, spacing: number) {
    const c = client();
    const sr = c.context.sampleRate;
    const ones = await c.uploadBuffer([new Float32Array(64).fill(1)], sr);
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [{ name: "keys", node_id: "builtin:sampler", buffers: { data: ones } }],
      output: "keys",
    };
    await c.loadGraph(graph);
    await c.stop();
    const first = 2000;
    const note = (k: number): MidiEventInput => ({
      type: "note",
      time: (first + spacing * k) / sr,
      duration: 1 / sr,
      note: 60,
      velocity: (k % 127) + 1,
    });
    const events = Array.from({ length: notes }, (_, k) => note(k));
    const before = counters();
    const t0 = performance.now();
    const calls: Promise<void>[] = [];
    for (let k = 0; k < notes; k += perCall)
      calls.push(c.scheduleEvents("keys", events.slice(k, k + perCall)));
    const result = await outcomes(calls);
    const elapsedMs = performance.now() - t0;
    const frames = first + spacing * notes + 1000;
    const capture = await c.render(captureRequest(graph, frames, false));
    const live = await readLeft(capture.buffer_handle);
    await settledAfterRender();
    const after = counters();
    // The reference: the offline render of one note per velocity, on the same spacing. Every live
    // note of velocity v must play exactly its frames (note k covers [first + spacing k, + spacing)).
    const withNotes: GraphDescriptorInput = {
      ...graph,
      nodes: [
        {
          name: "keys",
          node_id: "builtin:sampler",
          buffers: { data: ones },
          midi: Array.from({ length: 127 }, (_, k) => note(k)),
        },
      ],
    };
    const offline = await c.render(captureRequest(withNotes, first + spacing * 127 + 1000, true));
    const reference = await readLeft(offline.buffer_handle);
    const silence = reference[reference.length - 1];
    const expected = (f: number) => {
      const k = Math.floor((f - first) / spacing);
      if (f < first || k >= notes) return silence;
      return reference[first + spacing * (k % 127) + ((f - first) % spacing)];
    };
    let wrong = 0;
    let firstWrong = -1;
    let sounding = 0;
    for (let f = 0; f < frames; f++) {
      if (live[f] !== expected(f)) {
        wrong++;
        if (firstWrong < 0) firstWrong = f;
      }
      if ((live[f] as number) > 0) sounding++;
    }
    return {
      ...result,
      elapsedMs,
      commands: 2 * notes,
      captureStatus: capture.status,
      frames: live.length,
      wrong,
      firstWrong,
      sounding,
      delta: delta(after, before),
      usable: await stillUsable(),
    };
  },

  /** `count` transport calls (seek, loop, tempo in turn) at once while playing; then the state. */
  async transportFlood(count: number) {
    const c = client();
    await loadGain();
    await c.play();
    const before = counters();
    const calls: Promise<void>[] = [];
    let expectedTempo = 0;
    let expectedLoopEnd = 0;
    for (let i = 0; i < count; i++) {
      if (i % 3 === 0) calls.push(c.seek((i % 100) / 100));
      else if (i % 3 === 1) {
        expectedLoopEnd = 1 + (i % 50) / 10;
        calls.push(c.setLoop({ start_seconds: 0, end_seconds: expectedLoopEnd }));
      } else {
        expectedTempo = 60 + (i % 120);
        calls.push(c.setTempo(expectedTempo));
      }
    }
    const result = await outcomes(calls);
    await until(() => counters().appliedCommands - before.appliedCommands >= result.resolved);
    const state = await c.getTransportState();
    const after = counters();
    await c.setLoop(null);
    return {
      ...result,
      delta: delta(after, before),
      running: state.running,
      tempo: state.tempo_bpm,
      expectedTempo,
      loopEnd: state.extensions.loop?.end_seconds ?? null,
      expectedLoopEnd,
      usable: await stillUsable(),
    };
  },

  /** A now-flood while the context is suspended: what fits the ring is taken, the rest refused. */
  async suspendedFlood(count: number) {
    const c = client();
    await loadGain();
    await c.play();
    await c.context.suspend();
    const before = counters();
    const calls: Promise<void>[] = [];
    for (let i = 0; i < count; i++) calls.push(c.setParameter("g", "gain", gainValue(i)));
    const result = await outcomes(calls);
    await c.context.resume();
    await until(() => counters().appliedCommands - before.appliedCommands >= result.resolved);
    await twoMoreQuanta();
    const reading = c.createMeterReading();
    c.readMeters(reading);
    return {
      ...result,
      delta: delta(counters(), before),
      playing: reading.peak[0],
      expected: gainValue(result.lastTaken),
      usable: await stillUsable(),
    };
  },

  /**
   * Timed MIDI beyond the Worker's backlog: calls of 65 536 far-future notes (131 072 commands) while
   * stopped; the backlog takes two, refuses the third whole. A graph load then discards all of them:
   * the dropped counter says so.
   */
  async backlogFlood(callCount: number) {
    const c = client();
    const ones = await c.uploadBuffer([new Float32Array(64).fill(1)], c.context.sampleRate);
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [{ name: "keys", node_id: "builtin:sampler", buffers: { data: ones } }],
      output: "keys",
    };
    await c.loadGraph(graph);
    await c.stop();
    const notes: MidiEventInput[] = Array.from({ length: 65_536 }, (_, k) => ({
      type: "note",
      time: 60 + k / 1000,
      duration: 0.0005,
      note: 60,
      velocity: 100,
    }));
    const before = counters();
    const calls: Promise<void>[] = [];
    for (let i = 0; i < callCount; i++) calls.push(c.scheduleEvents("keys", notes));
    const result = await outcomes(calls);
    await loadGain(); // a new graph: every taken command still waiting is discarded
    await until(() => counters().droppedCommands - before.droppedCommands >= 2 * 65_536 * result.resolved);
    return { ...result, delta: delta(counters(), before), usable: await stillUsable() };
  },

  async close() {
    await engine?.close();
    engine = null;
  },
};

Object.assign(window, { storm: api });
export type StormApi = typeof api;
