import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AudioData, decodeWav, encodeWav } from "../../src/audio-io/wav";
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

/** The name saveSession gives audio: the SHA-256 of its float32 WAV bytes. */
function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
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
    expect(saved.audioFiles).toEqual(
      [drums, pluck, fade].map((audio) => join(dir, "audio", `${sha256(encodeWav(audio))}.wav`)),
    );
    expect(saved.writtenFiles).toEqual(saved.audioFiles);

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
        "buf:1": { path: `audio/${sha256(encodeWav(drums))}.wav` },
        "buf:2": { path: `audio/${sha256(encodeWav(pluck))}.wav` },
        "buf:3": { path: `audio/${sha256(encodeWav(fade))}.wav` },
      },
    });
    // Content-addressed: the file's name is the SHA-256 of its bytes.
    const wav = await readFile(join(dir, json.buffers["buf:2"].path));
    expect(`audio/${sha256(wav)}.wav`).toBe(json.buffers["buf:2"].path);
    expect(new DataView(wav.buffer, wav.byteOffset).getUint16(20, true)).toBe(3); // IEEE float
    expect(decodeWav(wav)).toEqual(pluck);
  });

  it("writes audio shared by sessions (or by handles of one) once, and each session loads it", async () => {
    const folder = await mkdtemp(join(dir, "shared-"));
    // Two sessions play the same drums; the second also plays them through a second handle.
    const first = await saveSession(join(folder, "a.json"), {
      request: takeRequest({ drums: "buf:1", pluck: "buf:2", fade: "buf:3" }),
      buffers: new Map([
        ["buf:1", drums],
        ["buf:2", pluck],
        ["buf:3", fade],
      ]),
    });
    const second = await saveSession(join(folder, "b.json"), {
      request: takeRequest({ drums: "buf:7", pluck: "buf:8", fade: "buf:9" }),
      buffers: new Map([
        ["buf:7", drums],
        ["buf:8", { sampleRate: drums.sampleRate, channels: drums.channels.map((c) => c.slice()) }],
        ["buf:9", fade],
      ]),
    });
    const drumsFile = join(folder, "audio", `${sha256(encodeWav(drums))}.wav`);
    expect(first.writtenFiles).toHaveLength(3);
    // b.json's drums (twice) and fade were there already: it writes nothing.
    expect(second.audioFiles).toEqual([drumsFile, join(folder, "audio", `${sha256(encodeWav(fade))}.wav`)]);
    expect(second.writtenFiles).toEqual([]);
    expect((await readdir(join(folder, "audio"))).sort()).toEqual(
      [drums, pluck, fade].map((audio) => `${sha256(encodeWav(audio))}.wav`).sort(),
    );
    const b = JSON.parse(await readFile(join(folder, "b.json"), "utf8"));
    expect(b.buffers["buf:7"].path).toBe(b.buffers["buf:8"].path);
    const a = JSON.parse(await readFile(join(folder, "a.json"), "utf8"));
    expect(a.buffers["buf:1"].path).toBe(b.buffers["buf:7"].path);

    for (const name of ["a.json", "b.json"]) {
      const session = await readSession(join(folder, name));
      expect([...session.audio.values()].map((audio) => audio.channels[0]?.length)).toEqual(
        name === "a.json" ? [30_011, 8000, 50_000] : [30_011, 30_011, 50_000],
      );
    }
    // Two handles naming one file are one read, one decoded copy.
    const shared = await readSession(join(folder, "b.json"));
    expect(shared.audio.get("buf:7")).toBe(shared.audio.get("buf:8"));
    const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE, blockSize: BLOCK_SIZE });
    const loaded = await loadSession(join(folder, "b.json"), engine);
    expect(loaded.uploadedHandles).toHaveLength(3);
    expect(await engine.readBuffer(loaded.uploadedHandles[1] ?? "")).toEqual(drums.channels);
    await engine.close();
  });

  it("still loads a session of the older layout, one WAV per buffer in <name>.audio/", async () => {
    const folder = await mkdtemp(join(dir, "old-"));
    await mkdir(join(folder, "take-1.audio"));
    const files = {
      "buf:1": "drums.data.wav",
      "buf:2": "pluck.sample.wav",
      "buf:3": "mix.input_gain_1.automation.wav",
    };
    for (const [name, audio] of [
      [files["buf:1"], drums],
      [files["buf:2"], pluck],
      [files["buf:3"], fade],
    ] as const) {
      await writeFile(join(folder, "take-1.audio", name), encodeWav(audio));
    }
    const request = takeRequest({ drums: "buf:1", pluck: "buf:2", fade: "buf:3" });
    await writeFile(
      join(folder, "take-1.json"),
      JSON.stringify({
        version: "v1alpha",
        sample_rate: SAMPLE_RATE,
        block_size: BLOCK_SIZE,
        request,
        buffers: Object.fromEntries(
          Object.entries(files).map(([handle, name]) => [handle, { path: `take-1.audio/${name}` }]),
        ),
      }),
    );
    const session = await readSession(join(folder, "take-1.json"));
    expect(session.audio.get("buf:2")).toEqual(pluck);
    const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE, blockSize: BLOCK_SIZE });
    const { request: loaded } = await loadSession(join(folder, "take-1.json"), engine);
    const result = await engine.render(loaded);
    expect(result.status).toBe("ok");
    await engine.close();
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

  it("names the WAV file whose audio the engine refuses (a sample rate below 3000 Hz)", async () => {
    await writeFile(join(dir, "slow.wav"), encodeWav({ sampleRate: 2000, channels: [new Float32Array(64)] }));
    const path = join(dir, "slow-rate.json");
    await writeFile(
      path,
      JSON.stringify({ ...valid, buffers: { ...(valid.buffers as object), "buf:1": { path: "slow.wav" } } }),
    );
    const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE, blockSize: BLOCK_SIZE });
    await expect(loadSession(path, engine)).rejects.toThrow(
      'E_SCHEMA at buffers["buf:1"].path: slow.wav: the engine refused its audio: must be >= 3000',
    );
    await engine.close();
  });

  it("names the WAV file whose channel count the engine refuses (33 channels, 32 at most)", async () => {
    const channels = Array.from({ length: 33 }, () => new Float32Array(64));
    await writeFile(join(dir, "wide.wav"), encodeWav({ sampleRate: SAMPLE_RATE, channels }));
    const path = join(dir, "wide.json");
    await writeFile(
      path,
      JSON.stringify({ ...valid, buffers: { ...(valid.buffers as object), "buf:1": { path: "wide.wav" } } }),
    );
    const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE, blockSize: BLOCK_SIZE });
    await expect(loadSession(path, engine)).rejects.toThrow(
      /^E_LIMIT at buffers\["buf:1"\]\.path: wide\.wav: the engine refused its audio: .*33.*32/,
    );
    await engine.close();
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
