/**
 * A webdreamer graph exported as a WAM 2.0 plugin (src/wam-export/) plays in a minimal host page
 * written only against the WAM API (e2e/pages/wam-host.ts) exactly as webdreamer renders the same
 * graph in-process in Node.js: the same notes as wam-midi events, the same parameter steps as
 * wam-automation events, on the same frames, rendered in an OfflineAudioContext in Chromium and
 * compared sample for sample. Plugins are exported in the test, to build/wam-export/ (served under
 * /wam-export-output/ by vite.config.ts).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import type { WamEvent } from "@webaudiomodules/api";
import type { GraphDescriptorInput, MidiEventInput } from "../src/contracts/graph-descriptor";
import { createEngine } from "../src/index";
import { exportWam, writeWamFolder } from "../src/wam-export/export-wam";
import { maxAbsDifference, peak } from "../test/support/signal";
import type { WamHostApi, WamHostLive, WamHostRender, WamHostResult } from "./pages/wam-host";

const SAMPLE_RATE = 48000;
const FRAMES = SAMPLE_RATE; // one second
const OUTPUT_FOLDER = fileURLToPath(new URL("../build/wam-export/", import.meta.url));

/** A note on two exact frames (on, off), mid-quantum on purpose. */
interface Note {
  on: number;
  off: number;
  note: number;
  velocity: number;
}

const NOTES: Note[] = [
  { on: 37, off: 12_345, note: 60, velocity: 100 },
  { on: 6_001, off: 30_017, note: 64, velocity: 80 },
  { on: 20_111, off: 40_003, note: 67, velocity: 127 },
];
/** A pitch bend (+4096 of 8192) and back, on exact frames. */
const BENDS = [
  { frame: 9_999, value: 4096 },
  { frame: 25_555, value: 0 },
];

/** The score as the graph's own MIDI timeline (seconds that land on the frames above). */
function graphMidi(rate = SAMPLE_RATE): MidiEventInput[] {
  return [
    ...NOTES.map((n) => ({
      type: "note" as const,
      time: n.on / rate,
      duration: (n.off - n.on) / rate,
      note: n.note,
      velocity: n.velocity,
    })),
    ...BENDS.map((b) => ({ type: "pitch_bend" as const, time: b.frame / rate, value: b.value })),
  ];
}

/** The same score as wam-midi events, in the engine's order on a shared frame (note-offs first). */
function wamMidi(rate = SAMPLE_RATE): WamEvent[] {
  const messages: { frame: number; bytes: [number, number, number]; offFirst: number }[] = [];
  for (const n of NOTES) {
    messages.push({ frame: n.on, bytes: [0x90, n.note, n.velocity], offFirst: 1 });
    messages.push({ frame: n.off, bytes: [0x80, n.note, 0], offFirst: 0 });
  }
  for (const b of BENDS) {
    const bend = b.value + 8192;
    messages.push({ frame: b.frame, bytes: [0xe0, bend & 0x7f, bend >> 7], offFirst: 1 });
  }
  messages.sort((a, b) => a.frame - b.frame || a.offFirst - b.offFirst);
  return messages.map((m) => ({ type: "wam-midi", time: m.frame / rate, data: { bytes: m.bytes } }));
}

/** Parameter steps: graph automation (step breakpoints) and the same as wam-automation events. */
interface Step {
  node: string;
  param: string;
  frame: number;
  value: number;
}

function withSteps(graph: GraphDescriptorInput, steps: Step[]): GraphDescriptorInput {
  const nodes = graph.nodes.map((node) => {
    const mine = steps.filter((s) => s.node === node.name);
    if (mine.length === 0) return node;
    const automation: Record<string, unknown> = {};
    for (const param of new Set(mine.map((s) => s.param))) {
      const base = node.params?.[param];
      const points = [
        { time: 0, value: base as number, curve: "step" as const },
        ...mine
          .filter((s) => s.param === param)
          .map((s) => ({ time: s.frame / SAMPLE_RATE, value: s.value, curve: "step" as const })),
      ];
      automation[param] = { kind: "breakpoints", points };
    }
    return { ...node, automation } as typeof node;
  });
  return { ...graph, nodes };
}

