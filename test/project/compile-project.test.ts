/**
 * The compiler, proven by rendering on the in-process engine: a four-track project (an audio track
 * of clicks, a Faust poly synth track, a bus with builtin:reverb fed by a send, a pad track with volume
 * automation) over a tempo change, then smaller projects for fades, pan and send laws and mute/solo.
 * Expected samples come from the formulas of docs/projects.md, never from a previous render.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenderRequest } from "../../src/contracts/render";
import { secondsAtBeat } from "../../src/contracts/tempo-map";
import { createEngine } from "../../src/create-engine";
import { compileProject, masterNodes, trackNodes } from "../../src/project/compile-project";
import { dbToGain, EQUAL_POWER_MAX_ERROR, monoPanGains } from "../../src/project/mixer-laws";
import type { Project } from "../../src/project/project-schema";
import { click, firstAbove, makeProject, peak } from "./project-fixtures";

const RATE = 44100;
const TEMPO = {
  map: [
    { beat: 0, bpm: 120 },
    { beat: 4, bpm: 90 },
  ],
};
const CLICK_BEATS = [0, 1, 2.5, 4, 5.25, 7.1];
const NOTE_BEAT = 5.5;

let engine: Awaited<ReturnType<typeof createEngine>>;
const handles: Record<string, string> = {};

beforeAll(async () => {
  engine = await createEngine({ sampleRate: RATE });
  handles.click = await engine.uploadBuffer([click(2000)], RATE);
  handles.dc = await engine.uploadBuffer([new Float32Array(RATE * 8).fill(1)], RATE);
});

afterAll(async () => {
  await engine.close();
});

const AUDIO = [
  { content_id: "click", sample_rate: RATE, frames: 2000, channels: 1 },
  { content_id: "dc", sample_rate: RATE, frames: RATE * 8, channels: 1 },
];

/** Renders a compiled request; returns the output and every capture, by node name. */
async function render(
  request: RenderRequest,
  capture: string[] = [],
): Promise<Record<string, Float32Array[]>> {
  const all = [...new Set([...(request.options.capture ?? []), ...capture])];
  const result = await engine.render({ ...request, options: { ...request.options, capture: all } });
  expect(result.status).toBe("ok");
  const out: Record<string, Float32Array[]> = {
    output: await engine.readBuffer(result.buffer_handle as string),
  };
  for (const [name, handle] of Object.entries(result.extensions.captures ?? {})) {
    out[name] = await engine.readBuffer(handle);
  }
  return out;
}

const frameAt = (project: Project, beat: number) => Math.round(secondsAtBeat(project.tempo, beat) * RATE);

/** The four-track project's instrument: a polyphonic Faust synth (a sine under a 1 ms attack). */
const FAUST_SYNTH = `import("stdfaust.lib");
  freq = hslider("freq", 440, 20, 20000, 0.01);
  gain = hslider("gain", 0.5, 0, 1, 0.01);
  gate = button("gate");
  process = os.osc(freq) * gain * en.asr(0.001, 1, 0.05, gate);`;

