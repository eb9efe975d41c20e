// WAM hosting, driven from Playwright (e2e/wam-hosting.spec.ts): graphs with WAM nodes rendered by the
// AudioWorklet host, offline in an OfflineAudioContext and live.
import { AudioWorkletEngineClient } from "../../src/browser";
import type { GraphDescriptorInput, RenderRequestInput } from "../../src/contracts";
import { parseContract } from "../../src/contracts/validate";
import { checkSessionFile, SessionFileSchema } from "../../src/session/session-file";
import { plainTakeEvents } from "./take-events";

const SAMPLE_RATE = 48000;
/** Frames of the ramp liveCommandsWhilePlaying automates an engine node with. */
const RAMP_FRAMES = 4800;
export const FIXTURE_URL = "/build/wam/fixture/index.js";
const CORPUS = "/wam-corpus/plugins";

let engine: AudioWorkletEngineClient | null = null;

function client(): AudioWorkletEngineClient {
  if (!engine) throw new Error("call start() first");
  return engine;
}

function request(
  graph: GraphDescriptorInput,
  seconds: number,
  extra: Partial<RenderRequestInput> = {},
): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "wam",
    node_graph: graph,
    duration_seconds: seconds,
    sample_rate: SAMPLE_RATE,
    channels: 2,
    ...extra,
  };
}

async function renderChannels(
  graph: GraphDescriptorInput,
  seconds: number,
  extra: Partial<RenderRequestInput> = {},
) {
  const result = await client().render(request(graph, seconds, extra));
  const channels = result.buffer_handle ? await client().readBuffer(result.buffer_handle) : [];
  return { result, channels };
}

function fixture(extra: Partial<GraphDescriptorInput["nodes"][number]> = {}, state?: unknown) {
  return {
    name: "fx",
    node_id: "wam:com.webdreamer.fixture",
    extensions: { wam: { module_url: FIXTURE_URL, ...(state === undefined ? {} : { state }) } },
    ...extra,
  };
}