function wamAutomation(steps: Step[]): WamEvent[] {
  return steps.map((s) => ({
    type: "wam-automation",
    time: s.frame / SAMPLE_RATE,
    data: { id: `${s.node}/${s.param}`, value: s.value, normalized: false },
  }));
}

function withMidi(graph: GraphDescriptorInput, node: string, rate = SAMPLE_RATE): GraphDescriptorInput {
  return { ...graph, nodes: graph.nodes.map((n) => (n.name === node ? { ...n, midi: graphMidi(rate) } : n)) };
}

/** webdreamer's own render of `graph` (with its MIDI and automation), in-process in Node.js. */
async function webdreamerRender(
  graph: GraphDescriptorInput,
  faustEngine?: Engine,
  rate = SAMPLE_RATE,
): Promise<Float32Array> {
  const engine = faustEngine ?? (await createEngine({ host: "in-process", sampleRate: rate }));
  const result = await engine.render({
    version: "v1alpha",
    request_id: "wam-export-reference",
    node_graph: graph,
    duration_seconds: FRAMES / SAMPLE_RATE,
    sample_rate: rate,
    channels: 1,
  });
  expect(result.status, result.error ?? "").toBe("ok");
  const [channel] = await engine.readBuffer(result.buffer_handle as string);
  if (faustEngine === undefined) await engine.close();
  return channel as Float32Array;
}

type Engine = Awaited<ReturnType<typeof createEngine>>;

/**
 * One second of a stereo test signal, different on each side so a swapped or mixed channel shows:
 * left a 110 Hz saw with a pseudo-random crackle, right a decaying chord of three sines.
 */
function testSignal(): Float32Array[] {
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const left = Float32Array.from(
    { length: FRAMES },
    (_, i) => 0.4 * (((i * 110) / SAMPLE_RATE) % 1) - 0.2 + 0.1 * noise(),
  );
  const right = Float32Array.from({ length: FRAMES }, (_, i) => {
    const t = i / SAMPLE_RATE;
    return (
      0.2 *
      Math.exp(-2 * t) *
      [220, 277.18, 329.63].reduce((sum, f) => sum + Math.sin(2 * Math.PI * f * t), 0)
    );
  });
  return [left, right];
}

/** webdreamer's own stereo render of `graph`, in-process in Node.js. */
async function webdreamerStereo(graph: GraphDescriptorInput, engine: Engine): Promise<Float32Array[]> {
  const result = await engine.render({
    version: "v1alpha",
    request_id: "wam-export-effect-reference",
    node_graph: graph,
    duration_seconds: FRAMES / SAMPLE_RATE,
    sample_rate: SAMPLE_RATE,
    channels: 2,
  });
  expect(result.status, result.error ?? "").toBe("ok");
  return engine.readBuffer(result.buffer_handle as string);
}

async function exportTo(
  name: string,
  graph: GraphDescriptorInput,
  parameters?: string[],
  buffers?: Map<string, { sampleRate: number; channels: Float32Array[] }>,
  audioInput?: string,
): Promise<string> {
  const plugin = await exportWam(graph, {
    name: `wam-export test ${name}`,
    identifier: `com.webdreamer.test.${name}`,
    ...(parameters === undefined ? {} : { parameters }),
    ...(buffers === undefined ? {} : { buffers }),
    ...(audioInput === undefined ? {} : { audioInput }),
  });
  await writeWamFolder(join(OUTPUT_FOLDER, name), plugin);
  return `/wam-export-output/${name}/index.js`;
}

async function hostRender(
  page: import("@playwright/test").Page,
  request: WamHostRender,
): Promise<WamHostResult> {
  return page.evaluate((r) => (window as unknown as { wamHost: WamHostApi }).wamHost.render(r), request);
}

function expectIdentical(actual: number[], reference: Float32Array, label: string): void {
  expect(actual, label).toHaveLength(reference.length);
  // The test can fail: the reference is not silent.
  expect(peak(reference), `${label}: the reference plays`).toBeGreaterThan(0.01);
  expect(maxAbsDifference(actual, reference), `${label}: largest sample difference`).toBe(0);
}

