/**
 * Saving and loading projects with their audio: a folder and a .wdproj zip round trip render the same
 * bytes as the project before it was saved; audio is stored once by its SHA-256; corrupt, newer and
 * incomplete files are refused with errors naming what is wrong, and the last good save stays whole.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AudioData } from "../../src/audio-io/wav-codec";
import { createEngine } from "../../src/create-engine";
import { compileProject } from "../../src/project/compile-project";
import {
  loadProjectFile,
  loadProjectFolder,
  saveProjectFile,
  saveProjectFolder,
} from "../../src/project/project-folder";
import { migrateProjectDocument, readProjectDocument } from "../../src/project/project-migrations";
import { packProject, sha256Hex, unpackProject } from "../../src/project/project-package";
import type { Project } from "../../src/project/project-schema";
import { unzipProject, zipProject } from "../../src/project/project-zip";
import { makeProject } from "./project-fixtures";

const RATE = 44100;

/** Noise-like audio that no codec could round off unnoticed (every float32 bit pattern matters). */
function audioOf(seed: number, frames: number, channels: number): AudioData {
  let state = seed;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return {
    sampleRate: RATE,
    channels: Array.from({ length: channels }, () => Float32Array.from({ length: frames }, next)),
  };
}

function song(): { project: Project; audio: Map<string, AudioData> } {
  const project = makeProject({
    audio: [
      { content_id: "drums", sample_rate: RATE, frames: 22050, channels: 2 },
      { content_id: "drums-copy", sample_rate: RATE, frames: 22050, channels: 2 },
      { content_id: "bass", sample_rate: RATE, frames: 30000, channels: 1 },
    ],
    tracks: [
      {
        kind: "audio",
        id: "drums",
        clips: [
          { id: "d1", start_beat: 0, length_beats: 1, content_id: "drums", fade_in: { beats: 0.25 } },
          { id: "d2", start_beat: 1, length_beats: 1, content_id: "drums-copy", gain_db: -3 },
        ],
        sends: [{ id: "s1", target: "verb", level_db: -6 }],
      },
      {
        kind: "audio",
        id: "bass",
        mixer: { pan: -0.3, volume_db: -2 },
        clips: [
          { id: "b1", start_beat: 0.5, length_beats: 1.5, content_id: "bass", fade_out: { beats: 0.5 } },
        ],
        automation: {
          volume: {
            points: [
              { beat: 0, value: -12 },
              { beat: 2, value: 0 },
            ],
          },
        },
      },
      {
        kind: "bus",
        id: "verb",
        devices: [{ id: "rev", node_id: "builtin:reverb", params: { room_size: 0.6 } }],
      },
    ],
  });
  const drums = audioOf(1, 22050, 2);
  return {
    project,
    audio: new Map([
      ["drums", drums],
      ["drums-copy", drums],
      ["bass", audioOf(2, 30000, 1)],
    ]),
  };
}

