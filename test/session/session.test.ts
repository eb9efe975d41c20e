import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AudioData, decodeWav } from "../../src/audio-io/wav";
import { createEngine, type EngineClient, type RenderRequestInput } from "../../src/index";
import { loadSession, readSession, saveSession, uploadSession } from "../../src/session/index";
import { peak } from "../support/signal";

function noise(frames: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 31 - 1) * 0.5;
  });
}

const SAMPLE_RATE = 44100;
const BLOCK_SIZE = 64;

/** Playback of a stereo loop, a sampler played by MIDI, and a mixer with two kinds of automation. */
function takeRequest(handles: { drums: string; pluck: string; fade: string }): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "take-1",
    sample_rate: SAMPLE_RATE,
    channels: 2,
    duration_beats: 6,
    start_position_seconds: 0.25,
    options: { offline: true, preroll: 0.1, block_size: BLOCK_SIZE },
    node_graph: {
      version: "v1alpha",
      output: "mix",
      tempo: {
        map: [
          { beat: 0, bpm: 100, curve: "linear" },
          { beat: 4, bpm: 140, curve: "step" },
        ],
      },
      nodes: [
        { name: "drums", node_id: "builtin:playback", buffers: { data: handles.drums }, params: { loop: 1 } },
        {
          name: "pluck",
          node_id: "builtin:sampler",
          buffers: { sample: handles.pluck },
          params: { release: 30 },
          capture: true,
          midi: [
            { type: "note", time: 0.3, duration: 0.5, note: 60, velocity: 100 },
            { type: "note", timeline: "beats", time: 2, duration: 1.5, note: 67, velocity: 80, channel: 2 },
            { type: "pitch_bend", timeline: "beats", time: 2.5, value: 4096, channel: 2 },
            { type: "cc", time: 1, controller: 7, value: 90 },
          ],
        },
        {
          name: "mix",
          node_id: "builtin:mixer",
          inputs: ["drums", "pluck"],
          automation: {
            gain: {
              kind: "breakpoints",
              timeline: "beats",
              points: [
                { time: 0, value: 0.2, curve: "exponential" },
                { time: 3, value: 1, curve: "linear" },
                { time: 5, value: 0.5 },
              ],
            },
            input_gain_1: { kind: "audio_rate", buffer_handle: handles.fade },
          },
        },
      ],
    },
  };
}

const drums: AudioData = { sampleRate: SAMPLE_RATE, channels: [noise(30_011, 1), noise(30_011, 2)] };
const pluck: AudioData = {
  sampleRate: 22050,
  channels: [noise(8000, 3).map((x, i) => x * Math.exp(-i / 2000))],
};
const fade: AudioData = {
  sampleRate: SAMPLE_RATE,
  channels: [Float32Array.from({ length: 50_000 }, (_, i) => 1 - i / 50_000)],
};

async function renderAll(engine: EngineClient, request: RenderRequestInput) {
  const result = await engine.render(request);
  expect(result.status).toBe("ok");
  const output = await engine.readBuffer(result.buffer_handle ?? "");
  const captures = result.extensions.captures ?? {};
  const stems = Object.fromEntries(
    await Promise.all(
      Object.entries(captures).map(async ([name, handle]) => [name, await engine.readBuffer(handle)]),
    ),
  );
  return { frames: result.frames, output, stems };
}