describe("a four-track project over a tempo change", () => {
  const fourTracks = (synthNodeId: string) =>
    makeProject({
      tempo: TEMPO,
      audio: AUDIO,
      tracks: [
        {
          kind: "audio",
          id: "drums",
          mixer: { volume_db: -6, pan: 0.3 },
          clips: CLICK_BEATS.map((beat, index) => ({
            id: `k${index}`,
            start_beat: beat,
            length_beats: 0.5,
            content_id: "click",
          })),
          sends: [{ id: "drums-verb", target: "verb", level_db: -10 }],
        },
        {
          kind: "instrument",
          id: "keys",
          instrument: { id: "synth", node_id: synthNodeId },
          clips: [
            {
              id: "m1",
              start_beat: 4,
              length_beats: 4,
              notes: [{ beat: NOTE_BEAT - 4, length_beats: 1, note: 69, velocity: 127 }],
            },
          ],
        },
        {
          kind: "audio",
          id: "pad",
          clips: [{ id: "p1", start_beat: 0, length_beats: 8, content_id: "dc" }],
          automation: {
            volume: {
              points: [
                { beat: 0, value: -20 },
                { beat: 8, value: 0 },
              ],
            },
          },
        },
        {
          kind: "bus",
          id: "verb",
          mixer: { solo_safe: true },
          devices: [{ id: "freeverb", node_id: "builtin:reverb", params: { dry_level: 0, wet_level: 0.5 } }],
        },
      ],
    });
  let project: Project;
  let rendered: Record<string, Float32Array[]>;

  beforeAll(async () => {
    const synth = await engine.compileFaust(FAUST_SYNTH, { voices: 4 });
    project = fourTracks(synth.node_id);
    const { request } = compileProject(project, { sampleRate: RATE, buffers: handles, stems: true });
    rendered = await render(request, [
      trackNodes.device("keys", "synth"),
      trackNodes.fader("pad"),
      trackNodes.send("drums", "drums-verb"),
    ]);
  });

  it("puts each click at frame round(secondsAtBeat(b) × rate), with the fader's gain and the pan law", () => {
    const [left, right] = rendered[trackNodes.pan("drums")] as Float32Array[];
    const [panLeft, panRight] = monoPanGains(0.3);
    const gain = dbToGain(-6);
    const clicks = [...(left as Float32Array).keys()].filter((frame) => left?.[frame] !== 0);
    const expected = CLICK_BEATS.map((beat) => frameAt(project, beat));
    // Across the tempo change: beat 5.25 is 2 s + 1.25 beats at 90 bpm = 2.8333 s.
    expect(expected[4]).toBe(Math.round((2 + (1.25 * 60) / 90) * RATE));
    expect(clicks).toEqual(expected);
    for (const frame of expected) {
      expect(left?.[frame]).toBeCloseTo(gain * panLeft, 6);
      expect(right?.[frame]).toBeCloseTo(gain * panRight, 6);
    }
  });

  it("starts the synth's note on its frame after the tempo change", () => {
    const [synth] = rendered[trackNodes.device("keys", "synth")] as Float32Array[];
    const onset = frameAt(project, NOTE_BEAT);
    expect(peak(synth as Float32Array, 0, onset)).toBe(0);
    expect(firstAbove(synth as Float32Array)).toBeGreaterThanOrEqual(onset);
    expect(firstAbove(synth as Float32Array)).toBeLessThanOrEqual(onset + 2);
  });

  it("follows the volume lane: linear in dB is exponential in gain, over the tempo change", () => {
    const [fader] = rendered[trackNodes.fader("pad")] as Float32Array[];
    const end = frameAt(project, 8); // 2 s + 4 beats at 90 bpm
    const from = dbToGain(-20);
    for (const frame of [0, 1000, 50000, 88200, 100000, end - 1]) {
      const expected = from * (1 / from) ** (frame / end);
      expect(Math.abs((fader?.[frame] as number) - expected) / expected).toBeLessThan(1e-5);
    }
  });

  it("feeds the reverb bus through a post-fader send at the send's level", () => {
    const [sendLeft] = rendered[trackNodes.send("drums", "drums-verb")] as Float32Array[];
    const [drumsLeft] = rendered[trackNodes.pan("drums")] as Float32Array[];
    const first = frameAt(project, 0);
    expect(sendLeft?.[first]).toBeCloseTo((drumsLeft?.[first] as number) * dbToGain(-10), 7);
    const [verb] = rendered[trackNodes.pan("verb")] as Float32Array[];
    // The reverb answers the first click; a dry level of 0 leaves nothing on the click's own frame.
    expect(verb?.[first]).toBe(0);
    expect(peak(verb as Float32Array, first, first + RATE / 2)).toBeGreaterThan(1e-4);
  });

  it("sums every track routed to the master into the output", () => {
    const output = rendered.output as Float32Array[];
    for (const channel of [0, 1]) {
      const sum = ["drums", "keys", "pad", "verb"].map(
        (id) => (rendered[trackNodes.pan(id)] as Float32Array[])[channel],
      );
      let worst = 0;
      for (let frame = 0; frame < (output[channel] as Float32Array).length; frame += 7) {
        const expected = sum.reduce((total, stem) => total + (stem?.[frame] as number), 0);
        worst = Math.max(worst, Math.abs((output[channel]?.[frame] as number) - expected));
      }
      expect(worst).toBeLessThan(1e-6);
    }
  });

  it("renders a range: the loop alone is the same samples as the whole, from the loop's start", async () => {
    const looped = { ...project, loop: { start_beat: 4, end_beat: 6, enabled: true } };
    const { request } = compileProject(looped, {
      sampleRate: RATE,
      buffers: handles,
      range: "loop",
      stems: true,
    });
    const part = await render(request);
    const start = frameAt(project, 4);
    const length = frameAt(project, 6) - start;
    expect(part.output?.[0]?.length).toBe(length);
    // The reverb's tail of the clicks before the range is not in the range's render: compare the others.
    const differing = (stems: Record<string, Float32Array[]>, id: string) => {
      const whole = (rendered[trackNodes.pan(id)] as Float32Array[])[0] as Float32Array;
      const range = (stems[trackNodes.pan(id)] as Float32Array[])[0] as Float32Array;
      return range.filter((value, i) => !Object.is(value, whole[start + i])).length;
    };
    expect(["drums", "keys", "pad"].map((id) => differing(part, id))).toEqual([0, 0, 0]);
    expect(differing(part, "verb")).toBeGreaterThan(0);
    // With a preroll from beat 0 the range carries the tails too: the reverb bus matches as well.
    const prerolled = compileProject(looped, {
      sampleRate: RATE,
      buffers: handles,
      range: "loop",
      stems: true,
      prerollSeconds: "range",
    });
    const withTails = await render(prerolled.request);
    expect(["drums", "keys", "pad", "verb"].map((id) => differing(withTails, id))).toEqual([0, 0, 0, 0]);
  });
});