/** A subtractive synth through a lowpass filter: builtin nodes only. */
const SYNTH_GRAPH: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "synth", node_id: "builtin:synth", params: { filter_cutoff: 3000, release: 50, gain: 0.5 } },
    {
      name: "filter",
      node_id: "builtin:filter",
      inputs: ["synth"],
      params: { mode: "lowpass", frequency: 2500 },
    },
  ],
  output: "filter",
};

test.describe("a webdreamer graph exported as a WAM 2.0 plugin", () => {
  test.setTimeout(120_000);

  test.beforeEach(async ({ page }) => {
    await page.goto("/e2e/pages/wam-host.html");
    await page.waitForFunction(() => "wamHost" in window);
  });

  test("a synth played by wam-midi notes and pitch bend renders webdreamer's samples exactly", async ({
    page,
  }) => {
    const url = await exportTo("synth", SYNTH_GRAPH);
    const reference = await webdreamerRender(withMidi(SYNTH_GRAPH, "synth"));
    const result = await hostRender(page, {
      moduleUrl: url,
      sampleRate: SAMPLE_RATE,
      frames: FRAMES,
      channels: 1,
      events: wamMidi(),
    });
    expect(result.descriptor).toEqual({
      identifier: "com.webdreamer.test.synth",
      isInstrument: true,
      hasMidiInput: true,
      hasAudioInput: false,
    });
    expect(result.node.numberOfInputs).toBe(0);
    expect(result.parameterIds).toContain("synth/filter_cutoff");
    expect(result.parameterIds).toContain("filter/frequency");
    const state = result.state as { parameterValues: Record<string, { value: number }> };
    expect(state.parameterValues["filter/frequency"]?.value).toBe(2500);
    expect(result.compensationDelay).toBe(0);
    expectIdentical(result.channels[0] as number[], reference, "synth");
    console.log(
      `synth: ${FRAMES} frames identical; offline render ${result.renderMs.toFixed(1)} ms = ` +
        `${((result.renderMs / (FRAMES / 128)) * 1000).toFixed(1)} µs per quantum`,
    );
  });

  test("at 44.1 kHz too, and two instances in one context each play their own engine", async ({ page }) => {
    const rate = 44100;
    const url = await exportTo("synth-44k", SYNTH_GRAPH);
    const reference = await webdreamerRender(withMidi(SYNTH_GRAPH, "synth", rate), undefined, rate);
    const request = { moduleUrl: url, sampleRate: rate, frames: rate, channels: 1, events: wamMidi(rate) };
    expectIdentical((await hostRender(page, request)).channels[0] as number[], reference, "44.1 kHz");
    // Two instances given the same events sum to exactly twice the reference (x + x is exact in
    // float32): neither shares the other's engine, voices or parameters. Chromium mixes the two
    // outputs with subnormal samples taken as zero (|x| < 2^-126, in the filter's decay tail): there
    // the sum may be 0.
    const twice = (await hostRender(page, { ...request, instances: 2 })).channels[0] as number[];
    const smallestNormal = 2 ** -126;
    let flushed = 0;
    const expected = reference.map((x, i) => {
      const sum = 2 * x;
      if (Math.abs(x) >= smallestNormal || twice[i] !== 0) return sum;
      if (sum !== 0) flushed++;
      return 0;
    });
    expectIdentical(twice, expected, "two instances");
    console.log(`two instances: identical to twice the reference (${flushed} subnormal samples mixed as 0)`);
  });

  test("plays live in a running AudioContext: a note sounds, an automated gain of 0 silences it", async ({
    page,
  }) => {
    const url = await exportTo("live", SYNTH_GRAPH, ["synth/gain"]);
    const levels = await page.evaluate(
      (r) => (window as unknown as { wamHost: WamHostApi }).wamHost.live(r),
      {
        moduleUrl: url,
        events: [
          { type: "wam-midi", time: 0, data: { bytes: [0x90, 57, 110] } },
          { type: "wam-automation", time: 0.6, data: { id: "synth/gain", value: 0, normalized: false } },
        ],
        measureAt: [0.4, 1.0],
      } satisfies WamHostLive,
    );
    console.log(`live: RMS ${levels.map((l) => l.toExponential(2)).join(" then ")}`);
    expect(levels[0]).toBeGreaterThan(0.01);
    expect(levels[1]).toBeLessThan(1e-6);
  });

  test("its GUI (createGui) has a control per exposed parameter, which sets the parameter", async ({
    page,
  }) => {
    const url = await exportTo("gui", SYNTH_GRAPH, ["filter/mode", "filter/frequency", "synth/voices"]);
    const result = await page.evaluate(
      (u) => (window as unknown as { wamHost: WamHostApi }).wamHost.gui(u, "filter/frequency", 1234),
      url,
    );
    expect(result.controls).toEqual([
      { parameterId: "filter/mode", kind: "select-one" },
      { parameterId: "filter/frequency", kind: "range" },
      { parameterId: "synth/voices", kind: "range" },
    ]);
    // The slider's step is a thousandth of 10..24000 Hz: 1234 lands on the nearest step.
    expect(Math.abs(result.movedTo - 1234)).toBeLessThanOrEqual(12);
    expect(result.movedTo).not.toBe(2500);
  });

  test("parameters automated by wam-automation step on the frames of webdreamer's automation", async ({
    page,
  }) => {
    const steps: Step[] = [
      { node: "filter", param: "frequency", frame: 3_333, value: 600 },
      { node: "synth", param: "gain", frame: 15_001, value: 0.25 },
      { node: "filter", param: "frequency", frame: 27_777, value: 5000 },
    ];
    const graph = withSteps(SYNTH_GRAPH, steps);
    // Only the two automated parameters are exposed: the plugin has exactly those.
    const url = await exportTo("automation", SYNTH_GRAPH, ["filter/frequency", "synth/gain"]);
    const reference = await webdreamerRender(withMidi(graph, "synth"));
    const result = await hostRender(page, {
      moduleUrl: url,
      sampleRate: SAMPLE_RATE,
      frames: FRAMES,
      channels: 1,
      events: [...wamMidi(), ...wamAutomation(steps)],
    });
    expect(result.parameterIds).toEqual(["filter/frequency", "synth/gain"]);
    expectIdentical(result.channels[0] as number[], reference, "automation");
    // Without the automation the plugin would sound otherwise: the events did the work.
    const unautomated = await webdreamerRender(withMidi(SYNTH_GRAPH, "synth"));
    expect(maxAbsDifference(unautomated, reference)).toBeGreaterThan(0.01);
  });

  test("an initial state (createInstance's) sets the parameters as the graph's params would", async ({
    page,
  }) => {
    const url = await exportTo("state", SYNTH_GRAPH, ["filter/frequency"]);
    const changed: GraphDescriptorInput = {
      ...SYNTH_GRAPH,
      nodes: SYNTH_GRAPH.nodes.map((n) =>
        n.name === "filter" ? { ...n, params: { ...n.params, frequency: 700 } } : n,
      ),
    };
    const reference = await webdreamerRender(withMidi(changed, "synth"));
    const result = await hostRender(page, {
      moduleUrl: url,
      sampleRate: SAMPLE_RATE,
      frames: FRAMES,
      channels: 1,
      events: wamMidi(),
      initialState: {
        parameterValues: { "filter/frequency": { id: "filter/frequency", value: 700, normalized: false } },
      },
    });
    expectIdentical(result.channels[0] as number[], reference, "initial state");
  });

  test("a sampler playing the graph's sample renders webdreamer's samples, in contexts at the sample's rate", async ({
    page,
  }) => {
    // Half a second of a decaying 220 Hz tone with a little 2nd harmonic: the sampler's sample.
    const sample = Float32Array.from({ length: SAMPLE_RATE / 2 }, (_, i) => {
      const t = i / SAMPLE_RATE;
      return (
        Math.exp(-4 * t) * (0.6 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * 440 * t))
      );
    });
    const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE });
    try {
      const handle = await engine.uploadBuffer([sample], SAMPLE_RATE);
      const graph: GraphDescriptorInput = {
        version: "v1alpha",
        nodes: [
          {
            name: "keys",
            node_id: "builtin:sampler",
            buffers: { sample: handle },
            params: { root_note: 57, release: 80 },
          },
        ],
        output: "keys",
      };
      const url = await exportTo(
        "sampler",
        graph,
        ["keys/release"],
        new Map([[handle, { sampleRate: SAMPLE_RATE, channels: [sample] }]]),
      );
      const reference = await webdreamerRender(withMidi(graph, "keys"), engine);
      const request = {
        moduleUrl: url,
        sampleRate: SAMPLE_RATE,
        frames: FRAMES,
        channels: 1,
        events: wamMidi(),
      };
      expectIdentical((await hostRender(page, request)).channels[0] as number[], reference, "sampler");
      // At another rate the sample would play at another pitch: the plugin refuses the context.
      await expect(hostRender(page, { ...request, sampleRate: 44100, frames: 44100 })).rejects.toThrow(
        /plays audio recorded at 48000 Hz \(buffers\/0.f32\) and runs only in contexts at that rate; this one runs at 44100 Hz/,
      );
    } finally {
      await engine.close();
    }
  });

  test("a generator (no MIDI) steps on its frame; what a plugin costs per quantum", async ({ page }) => {
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [{ name: "dc", node_id: "builtin:constant", params: { offset: 0.25 } }],
      output: "dc",
    };
    const url = await exportTo("generator", graph);
    const events = wamAutomation([{ node: "dc", param: "offset", frame: 1_001, value: 0.5 }]);
    const result = await hostRender(page, {
      moduleUrl: url,
      sampleRate: SAMPLE_RATE,
      frames: FRAMES,
      channels: 1,
      events,
    });
    expect(result.descriptor).toMatchObject({ isInstrument: false, hasMidiInput: false });
    const samples = result.channels[0] as number[];
    expect(samples.slice(0, 1_001).every((x) => x === 0.25)).toBe(true);
    expect(samples.slice(1_001).every((x) => x === 0.5)).toBe(true);
    // The engine does almost nothing for a constant: this is the WAM's own cost (the SDK's port,
    // the event walk, the engine call, Chromium's worklet) per quantum, beside the synth's. Each is
    // the fastest of 3 renders: the machine is shared, and the slower runs measure the neighbours.
    const synthUrl = await exportTo("synth-cost", SYNTH_GRAPH);
    const frames = 10 * SAMPLE_RATE;
    const quanta = frames / 128;
    const microsPerQuantum = async (moduleUrl: string, events: WamEvent[]) => {
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 3; run++) {
        const { renderMs } = await hostRender(page, {
          moduleUrl,
          sampleRate: SAMPLE_RATE,
          frames,
          channels: 1,
          events,
          timingOnly: true,
        });
        best = Math.min(best, renderMs);
      }
      return ((best / quanta) * 1000).toFixed(1);
    };
    const constant = await microsPerQuantum(url, events);
    const synth = await microsPerQuantum(synthUrl, wamMidi());
    console.log(
      `cost per quantum, ${quanta} quanta offline: constant ${constant} µs, synth + filter ${synth} µs`,
    );
  });

  test("a Faust node reading a soundfile plays the audio given for it, resampled as webdreamer resamples it", async ({
    page,
  }) => {
    const source = `import("stdfaust.lib");
process = int(nentry("part", 0, 0, 1, 1)), ba.time : soundfile("sample[url:{'a.wav';'b.wav'}]", 1) : !, !, _;`;
    // Part 0 at the context's rate, part 1 at half of it (the Faust node reads it resampled).
    const part0 = Float32Array.from({ length: 30_000 }, (_, i) => Math.sin(i / 37) * Math.exp(-i / 20_000));
    const part1 = Float32Array.from({ length: 10_000 }, (_, i) => ((i % 200) - 100) / 150);
    const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE });
    try {
      const descriptor = await engine.compileFaust(source);
      const handles = [
        await engine.uploadBuffer([part0], SAMPLE_RATE),
        await engine.uploadBuffer([part1], SAMPLE_RATE / 2),
      ] as const;
      const graph: GraphDescriptorInput = {
        version: "v1alpha",
        nodes: [
          {
            name: "reader",
            node_id: descriptor.node_id,
            params: { "/webdreamer/part": 0 },
            buffers: { sample: handles[0], "sample#1": handles[1] },
            extensions: { faust: { source } },
          },
        ],
        output: "reader",
      };
      const url = await exportTo(
        "soundfile",
        graph,
        ["reader//webdreamer/part"],
        new Map([
          [handles[0], { sampleRate: SAMPLE_RATE, channels: [part0] }],
          [handles[1], { sampleRate: SAMPLE_RATE / 2, channels: [part1] }],
        ]),
      );
      const steps: Step[] = [{ node: "reader", param: "/webdreamer/part", frame: 12_345, value: 1 }];
      const reference = await webdreamerRender(withSteps(graph, steps), engine);
      const result = await hostRender(page, {
        moduleUrl: url,
        sampleRate: SAMPLE_RATE,
        frames: FRAMES,
        channels: 1,
        events: wamAutomation(steps),
      });
      expectIdentical(result.channels[0] as number[], reference, "soundfile");
      expect(result.channels[0]?.[100]).toBe(Math.fround(part0[100] as number));
    } finally {
      await engine.close();
    }
  });

  test("a graph with a polyphonic Faust node renders webdreamer's samples exactly", async ({ page }) => {
    const source = `import("stdfaust.lib");
      freq = hslider("freq", 440, 20, 20000, 0.01);
      gain = hslider("gain", 0.5, 0, 1, 0.01);
      gate = button("gate");
      cutoff = hslider("cutoff", 3000, 50, 12000, 1);
      process = os.sawtooth(freq) * gain * en.adsr(0.01, 0.1, 0.7, 0.05, gate) : fi.lowpass(2, cutoff) : *(0.4);`;
    const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE });
    try {
      const descriptor = await engine.compileFaust(source, { voices: 4 });
      const cutoff = descriptor.parameters?.find((p) => p.id.endsWith("cutoff"))?.id as string;
      const graph: GraphDescriptorInput = {
        version: "v1alpha",
        nodes: [
          {
            name: "lead",
            node_id: descriptor.node_id,
            params: { [cutoff]: 3000 },
            extensions: { faust: { source, voices: 4 } },
          },
          {
            name: "tone",
            node_id: "builtin:filter",
            inputs: ["lead"],
            params: { mode: "highpass", frequency: 80 },
          },
        ],
        output: "tone",
      };
      const steps: Step[] = [{ node: "lead", param: cutoff, frame: 18_181, value: 900 }];
      const url = await exportTo("faust", graph, [`lead/${cutoff}`]);
      const reference = await webdreamerRender(withMidi(withSteps(graph, steps), "lead"), engine);
      const result = await hostRender(page, {
        moduleUrl: url,
        sampleRate: SAMPLE_RATE,
        frames: FRAMES,
        channels: 1,
        events: [...wamMidi(), ...wamAutomation(steps)],
      });
      expect(result.descriptor.isInstrument).toBe(true);
      expect(result.parameterIds).toEqual([`lead/${cutoff}`]);
      expectIdentical(result.channels[0] as number[], reference, "Faust");
    } finally {
      await engine.close();
    }
  });

  test("a graph with an audio input exports as an effect: the host's audio through it renders webdreamer's samples exactly", async ({
    page,
  }) => {
    const input = testSignal();
    const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE });
    try {
      // In webdreamer "in" plays the test signal; in the plugin the host's audio takes its place.
      const handle = await engine.uploadBuffer(input, SAMPLE_RATE);
      const graph: GraphDescriptorInput = {
        version: "v1alpha",
        nodes: [
          { name: "in", node_id: "builtin:playback", buffers: { data: handle } },
          {
            name: "tone",
            node_id: "builtin:filter",
            inputs: ["in"],
            params: { mode: "lowpass", frequency: 1200, q: 4 },
          },
          {
            name: "echo",
            node_id: "builtin:delay",
            inputs: ["tone"],
            params: { time: 120, feedback: 0.5, wet: 0.5, dry: 1 },
          },
        ],
        output: "echo",
      };
      const steps: Step[] = [{ node: "tone", param: "frequency", frame: 20_003, value: 400 }];
      // The test signal is not given to the exporter: the input node's audio is not part of the plugin.
      const url = await exportTo("effect", graph, ["tone/frequency", "echo/feedback"], undefined, "in");
      const reference = await webdreamerStereo(withSteps(graph, steps), engine);
      const result = await hostRender(page, {
        moduleUrl: url,
        sampleRate: SAMPLE_RATE,
        frames: FRAMES,
        channels: 2,
        events: wamAutomation(steps),
        input: input.map((channel) => Array.from(channel)),
      });
      expect(result.descriptor).toEqual({
        identifier: "com.webdreamer.test.effect",
        isInstrument: false,
        hasMidiInput: false,
        hasAudioInput: true,
      });
      expect(result.node).toEqual({ numberOfInputs: 1, numberOfOutputs: 1, channelCount: 2 });
      expect(result.parameterIds).toEqual(["tone/frequency", "echo/feedback"]);
      expectIdentical(result.channels[0] as number[], reference[0] as Float32Array, "effect, left");
      expectIdentical(result.channels[1] as number[], reference[1] as Float32Array, "effect, right");
      // The comparison can fail: the effect changes its input, and the two sides differ.
      expect(maxAbsDifference(reference[0] as Float32Array, input[0] as Float32Array)).toBeGreaterThan(0.05);
      expect(maxAbsDifference(reference[0] as Float32Array, reference[1] as Float32Array)).toBeGreaterThan(
        0.05,
      );
      // The automation step did its part: without it the render differs.
      const unautomated = await webdreamerStereo(graph, engine);
      expect(maxAbsDifference(unautomated[0] as Float32Array, reference[0] as Float32Array)).toBeGreaterThan(
        0.01,
      );
    } finally {
      await engine.close();
    }
  });

  test("a Faust effect takes a mono connection on both channels, as webdreamer plays a doubled signal", async ({
    page,
  }) => {
    const source = `import("stdfaust.lib");
      cutoff = hslider("cutoff", 2000, 50, 12000, 1);
      process = fi.resonlp(cutoff, 3, 0.8), fi.highpass(2, 500);`;
    const [mono] = testSignal() as [Float32Array];
    const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE });
    try {
      const descriptor = await engine.compileFaust(source);
      const cutoff = descriptor.parameters?.find((p) => p.id.endsWith("cutoff"))?.id as string;
      // Web Audio copies a mono connection into both input channels ("speakers" up-mix): the
      // reference plays the signal doubled.
      const handle = await engine.uploadBuffer([mono, mono], SAMPLE_RATE);
      const graph: GraphDescriptorInput = {
        version: "v1alpha",
        nodes: [
          { name: "in", node_id: "builtin:playback", buffers: { data: handle } },
          {
            name: "fx",
            node_id: descriptor.node_id,
            inputs: ["in"],
            params: { [cutoff]: 2000 },
            extensions: { faust: { source } },
          },
        ],
        output: "fx",
      };
      const steps: Step[] = [{ node: "fx", param: cutoff, frame: 30_001, value: 600 }];
      const url = await exportTo("faust-effect", graph, [`fx/${cutoff}`], undefined, "in");
      const reference = await webdreamerStereo(withSteps(graph, steps), engine);
      const result = await hostRender(page, {
        moduleUrl: url,
        sampleRate: SAMPLE_RATE,
        frames: FRAMES,
        channels: 2,
        events: wamAutomation(steps),
        input: [Array.from(mono)],
      });
      expect(result.descriptor.hasAudioInput).toBe(true);
      expectIdentical(result.channels[0] as number[], reference[0] as Float32Array, "Faust effect, left");
      expectIdentical(result.channels[1] as number[], reference[1] as Float32Array, "Faust effect, right");
      expect(maxAbsDifference(reference[0] as Float32Array, reference[1] as Float32Array)).toBeGreaterThan(
        0.05,
      );
    } finally {
      await engine.close();
    }
  });
});