describe("sessions through the in-process host", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "webdreamer-session-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("saves a session and restores it to render bit-identically in a fresh engine", async () => {
    const original = await createEngine({
      host: "in-process",
      sampleRate: SAMPLE_RATE,
      blockSize: BLOCK_SIZE,
    });
    const handles = {
      drums: await original.uploadBuffer(drums.channels, drums.sampleRate),
      pluck: await original.uploadBuffer(pluck.channels, pluck.sampleRate),
      fade: await original.uploadBuffer(fade.channels, fade.sampleRate),
    };
    const request = takeRequest(handles);
    const before = await renderAll(original, request);
    await original.close();

    const path = join(dir, "take-1.json");
    const saved = await saveSession(path, {
      request,
      buffers: new Map([
        [handles.drums, drums],
        [handles.pluck, pluck],
        [handles.fade, fade],
      ]),
    });
    expect(saved.audioFiles).toEqual([
      join(dir, "take-1.audio", "drums.data.wav"),
      join(dir, "take-1.audio", "pluck.sample.wav"),
      join(dir, "take-1.audio", "mix.input_gain_1.automation.wav"),
    ]);

    const session = await readSession(path);
    expect(session.file.sample_rate).toBe(SAMPLE_RATE);
    expect(session.file.block_size).toBe(BLOCK_SIZE);
    const restored = await createEngine({
      host: "in-process",
      sampleRate: session.file.sample_rate,
      blockSize: session.file.block_size,
    });
    // Upload something first, so this engine's handles cannot coincide with the saved ones, whether
    // handle numbers count per engine or per process.
    for (let i = 0; i < 3; i++) await restored.uploadBuffer([new Float32Array(3)], 8000);
    const loaded = await uploadSession(session, restored);
    expect(loaded.uploadedHandles).toHaveLength(3);
    expect(loaded.uploadedHandles.filter((handle) => Object.values(handles).includes(handle))).toEqual([]);
    expect(loaded.request.node_graph.nodes[0]?.buffers).toEqual({ data: loaded.uploadedHandles[0] });

    const after = await renderAll(restored, loaded.request);
    await restored.close();
    expect(after.frames).toBe(before.frames);
    expect(before.frames).toBeGreaterThan(100_000); // 6 beats from 100 bpm upward: about 3.2 s
    expect(after.output).toEqual(before.output);
    expect(Object.keys(after.stems)).toEqual(["pluck"]);
    expect(after.stems).toEqual(before.stems);
    // The render is not trivially silent.
    // (A loop, not Math.max(...samples): 150k arguments are at the edge of V8's stack.)
    expect(peak(after.output[0] ?? [])).toBeGreaterThan(0.05);
    expect(peak(after.stems.pluck?.[0] ?? [])).toBeGreaterThan(0.05);
  });

  it("writes versioned JSON with relative WAV paths and float32 WAVs holding the exact samples", async () => {
    const path = join(dir, "plain.json");
    await saveSession(path, {
      request: takeRequest({ drums: "buf:1", pluck: "buf:2", fade: "buf:3" }),
      buffers: new Map([
        ["buf:1", drums],
        ["buf:2", pluck],
        ["buf:3", fade],
      ]),
    });
    const json = JSON.parse(await readFile(path, "utf8"));
    expect(json).toMatchObject({
      version: "v1alpha",
      sample_rate: SAMPLE_RATE,
      block_size: BLOCK_SIZE,
      request: { request_id: "take-1", duration_beats: 6, duration_seconds: null },
      buffers: {
        "buf:1": { path: "plain.audio/drums.data.wav" },
        "buf:2": { path: "plain.audio/pluck.sample.wav" },
        "buf:3": { path: "plain.audio/mix.input_gain_1.automation.wav" },
      },
    });
    const wav = await readFile(join(dir, "plain.audio", "pluck.sample.wav"));
    expect(new DataView(wav.buffer, wav.byteOffset).getUint16(20, true)).toBe(3); // IEEE float
    expect(decodeWav(wav)).toEqual(pluck);
  });

  it("loadSession uploads into an existing engine", async () => {
    const path = join(dir, "plain.json");
    const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE, blockSize: BLOCK_SIZE });
    const loaded = await loadSession(path, engine);
    expect(loaded).toMatchObject({ path, sampleRate: SAMPLE_RATE, blockSize: BLOCK_SIZE });
    expect(await engine.readBuffer(loaded.uploadedHandles[1] ?? "")).toEqual(pluck.channels);
    await engine.close();
  });
});