describe("fades", () => {
  const clip = (id: string, start: number, length: number, fields: object = {}) => ({
    id,
    start_beat: start,
    length_beats: length,
    content_id: "dc",
    ...fields,
  });
  const renderClips = async (clips: object[]) => {
    const project = makeProject({
      audio: AUDIO,
      tracks: [{ kind: "audio", id: "a", clips: clips as never }],
    });
    const { request } = compileProject(project, { sampleRate: RATE, buffers: handles, tailSeconds: 0.5 });
    const ids = (clips as { id: string }[]).map((entry) => trackNodes.clip("a", entry.id));
    const out = await render(request, ids);
    return ids.map((id) => (out[id] as Float32Array[])[0] as Float32Array);
  };

  it("draws a linear fade in exactly and an equal-power fade out within 1/8192 of √x", async () => {
    // 120 bpm: beat b is b / 2 s. The clip plays beats 1..5, fades in over 1..2 and out over 4..5.
    const [envelope] = (await renderClips([
      clip("c", 1, 4, {
        gain_db: -6,
        fade_in: { beats: 1, curve: "linear" },
        fade_out: { beats: 1, curve: "equal_power" },
      }),
    ])) as [Float32Array];
    const gain = dbToGain(-6);
    const [a, b, c, d] = [0.5, 1, 2, 2.5].map((seconds) => Math.round(seconds * RATE)) as [
      number,
      number,
      number,
      number,
    ];
    expect(peak(envelope, 0, a)).toBe(0);
    for (let frame = a; frame <= b; frame += 97)
      expect(envelope[frame]).toBeCloseTo((gain * (frame - a)) / (b - a), 6);
    expect(envelope[b + 1000]).toBeCloseTo(gain, 6);
    let worst = 0;
    for (let frame = c; frame <= d; frame++) {
      worst = Math.max(
        worst,
        Math.abs((envelope[frame] as number) - gain * Math.sqrt(1 - (frame - c) / (d - c))),
      );
    }
    expect(worst).toBeLessThanOrEqual(gain * EQUAL_POWER_MAX_ERROR + 1e-6);
    expect(worst).toBeGreaterThan(0); // drawn in segments: not the root itself
    expect(peak(envelope, d, d + 2000)).toBe(0);
  });

  it("crossfades overlapping clips with equal power by default: gain² + gain² stays 1", async () => {
    // Clip x plays beats 0..4, clip y 3..7: they overlap over beats 3..4 (1.5 s..2 s).
    const [x, y] = (await renderClips([clip("x", 0, 4), clip("y", 3, 4)])) as [Float32Array, Float32Array];
    const [from, to] = [1.5, 2].map((seconds) => Math.round(seconds * RATE)) as [number, number];
    let worst = 0;
    for (let frame = from; frame <= to; frame++) {
      worst = Math.max(worst, Math.abs((x[frame] as number) ** 2 + (y[frame] as number) ** 2 - 1));
    }
    expect(worst).toBeLessThanOrEqual(4 * EQUAL_POWER_MAX_ERROR);
    expect(x[from - 1]).toBe(1);
    expect(y[from - 1]).toBe(0);
    expect(x[to]).toBe(0);
    expect(y[to]).toBe(1);
  });

  it("plays a loop region again and again from the clip's start", async () => {
    // A ramp as audio shows the read position: 0.1 s of source start, loop 0.2 s..0.3 s.
    const ramp = Float32Array.from({ length: RATE }, (_, i) => i / RATE);
    const rampHandle = await engine.uploadBuffer([ramp], RATE);
    const project = makeProject({
      audio: [{ content_id: "ramp", sample_rate: RATE, frames: RATE, channels: 1 }],
      tracks: [
        {
          kind: "audio",
          id: "a",
          clips: [
            {
              id: "r",
              start_beat: 1,
              length_beats: 2,
              content_id: "ramp",
              source_start_seconds: 0.1,
              loop: { start_seconds: 0.2, end_seconds: 0.3 },
            },
          ],
        },
      ],
    });
    const { request } = compileProject(project, {
      sampleRate: RATE,
      buffers: { ramp: rampHandle },
      tailSeconds: 0.5,
    });
    const [read] = (await render(request, [trackNodes.clip("a", "r")]))[
      trackNodes.clip("a", "r")
    ] as Float32Array[];
    const start = Math.round(0.5 * RATE);
    const expected = (frame: number) => {
      const played = frame - start + Math.round(0.1 * RATE); // audio frame without the loop
      const loopStart = Math.round(0.2 * RATE);
      const loopLength = Math.round(0.1 * RATE);
      return played < loopStart + loopLength ? played : loopStart + ((played - loopStart) % loopLength);
    };
    for (const frame of [
      start,
      start + 1,
      start + 8819,
      start + 8820,
      start + 13229,
      start + 13230,
      start + 44099,
    ]) {
      expect(read?.[frame], `frame ${frame}`).toBe(ramp[expected(frame)]);
    }
    expect(read?.[start - 1]).toBe(0);
    expect(read?.[Math.round(1.5 * RATE)]).toBe(0);
  });
});