/** The project's render, as the bytes of its float32 samples (so "equal" means bit for bit). */
async function renderBytes({ project, audio }: { project: Project; audio: ReadonlyMap<string, AudioData> }) {
  const engine = await createEngine({ sampleRate: RATE });
  try {
    const buffers: Record<string, string> = {};
    for (const [id, data] of audio) buffers[id] = await engine.uploadBuffer(data.channels, data.sampleRate);
    const { request } = compileProject(project, { sampleRate: RATE, buffers, tailSeconds: 0.5 });
    const result = await engine.render(request);
    const channels = await engine.readBuffer(result.buffer_handle as string);
    return createHash("sha256")
      .update(
        Buffer.concat(
          channels.map((channel) => Buffer.from(channel.buffer, channel.byteOffset, channel.byteLength)),
        ),
      )
      .digest("hex");
  } finally {
    await engine.close();
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "webdreamer-project-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const errorOf = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
};

describe("saving a project to a folder", () => {
  it("loads to render the same bytes, storing each audio once under its SHA-256", async () => {
    const original = song();
    const folder = join(dir, "round-trip");
    const saved = await saveProjectFolder(folder, original);
    const drumsFile = await sha256Hex(
      (await packProject(original)).files.get(`audio/${saved.project.audio[0]?.sha256}.wav`) as Uint8Array,
    );
    expect(drumsFile).toBe(saved.project.audio[0]?.sha256);
    // Two entries with the same audio share one file: 2 WAVs for 3 entries.
    expect((await readdir(join(folder, "audio"))).sort()).toEqual(
      [...new Set(saved.project.audio.map((source) => `${source.sha256}.wav`))].sort(),
    );
    expect(await readdir(join(folder, "audio"))).toHaveLength(2);
    expect(saved.project.audio[0]?.sha256).toBe(saved.project.audio[1]?.sha256);
    // 22050 stereo frames as float32: 44-byte header (plain float format, two channels) + 176400.
    expect((await readFile(join(folder, "audio", `${saved.project.audio[0]?.sha256}.wav`))).length).toBe(
      22050 * 2 * 4 + 44,
    );

    const loaded = await loadProjectFolder(folder);
    expect(loaded.project).toEqual(saved.project);
    expect([...loaded.audio.keys()]).toEqual(["drums", "drums-copy", "bass"]);
    expect(Buffer.from((loaded.audio.get("bass") as AudioData).channels[0]?.buffer as ArrayBuffer)).toEqual(
      Buffer.from((original.audio.get("bass") as AudioData).channels[0]?.buffer as ArrayBuffer),
    );
    const before = await renderBytes(original);
    expect(await renderBytes(loaded)).toBe(before);

    // Saving again writes only the document: the audio files are there, named by their hash.
    const again = await saveProjectFolder(folder, loaded);
    expect(again.written).toEqual([join(folder, "project.json")]);
  });

  it("refuses a save it could not load again, and keeps the last good save byte for byte", async () => {
    const original = song();
    const folder = join(dir, "keep-last");
    await saveProjectFolder(folder, original);
    const good = await readFile(join(folder, "project.json"));
    const missing = new Map(original.audio);
    missing.delete("bass");
    expect(await errorOf(() => saveProjectFolder(folder, { ...original, audio: missing }))).toBe(
      'E_SCHEMA at project.audio[2]: no audio given for "bass"',
    );
    const short = new Map(original.audio);
    short.set("bass", audioOf(2, 29999, 1));
    expect(await errorOf(() => saveProjectFolder(folder, { ...original, audio: short }))).toBe(
      "E_SCHEMA at project.audio[2].frames: is 30000, but the audio given has 29999",
    );
    expect(await readFile(join(folder, "project.json"))).toEqual(good);
    expect((await readdir(folder)).sort()).toEqual(["audio", "project.json"]);
    expect(await renderBytes(await loadProjectFolder(folder))).toBe(await renderBytes(original));
  });

  it("rejects a corrupt document, a newer format and damaged audio, naming the file, and changes nothing", async () => {
    const original = song();
    const folder = join(dir, "corrupt");
    const saved = await saveProjectFolder(folder, original);
    const documentPath = join(folder, "project.json");
    const good = await readFile(documentPath);

    await writeFile(documentPath, good.subarray(0, 100));
    expect(await errorOf(() => loadProjectFolder(folder))).toMatch(
      new RegExp(`^E_SCHEMA at ${folder}: project.json: is not JSON \\(.+\\): the file is corrupt$`),
    );
    expect((await readFile(documentPath)).length).toBe(100); // a load never writes

    const newer = { ...JSON.parse(good.toString()), format_version: 2 };
    await writeFile(documentPath, JSON.stringify(newer));
    expect(await errorOf(() => loadProjectFolder(folder))).toBe(
      `E_SCHEMA at ${folder}: project.format_version: is 2, newer than this webdreamer reads (1): open it with a later version`,
    );

    await writeFile(documentPath, good);
    const bassFile = join(folder, "audio", `${saved.project.audio[2]?.sha256}.wav`);
    const bass = await readFile(bassFile);
    const flipped = Buffer.from(bass);
    flipped[1000] = (flipped[1000] as number) ^ 1;
    await writeFile(bassFile, flipped);
    const hash = createHash("sha256").update(flipped).digest("hex");
    expect(await errorOf(() => loadProjectFolder(folder))).toBe(
      `E_SCHEMA at ${folder}: project.audio[2].sha256: audio/${saved.project.audio[2]?.sha256}.wav is corrupt: its bytes hash to ${hash}`,
    );
    await rm(bassFile);
    expect(await errorOf(() => loadProjectFolder(folder))).toBe(
      `E_SCHEMA at ${folder}: project.audio[2].sha256: audio/${saved.project.audio[2]?.sha256}.wav is missing`,
    );
    await writeFile(bassFile, bass);
    expect(await renderBytes(await loadProjectFolder(folder))).toBe(await renderBytes(original));
    expect(await errorOf(() => loadProjectFolder(join(dir, "nothing-here")))).toBe(
      `E_SCHEMA at ${join(dir, "nothing-here")}: project.json: there is no project.json: this is not a saved webdreamer project`,
    );
  });
});

describe("a project as one .wdproj file (zip)", () => {
  it("round-trips to the same render, and the same project zips to the same bytes", async () => {
    const original = song();
    const bytes = await zipProject(original);
    expect(Buffer.from(await zipProject(original))).toEqual(Buffer.from(bytes));
    const loaded = await unzipProject(bytes, "song.wdproj");
    expect(await renderBytes(loaded)).toBe(await renderBytes(original));

    const file = join(dir, "song.wdproj");
    await saveProjectFile(file, original);
    expect(Buffer.from(await readFile(file))).toEqual(Buffer.from(bytes));
    expect((await loadProjectFile(file)).project).toEqual(loaded.project);
  });

  it("rejects bytes that are not a project file, and a zip without a project", async () => {
    expect(await errorOf(() => unzipProject(new TextEncoder().encode("{}"), "notes.wdproj"))).toMatch(
      /^E_SCHEMA at notes.wdproj: is not a webdreamer project file: not a readable zip \(.+\)$/,
    );
    const { zipSync } = await import("fflate");
    expect(
      await errorOf(() => unzipProject(zipSync({ "readme.txt": new Uint8Array([65]) }), "other.zip")),
    ).toBe(
      "E_SCHEMA at other.zip: project.json: there is no project.json: this is not a saved webdreamer project",
    );
    expect(await errorOf(() => loadProjectFile(join(dir, "absent.wdproj")))).toBe(
      `E_SCHEMA at ${join(dir, "absent.wdproj")}: no such file`,
    );
  });
});

describe("format versions", () => {
  const v1 = { format: "webdreamer-project", format_version: 1, name: "demo" };

  it("reads the current version as it is, and refuses newer, unknown and malformed versions", () => {
    expect(migrateProjectDocument(v1)).toBe(v1);
    expect(readProjectDocument(v1).name).toBe("demo");
    expect(() => readProjectDocument({ ...v1, format_version: 7 })).toThrow(
      "E_SCHEMA at project.format_version: is 7, newer than this webdreamer reads (1): open it with a later version",
    );
    expect(() => readProjectDocument({ ...v1, format_version: 0 })).toThrow(
      "E_SCHEMA at project.format_version: is 0, and no migration leads from format 0 to 1",
    );
    expect(() => readProjectDocument({ ...v1, format_version: "1" })).toThrow(
      "E_SCHEMA at project.format_version: must be a whole number",
    );
    expect(() => readProjectDocument({ format: "something-else", format_version: 1 })).toThrow(
      'E_SCHEMA at project.format: must be "webdreamer-project": this is not a webdreamer project',
    );
    expect(() => readProjectDocument([1])).toThrow("E_SCHEMA at project: must be a project: a JSON object");
  });

  it("migrates an older document step by step, then checks it against the current schema and rules", () => {
    // A format 3 that renamed `title` (format 1) to `name` (2) and moved markers under `timeline` (3):
    // the machinery runs both steps in order, on a copy, and the result is parsed as a project.
    const migrations = [
      {
        from: 2,
        describe: "markers moved under timeline",
        migrate: ({ markers, ...rest }: Record<string, unknown>) => ({ ...rest, timeline: { markers } }),
      },
      {
        from: 1,
        describe: "title renamed name",
        migrate: ({ title, ...rest }: Record<string, unknown>) => ({ ...rest, name: title }),
      },
    ];
    const old = { format: "webdreamer-project", format_version: 1, title: "old song", markers: [] };
    const frozen = Object.freeze(old);
    expect(migrateProjectDocument(frozen, { migrations, current: 3 })).toEqual({
      format: "webdreamer-project",
      format_version: 3,
      name: "old song",
      timeline: { markers: [] },
    });
    expect(old.title).toBe("old song");
    // Through the real schema: a version 0 document migrated to format 1 parses as a project.
    const toOne = [{ from: 0, describe: "title renamed name", migrate: migrations[1]?.migrate as never }];
    const project = readProjectDocument(
      { ...old, format_version: 0, markers: undefined },
      { migrations: toOne },
    );
    expect(project.name).toBe("old song");
    expect(project.format_version).toBe(1);
    const failing = [
      {
        from: 0,
        describe: "title renamed name",
        migrate: () => {
          throw new Error("no title");
        },
      },
    ];
    expect(() => readProjectDocument({ ...old, format_version: 0 }, { migrations: failing })).toThrow(
      "E_SCHEMA at project.format_version: could not migrate from format 0 to 1 (title renamed name): Error: no title",
    );
  });
});

describe("unpackProject", () => {
  it("refuses a saved document whose audio entry has no sha256", async () => {
    const { project } = song();
    const files = new Map([["project.json", new TextEncoder().encode(JSON.stringify(project))]]);
    expect(await errorOf(() => unpackProject(async (path) => files.get(path)))).toBe(
      "E_SCHEMA at project.audio[0].sha256: is missing: a saved project names each audio file by its SHA-256",
    );
  });
});