describe("session errors name the field to fix", () => {
  let dir: string;
  let valid: Record<string, unknown>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "webdreamer-session-errors-"));
    await saveSession(join(dir, "valid.json"), {
      request: takeRequest({ drums: "buf:1", pluck: "buf:2", fade: "buf:3" }),
      buffers: new Map([
        ["buf:1", drums],
        ["buf:2", pluck],
        ["buf:3", fade],
      ]),
    });
    valid = JSON.parse(await readFile(join(dir, "valid.json"), "utf8"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // biome-ignore lint/suspicious/noExplicitAny: the edits reach into arbitrary places of the JSON on purpose
  async function loadEdited(edit: (session: Record<string, any>) => void): Promise<string> {
    const session = structuredClone(valid);
    edit(session);
    const path = join(dir, `edited-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, JSON.stringify(session));
    return readSession(path).then(
      () => "loaded",
      (error: Error) => error.message,
    );
  }

  it("rejects schema errors with E_SCHEMA and the path", async () => {
    expect(await loadEdited((s) => (s.request.duration_beats = -1))).toBe(
      "E_SCHEMA at request.duration_beats: must be > 0",
    );
    expect(await loadEdited((s) => (s.version = "v2"))).toBe('E_SCHEMA at version: must be "v1alpha"');
    expect(await loadEdited((s) => delete s.block_size)).toBe("E_SCHEMA at block_size: is required");
    expect(await loadEdited((s) => (s.buffers["buf:1"] = "drums.wav"))).toBe(
      'E_SCHEMA at buffers["buf:1"]: must be an object',
    );
  });

  it("checks the request's graph, rates and buffer references", async () => {
    expect(await loadEdited((s) => (s.request.node_graph.nodes[1].name = "drums"))).toBe(
      'E_DUPLICATE_NODE at request.node_graph.nodes[1].name: name "drums" is already used by nodes[0]',
    );
    expect(await loadEdited((s) => (s.sample_rate = 48000))).toBe(
      "E_SCHEMA at request.sample_rate: must equal the session's sample_rate (48000)",
    );
    expect(await loadEdited((s) => delete s.buffers["buf:2"])).toBe(
      'E_SCHEMA at request.node_graph.nodes[1].buffers.sample: "buf:2" has no WAV file in the session\'s buffers',
    );
    expect(await loadEdited((s) => (s.buffers["buf:9"] = { path: "x.wav" }))).toBe(
      'E_SCHEMA at buffers["buf:9"]: is not used by the request\'s graph',
    );
  });

  it("names a missing or corrupt WAV", async () => {
    const missing = join(dir, "nowhere.wav");
    expect(await loadEdited((s) => (s.buffers["buf:1"].path = "nowhere.wav"))).toBe(
      `E_SCHEMA at buffers["buf:1"].path: ${missing}: cannot read: ENOENT`,
    );
    await writeFile(join(dir, "broken.wav"), "RIFF\u0000\u0000\u0000\u0000WAVEfmt ");
    expect(await loadEdited((s) => (s.buffers["buf:1"].path = "broken.wav"))).toMatch(
      /^E_SCHEMA at buffers\["buf:1"\]\.path: .*broken\.wav: corrupt WAV file: /,
    );
  });

  it("rejects a missing or non-JSON session file", async () => {
    const missing = join(dir, "missing.json");
    await expect(readSession(missing)).rejects.toThrow(`E_SCHEMA: ${missing}: cannot read: ENOENT`);
    await writeFile(join(dir, "garbage.json"), "{ not json");
    await expect(readSession(join(dir, "garbage.json"))).rejects.toThrow(
      "E_SCHEMA: is not valid JSON: expected property name or '}' (line 1, column 3)",
    );
  });

  it("saveSession refuses a graph handle with no audio", async () => {
    await expect(
      saveSession(join(dir, "x.json"), {
        request: takeRequest({ drums: "buf:1", pluck: "buf:2", fade: "buf:3" }),
        buffers: new Map([["buf:1", drums]]),
      }),
    ).rejects.toThrow(
      'E_UNKNOWN_HANDLE at request.node_graph.nodes[1].buffers.sample: no audio given for "buf:2"',
    );
  });
});