describe("audio at another rate", () => {
  it("plays 22.05 kHz audio in a 44.1 kHz render from the clip's frame, within half a frame of the audio", async () => {
    // A ramp of 22050 frames at 22050 Hz, from audio second 0.25, in a clip at beat 1.3 (0.65 s).
    const ramp = Float32Array.from({ length: 22050 }, (_, i) => i / 22050);
    const rampHandle = await engine.uploadBuffer([ramp], 22050);
    const project = makeProject({
      audio: [{ content_id: "slow", sample_rate: 22050, frames: 22050, channels: 1 }],
      tracks: [
        {
          kind: "audio",
          id: "a",
          clips: [
            { id: "r", start_beat: 1.3, length_beats: 1, content_id: "slow", source_start_seconds: 0.25 },
          ],
        },
      ],
    });
    const { request } = compileProject(project, { sampleRate: RATE, buffers: { slow: rampHandle } });
    const [read] = (await render(request, [trackNodes.clip("a", "r")]))[
      trackNodes.clip("a", "r")
    ] as Float32Array[];
    const start = Math.round(0.65 * RATE);
    expect(read?.[start - 1]).toBe(0);
    for (const frame of [start, start + 1, start + 1000, start + 22049]) {
      // The ramp's value is its position in seconds of the audio: 0.25 s in at the clip's start.
      const audioSeconds = 0.25 + (frame - start) / RATE;
      expect(Math.abs((read?.[frame] as number) - audioSeconds), `frame ${frame}`).toBeLessThanOrEqual(
        0.5 / 22050 + 1e-6,
      );
    }
  });
});