/** Constant 1 through the fixture ("fx", with `extra`'s fields): the output is the fixture's gain. */
function oneThroughFixture(extra: Partial<GraphDescriptorInput["nodes"][number]> = {}): GraphDescriptorInput {
  return {
    version: "v1alpha",
    nodes: [
      { name: "one", node_id: "builtin:constant", params: { offset: 1 } },
      fixture({ inputs: ["one"], ...extra }),
    ],
    output: "fx",
  };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let max = a.length === b.length ? 0 : Number.POSITIVE_INFINITY;
  for (let i = 0; i < Math.min(a.length, b.length); i++)
    max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

function peakOf(channel: Float32Array): number {
  let peak = 0;
  for (const x of channel) peak = Math.max(peak, Math.abs(x));
  return peak;
}

/**
 * Resolves once the transport plays at or past frame `frame` and before frame `before`; returns the
 * frame it had reached. takeAroundWamRender's transport plays past its render's frames, so a span
 * below them is the render's own.
 */
async function playedPast(frame: number, before = Number.POSITIVE_INFINITY): Promise<number> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const state = client().readTransport();
    if (state.running && state.positionFrames >= frame && state.positionFrames < before)
      return state.positionFrames;
    if (performance.now() > deadline) throw new Error(`the transport never passed frame ${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Frames where the signal changes by more than `threshold` from the frame before. */
function changes(channel: Float32Array, threshold = 1e-6): number[] {
  const found: number[] = [];
  for (let i = 1; i < channel.length; i++) {
    if (Math.abs((channel[i] as number) - (channel[i - 1] as number)) > threshold) found.push(i);
  }
  return found;
}

const api = {
  async start() {
    engine = await AudioWorkletEngineClient.start({ sampleRate: SAMPLE_RATE, connect: false });
    return { sampleRate: engine.context.sampleRate };
  },

  /** Live: the context must run. */
  async resume() {
    await client().context.resume();
    return client().context.state;
  },

  /** osc -> fixture (gain 0.5, latency `latency`) -> filter, against osc -> builtin:gain 0.5 -> filter. */
  async fixtureBetweenBuiltins(latency: number) {
    const osc = { name: "osc", node_id: "builtin:oscillator", params: { frequency: 441, waveform: "saw" } };
    const filter = { name: "filter", node_id: "builtin:filter", inputs: ["fx"], params: { frequency: 2000 } };
    const withWam = await renderChannels(
      {
        version: "v1alpha",
        nodes: [
          osc,
          fixture({ inputs: ["osc"], params: { gain: 0.5 } }, { latencySamples: latency }),
          filter,
        ],
        output: "filter",
      },
      0.5,
    );
    const reference = await renderChannels(
      {
        version: "v1alpha",
        nodes: [osc, { name: "fx", node_id: "builtin:gain", inputs: ["osc"], params: { gain: 0.5 } }, filter],
        output: "filter",
      },
      0.5,
    );
    const [left, right] = withWam.channels as [Float32Array, Float32Array];
    const [refLeft] = reference.channels as [Float32Array];
    return {
      status: withWam.result.status,
      frames: withWam.result.frames,
      extensions: withWam.result.extensions,
      peak: peakOf(left),
      referencePeak: peakOf(refLeft),
      maxDiffLeft: maxDiff(left, refLeft),
      maxDiffRight: maxDiff(right, refLeft),
    };
  },

  /**
   * A constant 1 through the fixture: gain steps by automation and notes add velocity/127, so each
   * change of the output is an event landing; returns the frames where the output changes.
   */
  async fixtureEventFrames(options: { offline?: boolean; resolution?: "frame" | "block" } = {}) {
    const frame = (f: number) => f / SAMPLE_RATE;
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [
        { name: "one", node_id: "builtin:constant", params: { offset: 1 } },
        fixture({
          inputs: ["one"],
          params: { gain: 0.25 },
          automation: {
            gain: {
              kind: "breakpoints",
              points: [
                { time: 0, value: 0.25, curve: "step" },
                { time: frame(1000), value: 0.5, curve: "step" },
                { time: frame(7777), value: 0.125, curve: "step" },
              ],
            },
          },
          midi: [
            { type: "note", time: frame(3001), duration: frame(2000), note: 60, velocity: 127 },
            { type: "note", time: frame(4100), duration: frame(3000), note: 64, velocity: 127 },
          ],
        }),
      ],
      output: "fx",
    };
    const { result, channels } = await renderChannels(graph, 0.25, {
      options: {
        offline: options.offline ?? true,
        record_midi: { nodes: ["fx", "one"] },
        // The values the fixture and the constant were given (live: the constant's as its stage had it).
        record_automation: { nodes: ["fx", "one"], resolution: options.resolution ?? "frame" },
      },
    });
    const left = channels[0] as Float32Array;
    const recorded = result.extensions.automation ?? {};
    const read = async (handle: string | undefined) =>
      handle ? ((await client().readBuffer(handle))[0] as Float32Array) : new Float32Array(0);
    const gain = await read(recorded.fx?.gain);
    const offset = await read(recorded.one?.offset);
    return {
      status: result.status,
      error: result.error,
      midi: result.extensions.midi,
      automation: {
        nodes: Object.keys(recorded),
        gainLength: gain.length,
        gainChanges: changes(gain),
        gainValues: [0, 999, 1000, 7776, 7777, gain.length - 1].map((i) => gain[i]),
        offsetRange: [Math.min(...offset), Math.max(...offset), offset.length],
      },
      blockFrames: result.extensions.automation_block_frames,
      // Per block: every value (one per 128 frames).
      gainBlocks: options.resolution === "block" ? Array.from(gain) : [],
      midiFileBytes: atob(result.extensions.midi_file ?? "").length,
      samples: Array.from(left),
      changes: changes(left),
      values: [0, 999, 1000, 3000, 3001, 4100, 5001, 7100, 7777, 9000].map((i) => left[i]),
    };
  },

  /**
   * osc -> fixture that throws after `throwAfter` frames, mixed with a second oscillator: the fixture
   * goes silent with one error naming it, the rest plays on.
   */
  async throwingFixture(throwAfter: number) {
    const { result, channels } = await renderChannels(
      {
        version: "v1alpha",
        nodes: [
          { name: "osc", node_id: "builtin:oscillator", params: { frequency: 300 } },
          fixture({ inputs: ["osc"] }, { throwAfterFrames: throwAfter }),
          { name: "other", node_id: "builtin:oscillator", params: { frequency: 500, amplitude: 0.25 } },
          { name: "mix", node_id: "builtin:mixer", inputs: ["fx", "other"] },
        ],
        output: "mix",
      },
      0.5,
    );
    const left = channels[0] as Float32Array;
    return {
      status: result.status,
      extensions: result.extensions,
      peakBefore: peakOf(left.subarray(0, throwAfter - 256)),
      peakAfter: peakOf(left.subarray(throwAfter + 2048)),
    };
  },

  /**
   * Renders an instrument of the corpus `runs` times: each run's note onsets, and the largest sample
   * difference of each run from the first (repeatability).
   */
  async instrumentRepeatability(
    path: string,
    notes: number[],
    runs: number,
    extensions: Record<string, unknown> = {},
  ) {
    const takes: { onsets: number[]; samples: Float32Array; ms: number }[] = [];
    for (let run = 0; run < runs; run++) {
      const take = await api.corpusInstrument(path, notes, extensions);
      const [left] = await client().readBuffer(take.handle as string);
      takes.push({ onsets: take.onsets, samples: left as Float32Array, ms: take.ms });
    }
    const first = takes[0]?.samples as Float32Array;
    return {
      onsets: takes.map((take) => take.onsets),
      maxDiffFromFirst: takes.map((take) => maxDiff(take.samples, first)),
      ms: takes.map((take) => Math.round(take.ms)),
    };
  },

  /**
   * An instrument of the corpus played by graph MIDI: the frames where its notes start. `live`
   * renders it in real time on the AudioWorklet host (options.offline false) instead of offline.
   */
  async corpusInstrument(
    path: string,
    notes: number[],
    extensions: Record<string, unknown> = {},
    live = false,
  ) {
    const nodes: GraphDescriptorInput["nodes"] = [
      {
        name: "synth",
        node_id: `wam:${path}`,
        extensions: { wam: { module_url: `${CORPUS}/${path}` } },
        midi: notes.map((f) => ({
          type: "note" as const,
          time: f / SAMPLE_RATE,
          duration: 0.1,
          note: 57,
          velocity: 120,
        })),
      },
    ];
    const started = performance.now();
    const { result, channels } = await renderChannels({ version: "v1alpha", nodes, output: "synth" }, 1, {
      extensions,
      ...(live ? { options: { offline: false } } : {}),
    });
    const left = channels[0] ?? new Float32Array(0);
    // A note's start: its first sample above -60 dBFS after a stretch of silence.
    const onsets: number[] = [];
    let quiet = 1e9;
    for (let i = 0; i < left.length; i++) {
      const loud = Math.abs(left[i] as number) > 1e-3;
      if (loud && quiet > 2400) onsets.push(i);
      quiet = loud ? 0 : quiet + 1;
    }
    return {
      status: result.status,
      error: result.error,
      handle: result.buffer_handle,
      extensions: result.extensions,
      onsets,
      peak: peakOf(left),
      finite: left.every((x) => Number.isFinite(x)),
      ms: performance.now() - started,
    };
  },

  /**
   * Session round trip: a live fixture's gain changed on the plugin (not in the graph), the graph
   * with the plugin's state saved as a session file (JSON) and read back, rendered offline; against
   * the same graph with that gain as a parameter.
   */
  async sessionRoundTrip() {
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator", params: { frequency: 330 } },
        fixture({ inputs: ["osc"] }, { latencySamples: 64 }),
      ],
      output: "fx",
    };
    await client().loadGraph(graph);
    await client().setParameter("fx", "gain", 0.75);
    // The change lands when the plugin's processor takes it (a message, then its next quantum).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const saved = await client().graphWithWamState();
    const file = JSON.stringify({
      version: "v1alpha",
      sample_rate: SAMPLE_RATE,
      block_size: 128,
      request: request(saved as GraphDescriptorInput, 0.25),
      buffers: {},
    });
    const session = parseContract(SessionFileSchema, JSON.parse(file), "session");
    checkSessionFile(session);
    const restored = await client().render(session.request);
    const [restoredLeft] = await client().readBuffer(restored.buffer_handle as string);
    const expected = await renderChannels(
      {
        version: "v1alpha",
        nodes: [
          { name: "osc", node_id: "builtin:oscillator", params: { frequency: 330 } },
          fixture({ inputs: ["osc"], params: { gain: 0.75 } }, { latencySamples: 64 }),
        ],
        output: "fx",
      },
      0.25,
    );
    const untouched = await renderChannels(graph, 0.25);
    const savedWam = saved?.nodes[1]?.extensions?.wam as
      | { state: { parameterValues: { gain: { value: number } }; latencySamples: number } }
      | undefined;
    if (savedWam === undefined) throw new Error("the saved graph's WAM node has no extensions.wam");
    const savedState = savedWam.state;
    return {
      savedGain: savedState.parameterValues.gain.value,
      savedLatency: savedState.latencySamples,
      maxDiffRestored: maxDiff(restoredLeft as Float32Array, expected.channels[0] as Float32Array),
      maxDiffUntouched: maxDiff(untouched.channels[0] as Float32Array, expected.channels[0] as Float32Array),
      peak: peakOf(restoredLeft as Float32Array),
    };
  },

  /**
   * A take (startMidiRecording) running around a live render of a WAM graph that records the fixture's
   * parameters and MIDI (record_automation, record_midi), against the same render alone. Constant 1
   * through the fixture: its gain automated (0.25, 0.5 from frame 1000, 0.125 from 7777) and set live
   * to 0.75 on frame 16000, note 60 on its timeline for frames 3001 to 5001, note 67 sent live for
   * 12000 to 14000 (the render's frames, all timed). The graph plays from frame 96000 (2 s), after the
   * render's; the take gets note 72 sent before the render and 74 after it, each timed 0.1 s ahead of
   * the transport. Returns each render's records and the frames of the take's notes.
   */
  async takeAroundWamRender() {
    const engine = client();
    const playsFrom = 2 * SAMPLE_RATE;
    const graph = oneThroughFixture({
      automation: {
        gain: {
          kind: "breakpoints",
          points: [
            { time: 0, value: 0.25, curve: "step" },
            { time: 1000 / SAMPLE_RATE, value: 0.5, curve: "step" },
            { time: 7777 / SAMPLE_RATE, value: 0.125, curve: "step" },
          ],
        },
      },
      midi: [
        { type: "note", time: 3001 / SAMPLE_RATE, duration: 2000 / SAMPLE_RATE, note: 60, velocity: 127 },
      ],
    });
    const options = { offline: false, record_automation: { nodes: ["fx"] }, record_midi: { nodes: ["fx"] } };
    await engine.loadGraph(graph);
    await engine.seek(playsFrom / SAMPLE_RATE);
    await engine.play();
    const render = async () => {
      const rendering = renderChannels(graph, 0.5, { options });
      await playedPast(2400, playsFrom);
      await Promise.all([
        engine.sendMidi(
          "fx",
          { type: "note_on", note: 67, velocity: 127 },
          { atSeconds: 12000 / SAMPLE_RATE },
        ),
        engine.sendMidi("fx", { type: "note_off", note: 67 }, { atSeconds: 14000 / SAMPLE_RATE }),
        engine.setParameter("fx", "gain", 0.75, { atSeconds: 16000 / SAMPLE_RATE }),
      ]);
      const { result, channels } = await rendering;
      const handle = result.extensions.automation?.fx?.gain;
      const gain = handle ? ((await engine.readBuffer(handle))[0] as Float32Array) : new Float32Array(0);
      const output = channels[0] as Float32Array;
      return {
        status: result.status,
        error: result.error,
        midi: result.extensions.midi?.fx ?? [],
        gainLength: gain.length,
        gainChanges: changes(gain),
        gainValues: [0, 1000, 7777, 16000].map((i) => gain[i]),
        output,
      };
    };
    /** Note `note` to the fixture on and off 0.1 s ahead of the transport, 0.05 s long, both played. */
    const timedNote = async (note: number): Promise<[on: number, off: number]> => {
      const on = engine.readTransport().positionFrames + 4800;
      const off = on + 2400;
      await engine.sendMidi("fx", { type: "note_on", note, velocity: 90 }, { atSeconds: on / SAMPLE_RATE });
      await engine.sendMidi("fx", { type: "note_off", note }, { atSeconds: off / SAMPLE_RATE });
      await playedPast(off + 128);
      return [on, off];
    };

    const alone = await render();
    await engine.startMidiRecording();
    const before = await timedNote(72);
    const inside = await render();
    const after = await timedNote(74);
    const take = await engine.stopMidiRecording();
    await engine.stop();
    const { output: aloneOutput, ...aloneRecords } = alone;
    const { output: insideOutput, ...insideRecords } = inside;
    return {
      alone: aloneRecords,
      inside: insideRecords,
      outputDiff: maxDiff(aloneOutput, insideOutput),
      outputChanges: changes(insideOutput),
      before,
      after,
      take: {
        events: plainTakeEvents(take),
        lost: take.lost,
      },
    };
  },

  /**
   * A WAM parameter changed while the graph plays, before a live render of that graph starts: set
   * live (setParameter without a time), then moved in the fixture's own GUI (setParameterValues on
   * its node, which the audio thread never sees). Each render records the fixture's gain; constant 1
   * through it, the output is the gain. Returns each record's values and the output's.
   */
  async heldValuesStartTheRecord() {
    const graph = oneThroughFixture();
    const engine = client();
    const options = { offline: false, record_automation: { nodes: ["fx"] } };
    const recordAndOutput = async () => {
      const { result, channels } = await renderChannels(graph, 0.1, { options });
      const handle = result.extensions.automation?.fx?.gain;
      const record = handle ? ((await engine.readBuffer(handle))[0] as Float32Array) : new Float32Array(0);
      const output = channels[0] as Float32Array;
      return {
        status: result.status,
        recordLength: record.length,
        recordDistinct: [...new Set(record)],
        outputDistinct: [...new Set(output)],
      };
    };
    await engine.loadGraph(graph);
    await engine.setParameter("fx", "gain", 0.25);
    const setLive = await recordAndOutput();
    const container = document.querySelector("#gui") as HTMLElement;
    const unmount = await engine.mountWamGui("fx", container);
    const control = container.querySelector<HTMLInputElement>('[data-parameter-id="gain"]');
    if (control === null) throw new Error("the fixture's GUI has no gain control");
    control.value = "0.625";
    control.dispatchEvent(new Event("input"));
    // The plugin's own report (its port answers after the GUI's setParameterValues posted before).
    const reported = (await engine.getParameter("fx", "gain")).value;
    const movedInGui = await recordAndOutput();
    unmount();
    return { setLive, reported, movedInGui };
  },

  /**
   * The fixture's GUI slider moved to 0.375 during a 1 s live render of constant 1 through it, once
   * the playhead is past 0.3 s: where the render's record of the gain changes, and where its output.
   * `normalized`: its normalized slider moved instead, to 0.5234375 of [-8, 8] (0.375 too).
   */
  async guiMoveDuringRender(normalized = false) {
    const graph = oneThroughFixture();
    const engine = client();
    await engine.loadGraph(graph);
    const container = document.querySelector("#gui") as HTMLElement;
    const unmount = await engine.mountWamGui("fx", container);
    const control = container.querySelector<HTMLInputElement>(
      `[data-parameter-id="gain"]${normalized ? "[data-normalized]" : ":not([data-normalized])"}`,
    );
    if (control === null) throw new Error("the fixture's GUI has no gain control");
    const rendering = renderChannels(graph, 1, {
      options: { offline: false, record_automation: { nodes: ["fx"] } },
    });
    while (engine.readTransport().positionFrames < 0.3 * SAMPLE_RATE)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const movedAt = engine.readTransport().positionFrames;
    control.value = normalized ? "0.5234375" : "0.375";
    control.dispatchEvent(new Event("input"));
    const { result, channels } = await rendering;
    unmount();
    const handle = result.extensions.automation?.fx?.gain;
    const record = handle ? ((await engine.readBuffer(handle))[0] as Float32Array) : new Float32Array(0);
    const output = channels[0] as Float32Array;
    return {
      status: result.status,
      movedAt,
      recordChanges: changes(record),
      outputChanges: changes(output),
      recordValues: [record[0], record[record.length - 1]],
      outputValues: [output[0], output[output.length - 1]],
    };
  },

  /**
   * The fixture's gain automated 0.25 up to 0.5 s and 1 from there, played live in a loop
   * [0.25 s, 0.75 s) for 2.5 s: what the plugin reports (getParameter) at moments of the play,
   * each with the transport frames read just before and after the question.
   */
  async automationInALoop() {
    const graph = oneThroughFixture({
      automation: {
        gain: {
          kind: "breakpoints",
          points: [
            { time: 0, value: 0.25, curve: "step" },
            { time: 0.5, value: 1, curve: "step" },
          ],
        },
      },
    });
    const engine = client();
    await engine.loadGraph(graph);
    await engine.setLoop({ start_seconds: 0.25, end_seconds: 0.75 });
    await engine.seek(0);
    await engine.play();
    const readings: { before: number; after: number; value: number }[] = [];
    const until = performance.now() + 2500;
    while (performance.now() < until) {
      const before = engine.readTransport().positionFrames;
      const { value } = await engine.getParameter("fx", "gain");
      readings.push({ before, after: engine.readTransport().positionFrames, value });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await engine.pause();
    return readings;
  },

  /** Mounts a playing WAM's GUI in #gui; returns what it showed and what is left after unmounting. */
  async mountGui(path: string | null) {
    const node =
      path === null
        ? fixture({ inputs: ["osc"] })
        : {
            name: "fx",
            node_id: `wam:${path}`,
            inputs: ["osc"],
            extensions: { wam: { module_url: `${CORPUS}/${path}` } },
          };
    await client().loadGraph({
      version: "v1alpha",
      nodes: [{ name: "osc", node_id: "builtin:oscillator" }, node],
      output: "fx",
    });
    const container = document.querySelector("#gui") as HTMLElement;
    const unmount = await client().mountWamGui("fx", container);
    const mounted = {
      children: container.childElementCount,
      text: container.textContent ?? "",
      tag: container.firstElementChild?.tagName ?? "",
    };
    unmount();
    return { mounted, after: container.childElementCount };
  },

  /**
   * Live commands in a WAM graph, against the same changes written into the graph and rendered
   * offline. one(constant) and synth play in stage 0, amp (a mixer of fx and synth) in stage 1,
   * between the fixtures fx and fx2: every command names a node that is not the primary's.
   */
  async liveCommands() {
    const f = (frame: number) => frame / SAMPLE_RATE;
    const step = (points: [number, number][]) => ({
      kind: "breakpoints" as const,
      points: points.map(([frame, value]) => ({ time: f(frame), value, curve: "step" as const })),
    });
    const synthNote = { type: "note" as const, time: f(5000), duration: f(2000), note: 69, velocity: 100 };
    const fxNote = { type: "note" as const, time: f(8000), duration: f(1000), note: 60, velocity: 127 };
    const graph = (live: boolean): GraphDescriptorInput => ({
      version: "v1alpha",
      nodes: [
        {
          name: "one",
          node_id: "builtin:constant",
          params: { offset: 1 },
          ...(live
            ? {}
            : {
                automation: {
                  offset: step([
                    [0, 1],
                    [1500, 2],
                  ]),
                },
              }),
        },
        fixture({
          inputs: ["one"],
          ...(live
            ? {}
            : {
                automation: {
                  gain: step([
                    [0, 1],
                    [6000, 3],
                  ]),
                },
                midi: [fxNote],
              }),
        }),
        { name: "synth", node_id: "builtin:synth", ...(live ? {} : { midi: [synthNote] }) },
        {
          name: "amp",
          node_id: "builtin:mixer",
          inputs: ["fx", "synth"],
          params: { gain: live ? 1 : 0.25 },
          ...(live
            ? {}
            : {
                automation: {
                  gain: step([
                    [0, 0.25],
                    [3000, 0.5],
                  ]),
                },
              }),
        },
        {
          ...fixture({
            inputs: ["amp"],
            ...(live
              ? {}
              : {
                  automation: {
                    gain: step([
                      [0, 1],
                      [10000, 0.5],
                    ]),
                  },
                }),
          }),
          name: "fx2",
        },
      ],
      output: "fx2",
    });
    const engine = client();
    await engine.loadGraph(graph(true));
    await engine.setParameter("amp", "gain", 0.25);
    await engine.scheduleAutomation(
      "one",
      "offset",
      step([
        [0, 1],
        [1500, 2],
      ]),
    );
    await engine.setParameter("amp", "gain", 0.5, { atSeconds: f(3000) });
    await engine.scheduleEvents("synth", [synthNote]);
    await engine.setParameter("fx", "gain", 3, { atSeconds: f(6000) });
    await engine.scheduleEvents("fx", [fxNote]);
    await engine.scheduleAutomation(
      "fx2",
      "gain",
      step([
        [0, 1],
        [10000, 0.5],
      ]),
    );
    // fx2's gain recorded too: its scheduleAutomation lane as the audio thread handed it.
    const live = await renderChannels(graph(true), 0.25, {
      options: { offline: false, record_automation: { nodes: ["fx2"] } },
    });
    const offline = await renderChannels(graph(false), 0.25);
    const fx2Handle = live.result.extensions.automation?.fx2?.gain;
    const fx2Gain = fx2Handle
      ? ((await engine.readBuffer(fx2Handle))[0] as Float32Array)
      : new Float32Array(0);
    const left = live.channels[0] as Float32Array;
    const reference = offline.channels[0] as Float32Array;
    let synthOnset = -1;
    for (let i = 3000; i < left.length && synthOnset < 0; i++) if (left[i] !== 1) synthOnset = i;
    return {
      status: live.result.status,
      error: live.result.error,
      offlineStatus: offline.result.status,
      frames: live.result.frames,
      values: [0, 1499, 1500, 2999, 3000, 4999].map((i) => left[i]),
      synthOnset,
      referenceChanges: changes(reference).filter((i) => [1500, 3000, 6000, 8000, 9000, 10000].includes(i)),
      maxDiff: maxDiff(left, reference),
      maxDiffRight: maxDiff(live.channels[1] as Float32Array, offline.channels[1] as Float32Array),
      transport: (await engine.getTransportState()).extensions.dropouts,
      fx2Gain: {
        length: fx2Gain.length,
        changes: changes(fx2Gain),
        values: [fx2Gain[0], fx2Gain[9999], fx2Gain[10000]],
      },
    };
  },

  /**
   * Timed commands sent while the WAM graph plays: during a 1 s live render, once the playhead is past
   * 0.2 s, the fixture's gain at +0.1 s and the gain after it (stage 1) at +0.2 s. Returns the frames
   * the commands named and the frames where the output changes.
   */
  async liveCommandsWhilePlaying() {
    // "ramp" (an engine node in stage 0) ramps 0.5 -> 1 over frames [0, 4800], then holds 1.
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [
        { name: "one", node_id: "builtin:constant", params: { offset: 1 } },
        {
          name: "ramp",
          node_id: "builtin:gain",
          inputs: ["one"],
          automation: {
            gain: {
              kind: "breakpoints",
              points: [
                { time: 0, value: 0.5, curve: "linear" },
                { time: RAMP_FRAMES / SAMPLE_RATE, value: 1, curve: "linear" },
              ],
            },
          },
        },
        fixture({ inputs: ["ramp"] }),
        { name: "amp", node_id: "builtin:gain", inputs: ["fx"] },
      ],
      output: "amp",
    };
    const records = {
      record_automation: { nodes: ["ramp", "amp", "fx"] },
      record_midi: { nodes: ["fx", "amp"] },
    };
    const engine = client();
    await engine.loadGraph(graph);
    const rendering = renderChannels(graph, 1, { options: { offline: false, ...records } });
    while (engine.readTransport().positionFrames < 0.2 * SAMPLE_RATE)
      await new Promise((r) => setTimeout(r, 5));
    const position = engine.readTransport().positionFrames;
    const wamFrame = position + 4800;
    const engineFrame = position + 9600;
    const noteFrame = position + 14400;
    await Promise.all([
      engine.setParameter("fx", "gain", 0.5, { atSeconds: wamFrame / SAMPLE_RATE }),
      engine.setParameter("amp", "gain", 0.25, { atSeconds: engineFrame / SAMPLE_RATE }),
      engine.sendMidi(
        "fx",
        { type: "note_on", note: 60, velocity: 127 },
        { atSeconds: noteFrame / SAMPLE_RATE },
      ),
    ]);
    // A value set now (no time), once the note played: it lands on the next quantum the plugin renders.
    while (engine.readTransport().positionFrames < noteFrame + 2400)
      await new Promise((r) => setTimeout(r, 5));
    await engine.setParameter("fx", "gain", 0.25);
    const { result, channels } = await rendering;
    const offline = await renderChannels(graph, 1, { options: records });
    const left = channels[0] as Float32Array;
    const read = async (r: typeof result, node: string, id: string) => {
      const handle = r.extensions.automation?.[node]?.[id];
      return handle ? ((await client().readBuffer(handle))[0] as Float32Array) : new Float32Array(0);
    };
    const liveRamp = await read(result, "ramp", "gain");
    const offlineRamp = await read(offline.result, "ramp", "gain");
    const liveAmp = await read(result, "amp", "gain");
    const liveFx = await read(result, "fx", "gain");
    // The linear ramp's formula: 0.5 + 0.5 i / RAMP_FRAMES up to its end, 1 after.
    const formula = (i: number) => (i >= RAMP_FRAMES ? 1 : 0.5 + (0.5 * i) / RAMP_FRAMES);
    const offFormula = (values: Float32Array) => {
      let worst = 0;
      values.forEach((value, i) => {
        worst = Math.max(worst, Math.abs(value - formula(i)));
      });
      return worst;
    };
    return {
      status: result.status,
      error: result.error,
      commanded: [wamFrame, engineFrame, noteFrame],
      // The ramp changes the output on every one of its frames: the commands' changes come after it.
      changes: changes(left).filter((i) => i > RAMP_FRAMES),
      values: [left[wamFrame - 1], left[wamFrame], left[engineFrame]],
      automationNodes: Object.keys(result.extensions.automation ?? {}),
      rampLengths: [liveRamp.length, offlineRamp.length],
      liveRampOffFormula: offFormula(liveRamp),
      offlineRampOffFormula: offFormula(offlineRamp),
      rampLiveVsOffline: maxDiff(liveRamp, offlineRamp),
      // amp's gain: 1 until the live setParameter, then 0.25 (the frames it took each).
      ampChanges: changes(liveAmp),
      ampValues: [liveAmp[0], liveAmp[engineFrame - 1], liveAmp[engineFrame], liveAmp[liveAmp.length - 1]],
      // fx's gain as its plugin was given it: 1, 0.5 from the timed setParameter, 0.25 from the one
      // set now (on the frames it took each), and the values around each change.
      fxChanges: changes(liveFx),
      fxValues: changes(liveFx).flatMap((i) => [liveFx[i - 1], liveFx[i]]),
      fxLength: liveFx.length,
      midi: result.extensions.midi,
    };
  },

  /** Live commands a WAM node refuses: the errors' codes, paths and messages; then a render plays on. */
  async liveWamErrors() {
    const graph = oneThroughFixture();
    const engine = client();
    await engine.loadGraph(graph);
    const attempt = async (call: () => Promise<unknown>) => {
      try {
        await call();
        return null;
      } catch (error) {
        const e = error as { code?: string; path?: string; message?: string };
        return { code: e.code, path: e.path, message: e.message };
      }
    };
    const errors = {
      timed: await attempt(() => engine.setParameter("fx", "volume", 1, { atSeconds: 0.1 })),
      automation: await attempt(() =>
        engine.scheduleAutomation("fx", "volume", { kind: "breakpoints", points: [{ time: 0, value: 1 }] }),
      ),
      badEvent: await attempt(() =>
        engine.scheduleEvents("fx", [{ type: "note", time: -1, duration: 1, note: 60, velocity: 1 }]),
      ),
      unknownNode: await attempt(() => engine.setParameter("nope", "gain", 1, { atSeconds: 0.1 })),
    };
    const after = await renderChannels(graph, 0.05, { options: { offline: false } });
    return { errors, status: after.result.status, value: (after.channels[0] as Float32Array)[100] };
  },

  /**
   * A graph plays (`previous`: osc-less constant 1 through the fixture at gain 0.5, or a builtin gain
   * at 0.75); then graphs whose WAM node fails are loaded: a module URL that answers 404, a plugin
   * whose constructor throws. Returns each load's error, and the meters and transport a few quanta
   * before and 20 quanta after the failures (what plays, and whether it still runs on).
   */
  async failedWamLoads(previous: "wam" | "builtin") {
    const engine = client();
    const one = { name: "one", node_id: "builtin:constant", params: { offset: 1 } };
    const playing: GraphDescriptorInput =
      previous === "wam"
        ? {
            version: "v1alpha",
            nodes: [one, fixture({ inputs: ["one"], params: { gain: 0.5 } })],
            output: "fx",
          }
        : {
            version: "v1alpha",
            nodes: [one, { name: "fx", node_id: "builtin:gain", inputs: ["one"], params: { gain: 0.75 } }],
            output: "fx",
          };
    const failing = (module_url: string): GraphDescriptorInput => ({
      version: "v1alpha",
      nodes: [
        one,
        {
          name: "broken",
          node_id: "wam:com.example.broken",
          inputs: ["one"],
          extensions: { wam: { module_url } },
        },
      ],
      output: "broken",
    });
    const reading = engine.createMeterReading();
    const quantaLater = async (count: number) => {
      const target = engine.readTransport().quantum + count;
      while (engine.readTransport().quantum < target) await new Promise((r) => setTimeout(r, 5));
    };
    const snapshot = () => {
      engine.readMeters(reading);
      const transport = engine.readTransport();
      return {
        peak: [reading.peak[0], reading.peak[1]],
        running: transport.running,
        positionFrames: transport.positionFrames,
      };
    };
    await engine.loadGraph(playing);
    await engine.play();
    await quantaLater(8);
    const before = snapshot();
    const attempt = async (call: () => Promise<unknown>) => {
      try {
        await call();
        return null;
      } catch (error) {
        const e = error as { code?: string; path?: string; message?: string };
        return { code: e.code, path: e.path, message: e.message };
      }
    };
    const errors = {
      missing: await attempt(() => engine.loadGraph(failing("/wam-corpus/plugins/nowhere/index.js"))),
      throwing: await attempt(() => engine.loadGraph(failing("/e2e/fixtures/wam-throws-in-constructor.js"))),
    };
    await quantaLater(20);
    const after = snapshot();
    const playingWam = engine.wams?.hasWam("fx") ?? false;
    await engine.pause();
    return { before, after, errors, playingWam, origin: location.origin };
  },

  /** Live and offline renders of osc -> fixture (latency `latency`) -> filter: trimmed the same. */
  async liveLatency(latency: number) {
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator", params: { frequency: 441, waveform: "saw" } },
        fixture({ inputs: ["osc"], params: { gain: 0.5 } }, { latencySamples: latency }),
        { name: "filter", node_id: "builtin:filter", inputs: ["fx"], params: { frequency: 2000 } },
      ],
      output: "filter",
    };
    const live = await renderChannels(graph, 0.25, { options: { offline: false } });
    const transport = await client().getTransportState();
    const offline = await renderChannels(graph, 0.25);
    return {
      status: live.result.status,
      frames: live.result.frames,
      liveExtensions: live.result.extensions,
      offlineLatency: (offline.result.extensions as { wam?: { latency_frames?: number } }).wam
        ?.latency_frames,
      transportLatency: (transport.extensions as { wam?: { latency_frames?: number } }).wam?.latency_frames,
      peak: peakOf(live.channels[0] as Float32Array),
      maxDiff: maxDiff(live.channels[0] as Float32Array, offline.channels[0] as Float32Array),
    };
  },

  /**
   * Stems of a WAM graph wider than stereo: osc (2 channels) -> fixture (gain 0.5, 300 frames of
   * latency) -> mix, with a 4-channel and a mono oscillator into the same mixer (4 channels: 0 and 1
   * carry all three, 2 and 3 the wide and the mono one) -> filter, rendered offline with 4 channels,
   * capturing every node (osc by capture: true, the others by options.capture), against the same graph
   * with builtin:gain in the WAM's place rendered by the engine: every channel of the output and of
   * each stem. Then the same request live (offline: false) against the offline render, and a live
   * request whose stems do not fit on the primary's input.
   */
  async wamCaptures() {
    const NAMES = ["osc", "fx", "wide", "mono", "mix", "filter"];
    const graphWith = (fx: GraphDescriptorInput["nodes"][number]): GraphDescriptorInput => ({
      version: "v1alpha",
      nodes: [
        {
          name: "osc",
          node_id: "builtin:oscillator",
          params: { frequency: 441, waveform: "saw", channels: 2 },
          capture: true,
        },
        fx,
        { name: "wide", node_id: "builtin:oscillator", params: { frequency: 660, channels: 4 } },
        { name: "mono", node_id: "builtin:oscillator", params: { frequency: 220, waveform: "triangle" } },
        { name: "mix", node_id: "builtin:mixer", inputs: ["fx", "wide", "mono"] },
        { name: "filter", node_id: "builtin:filter", inputs: ["mix"], params: { frequency: 2000 } },
      ],
      output: "filter",
    });
    const wamGraph = graphWith(fixture({ inputs: ["osc"], params: { gain: 0.5 } }, { latencySamples: 300 }));
    const options = { capture: ["fx", "wide", "mono", "mix", "filter"] };
    const withWam = await client().render(request(wamGraph, 0.25, { channels: 4, options }));
    const reference = await client().render(
      request(
        graphWith({ name: "fx", node_id: "builtin:gain", inputs: ["osc"], params: { gain: 0.5 } }),
        0.25,
        { channels: 4, options },
      ),
    );
    const stems = (result: typeof withWam) => (result.extensions?.captures ?? {}) as Record<string, string>;
    const read = async (handle: string | null | undefined) =>
      handle ? await client().readBuffer(handle) : [];
    /** Channels, frames, each channel's peak and its largest difference from `want`'s. */
    const compare = (got: Float32Array[], want: Float32Array[]) => ({
      channels: got.length,
      frames: got[0]?.length ?? 0,
      peaks: got.map(peakOf),
      maxDiff: got.map((channel, c) => maxDiff(channel, want[c] ?? new Float32Array(0))),
    });
    const rows: Record<string, ReturnType<typeof compare>> = {};
    for (const name of NAMES) {
      rows[name] = compare(await read(stems(withWam)[name]), await read(stems(reference)[name]));
    }
    const offlineOutput = await read(withWam.buffer_handle);
    const output = compare(offlineOutput, await read(reference.buffer_handle));
    // Channel 2 of the mixer carries the wide and mono oscillators only: not a copy of channel 0.
    const mix = await read(stems(withWam).mix);
    const mixChannel2VsChannel0 = maxDiff(mix[2] as Float32Array, mix[0] as Float32Array);
    // The same request in real time: its output and stems against the offline render's.
    const live = await client().render(
      request(wamGraph, 0.25, { channels: 4, options: { ...options, offline: false } }),
    );
    const liveRows: Record<string, ReturnType<typeof compare>> = {};
    for (const name of NAMES) {
      liveRows[name] = compare(await read(stems(live)[name]), await read(stems(withWam)[name]));
    }
    const liveOutput = compare(await read(live.buffer_handle), offlineOutput);
    // Live, each signal takes its own channels on the primary's one input of 32: the output (2, the
    // fixture's) and three 8-channel stems fill it, the fourth does not fit.
    const wide8 = (name: string) => ({
      name,
      node_id: "builtin:oscillator",
      params: { channels: 8 },
      capture: true,
    });
    const overfull = await client()
      .render(
        request(
          {
            version: "v1alpha",
            nodes: [wide8("a"), wide8("b"), wide8("c"), wide8("d"), fixture({ inputs: ["a"] })],
            output: "fx",
          },
          0.05,
          { options: { offline: false } },
        ),
      )
      .then(
        (result) => ({ status: result.status, code: "", path: "", detail: "" }),
        (error: { code: string; path: string; detail: string }) => ({
          status: "refused",
          code: error.code,
          path: error.path,
          detail: error.detail,
        }),
      );
    return {
      status: withWam.status,
      error: withWam.error,
      captureNames: Object.keys(stems(withWam)).sort(),
      latency: (withWam.extensions as { wam?: { latency_frames?: number } }).wam?.latency_frames,
      rows,
      output,
      mixChannel2VsChannel0,
      live: {
        status: live.status,
        error: live.error,
        frames: live.frames,
        captureNames: Object.keys(stems(live)).sort(),
        rows: liveRows,
        output: liveOutput,
      },
      overfull,
    };
  },

  /**
   * The null across a WAM: osc -> fixture (latency `latency`) -> mix, and osc -> gain -1 -> mix. The
   * stage holding the mixer delays the dry path by the fixture's latency (stage-latency.ts), so the
   * sum is silence; without it, the two are `latency` frames apart and the sum is as loud as osc.
   */
  async wamNull(latency: number, offline: boolean) {
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator", params: { frequency: 441, waveform: "saw" } },
        fixture({ inputs: ["osc"], params: { gain: 1 } }, { latencySamples: latency }),
        { name: "inv", node_id: "builtin:gain", inputs: ["osc"], params: { gain: -1 } },
        { name: "mix", node_id: "builtin:mixer", inputs: ["fx", "inv"] },
      ],
      output: "mix",
    };
    const { result, channels } = await renderChannels(graph, 0.25, { options: { offline } });
    // What is nulled: the dry path alone is loud.
    const dry = await renderChannels(
      {
        version: "v1alpha",
        nodes: [graph.nodes[0], graph.nodes[2]] as GraphDescriptorInput["nodes"],
        output: "inv",
      },
      0.25,
    );
    const [left, right] = channels as [Float32Array, Float32Array];
    return {
      status: result.status,
      error: result.error,
      frames: result.frames,
      extensions: result.extensions,
      peak: Math.max(peakOf(left), peakOf(right)),
      dryPeak: peakOf(dry.channels[0] as Float32Array),
    };
  },

  /** Live: a chain of corpus effects played and captured in real time. */
  async corpusEffectsLive(paths: string[], seconds: number) {
    const nodes: GraphDescriptorInput["nodes"] = [
      {
        name: "osc",
        node_id: "builtin:oscillator",
        params: { frequency: 220, waveform: "saw", amplitude: 0.3 },
      },
    ];
    let previous = "osc";
    paths.forEach((path, i) => {
      nodes.push({
        name: `fx${i}`,
        node_id: `wam:${path}`,
        inputs: [previous],
        extensions: { wam: { module_url: `${CORPUS}/${path}` } },
      });
      previous = `fx${i}`;
    });
    const { result, channels } = await renderChannels(
      { version: "v1alpha", nodes, output: previous },
      seconds,
      {
        options: { offline: false },
      },
    );
    const left = channels[0] ?? new Float32Array(0);
    return {
      status: result.status,
      error: result.error,
      frames: result.frames,
      peak: peakOf(left),
      finite: left.every((x) => Number.isFinite(x)),
    };
  },

  /** A graph of corpus effects; returns per-node peaks and whether all samples are finite. */
  async corpusEffects(paths: string[], seconds: number) {
    const nodes: GraphDescriptorInput["nodes"] = [
      {
        name: "osc",
        node_id: "builtin:oscillator",
        params: { frequency: 220, waveform: "saw", amplitude: 0.3 },
      },
      { name: "env", node_id: "builtin:gain", inputs: ["osc"] },
    ];
    let previous = "env";
    paths.forEach((path, i) => {
      const name = `fx${i}`;
      nodes.push({
        name,
        node_id: `wam:${path}`,
        inputs: [previous],
        extensions: { wam: { module_url: `${CORPUS}/${path}` } },
      });
      previous = name;
    });
    const { result, channels } = await renderChannels(
      { version: "v1alpha", nodes, output: previous },
      seconds,
    );
    const left = channels[0] ?? new Float32Array(0);
    return {
      status: result.status,
      extensions: result.extensions,
      peak: peakOf(left),
      finite: left.every((x) => Number.isFinite(x)),
    };
  },
};

(window as unknown as { wam: typeof api }).wam = api;
export type WamHostingApi = typeof api;