describe("a Faust device", () => {
  it("sits in a track's chain with its parameter set by address and automated by a lane", async () => {
    const faust = await createEngine({ sampleRate: RATE });
    const gain = await faust.compileFaust('process = *(hslider("gain", 0.5, 0, 1, 0.001));');
    const address = gain.parameters?.[0]?.id as string; // "/webdreamer/gain"
    const dc = await faust.uploadBuffer([new Float32Array(RATE).fill(1)], RATE);
    const project = makeProject({
      audio: [{ content_id: "dc", sample_rate: RATE, frames: RATE, channels: 1 }],
      tracks: [
        {
          kind: "audio",
          id: "a",
          clips: [{ id: "c", start_beat: 0, length_beats: 2, content_id: "dc" }],
          devices: [{ id: "g", node_id: gain.node_id, params: { [address]: 0.25 } }],
          automation: {
            [`device:g:${address}`]: {
              points: [
                { beat: 1, value: 0.25, curve: "step" },
                { beat: 1.5, value: 0.75 },
              ],
            },
          },
        },
      ],
    });
    const { request } = compileProject(project, { sampleRate: RATE, buffers: { dc } });
    const result = await faust.render({ ...request, options: { ...request.options, capture: ["a.dev.g"] } });
    const [out] = await faust.readBuffer(result.extensions.captures?.["a.dev.g"] as string);
    // 0.25 until beat 1.5 (0.75 s at 120 bpm), 0.75 from there: a step on its frame.
    const step = Math.round(0.75 * RATE);
    expect([out?.[0], out?.[step - 1], out?.[step], out?.[RATE - 1]]).toEqual([0.25, 0.25, 0.75, 0.75]);
    await faust.close();
  });
});

describe("a Faust synth", () => {
  it("plays an instrument track's MIDI clip from the note's frame, after a tempo change", async () => {
    const faust = await createEngine({ sampleRate: RATE });
    const synth = await faust.compileFaust(
      `import("stdfaust.lib");
       freq = hslider("freq", 440, 20, 20000, 0.01);
       gain = hslider("gain", 0.5, 0, 1, 0.01);
       gate = button("gate");
       process = os.osc(freq) * gain * en.asr(0.005, 1, 0.05, gate);`,
      { voices: 4 },
    );
    const project = makeProject({
      tempo: TEMPO,
      tracks: [
        {
          kind: "instrument",
          id: "lead",
          instrument: { id: "poly", node_id: synth.node_id },
          clips: [
            {
              id: "m",
              start_beat: 4,
              length_beats: 2,
              notes: [{ beat: 1.5, length_beats: 0.25, note: 69, velocity: 127 }],
            },
          ],
        },
      ],
    });
    const { request } = compileProject(project, { sampleRate: RATE, buffers: {}, tailSeconds: 0.2 });
    const result = await faust.render({
      ...request,
      options: { ...request.options, capture: ["lead.dev.poly"] },
    });
    const [out] = await faust.readBuffer(result.extensions.captures?.["lead.dev.poly"] as string);
    const onset = frameAt(project, 5.5); // 2 s + 1.5 beats at 90 bpm = 3 s
    expect(onset).toBe(3 * RATE);
    expect(peak(out as Float32Array, 0, onset)).toBe(0);
    expect(firstAbove(out as Float32Array)).toBeLessThanOrEqual(onset + 1);
    // A 440 Hz sine at gain 127/127 under a 5 ms attack: near full level 10 ms in.
    expect(peak(out as Float32Array, onset + 441, onset + 441 + 200)).toBeGreaterThan(0.9);
    await faust.close();
  });
});

describe("mixer laws", () => {
  it("pans a mono track by the equal-power law and sends pre- and post-fader at their levels", async () => {
    const project = makeProject({
      audio: AUDIO,
      tracks: [
        {
          kind: "audio",
          id: "a",
          mixer: { volume_db: -6, pan: 0.5 },
          clips: [{ id: "c", start_beat: 0, length_beats: 1, content_id: "dc" }],
          sends: [
            { id: "post", target: "bus", level_db: -10 },
            { id: "pre", target: "bus", level_db: -3, pre_fader: true },
          ],
        },
        { kind: "bus", id: "bus" },
      ],
    });
    const { request } = compileProject(project, { sampleRate: RATE, buffers: handles, stems: true });
    const out = await render(request, [trackNodes.send("a", "post"), trackNodes.send("a", "pre")]);
    const [left, right] = out[trackNodes.pan("a")] as Float32Array[];
    const [panLeft, panRight] = monoPanGains(0.5);
    expect(left?.[100]).toBeCloseTo(dbToGain(-6) * panLeft, 6); // cos(3π/8)/2: -14.3 dB
    expect(right?.[100]).toBeCloseTo(dbToGain(-6) * panRight, 6);
    expect(out[trackNodes.send("a", "post")]?.[1]?.[100]).toBeCloseTo(
      dbToGain(-6) * panRight * dbToGain(-10),
      6,
    );
    // Pre-fader: the track before fader and pan (mono), at the send's level only.
    expect(out[trackNodes.send("a", "pre")]?.[0]?.[100]).toBeCloseTo(dbToGain(-3), 6);
    // The bus (no devices, centred) passes the two sends' stereo sum: the mono pre send feeds both sides.
    const [busLeft] = out[trackNodes.pan("bus")] as Float32Array[];
    expect(busLeft?.[100]).toBeCloseTo(dbToGain(-6) * panLeft * dbToGain(-10) + dbToGain(-3), 5);
    expect(out.output?.[0]?.[100]).toBeCloseTo((left?.[100] as number) + (busLeft?.[100] as number), 6);
    expect(masterNodes.fader).toBe("master.fader");
  });
});

describe("mute and solo", () => {
  // Three source tracks: a and b to the master, c into the group bus "grp"; a sends to "fx".
  const base = (mixers: Record<string, object>) =>
    makeProject({
      audio: AUDIO,
      tracks: [
        ...["a", "b", "c"].map((id) => ({
          kind: "audio" as const,
          id,
          output: id === "c" ? "grp" : "master",
          mixer: mixers[id] ?? {},
          clips: [{ id: `${id}1`, start_beat: 0, length_beats: 0.5, content_id: "dc" }],
          sends: id === "a" ? [{ id: "a-fx", target: "fx" }] : [],
        })),
        { kind: "bus" as const, id: "grp", mixer: mixers.grp ?? {} },
        { kind: "bus" as const, id: "fx", mixer: mixers.fx ?? {} },
      ],
    });

  const cases: [string, Record<string, object>, string[]][] = [
    ["nothing soloed or muted", {}, ["a", "b", "c", "grp", "fx"]],
    ["a muted (its send too)", { a: { mute: true } }, ["b", "c", "grp"]],
    ["a soloed: the send-only bus falls silent", { a: { solo: true } }, ["a"]],
    ["a soloed, fx solo-safe", { a: { solo: true }, fx: { solo_safe: true } }, ["a", "fx"]],
    ["c soloed: it plays through its group", { c: { solo: true } }, ["c", "grp"]],
    ["grp soloed: its members play", { grp: { solo: true } }, ["c", "grp"]],
    ["a and b soloed, b muted", { a: { solo: true }, b: { solo: true, mute: true } }, ["a"]],
  ];

  for (const [title, mixers, sounding] of cases) {
    it(title, async () => {
      const project = base(mixers);
      const { request } = compileProject(project, { sampleRate: RATE, buffers: handles, stems: true });
      const out = await render(request);
      const heard = project.tracks
        .map((track) => track.id)
        .filter((id) => peak((out[trackNodes.pan(id)] as Float32Array[])[0] as Float32Array) > 0);
      expect(heard).toEqual(sounding);
    });
  }
});

describe("devices", () => {
  it("pass their extensions to the graph node as they are (a WAM device's module and state), and none when they have none", () => {
    const wam = { module_url: "/plugins/amp/index.js", state: { gain: 0.25 } };
    const project = makeProject({
      tracks: [
        {
          kind: "bus",
          id: "fx",
          devices: [
            { id: "amp", node_id: "wam:com.example.amp", params: { gain: 0.5 }, extensions: { wam } },
            { id: "rev", node_id: "builtin:reverb" },
          ],
        },
      ],
    });
    const { request } = compileProject(project, { sampleRate: 48000, buffers: {} });
    const nodes = new Map(request.node_graph.nodes.map((node) => [node.name, node]));
    expect(nodes.get(trackNodes.device("fx", "amp"))).toMatchObject({
      node_id: "wam:com.example.amp",
      params: { gain: 0.5 },
      extensions: { wam },
    });
    expect(nodes.get(trackNodes.device("fx", "rev"))?.extensions ?? {}).toEqual({});
  });
});
