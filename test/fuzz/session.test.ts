/**
 * Fuzzing the session loader (src/session): readSession on arbitrary and mutated session files, and
 * on session folders whose WAVs are valid, damaged, garbage, missing or not files at all.
 *
 * Properties: a session is read, or refused with a well-formed EngineError (E_SCHEMA naming the field
 * of the session file, or a graph rule's code under `request`); a folder is read exactly when every WAV
 * it names decodes, and a refusal names the buffer whose WAV is bad, with the WAV's own problem.
 *
 * Mutations reach buffer paths too: a path that leaves the session's folder (absolute, or through
 * "..") must be refused, never read.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect } from "vitest";

import { decodeWav, encodeWav, WAV_SAMPLE_FORMATS } from "../../src/audio-io/wav";
import type { EngineError, ErrorCode } from "../../src/contracts/errors";
import { EXAMPLE_RENDER_REQUEST } from "../../src/contracts/examples";
import { readSession, type SessionOnDisk } from "../../src/session/index";
import type { SessionFileInput } from "../../src/session/session-file";
import { applyEdits, type Bytes, byteEdit, bytesOf } from "./support/byte-mutations";
import { fuzz } from "./support/harness";
import { mutatedJson, mutatedText } from "./support/json-mutations";
import { expectEngineError } from "./support/outcomes";

const SESSION_CODES: ErrorCode[] = [
  "E_SCHEMA",
  "E_UNKNOWN_NODE",
  "E_DUPLICATE_NODE",
  "E_GRAPH_CYCLE",
  "E_LIMIT",
];
/** Disk work per case: the long run gives these properties FUZZ_RUNS / COST cases. */
const COST = 5;
/** Reading a folder touches the disk a few times; the loaded machine gets a wider budget. */
const BUDGET_MS = 5_000;

let root: string;
let caseNumber = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "webdreamer-fuzz-session-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh folder for one case, removed when the case ends. */
async function inCaseFolder<T>(run: (folder: string) => Promise<T>): Promise<T> {
  const folder = join(root, `case-${caseNumber++}`);
  await mkdir(folder, { recursive: true });
  try {
    return await run(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const GOOD_WAV = encodeWav(
  { sampleRate: 48_000, channels: [Float32Array.of(0.25, -0.5, 1)] },
  { format: "pcm16" },
);

/** The documented request as a session, its two buffers in take.audio/ beside it. */
const SESSION: SessionFileInput = {
  version: "v1alpha",
  sample_rate: 48_000,
  block_size: 128,
  request: EXAMPLE_RENDER_REQUEST,
  buffers: { "buf:7": { path: "take.audio/drums.wav" }, "buf:8": { path: "take.audio/bass.wav" } },
};

async function writeSessionFolder(folder: string, sessionText: string): Promise<string> {
  await mkdir(join(folder, "take.audio"));
  await writeFile(join(folder, "take.audio", "drums.wav"), GOOD_WAV);
  await writeFile(join(folder, "take.audio", "bass.wav"), GOOD_WAV);
  const path = join(folder, "take.json");
  await writeFile(path, sessionText);
  return path;
}

/** readSession's session, or its error once checked to be a well-formed domain error. */
async function readsOrRejects(path: string): Promise<{ session?: SessionOnDisk; error?: EngineError }> {
  try {
    return { session: await readSession(path) };
  } catch (error) {
    expectEngineError(error, SESSION_CODES);
    return { error };
  }
}

/** True when every buffer path of a session-like value stays in the session's folder. */
function pathsStayInside(value: unknown): boolean {
  if (typeof value !== "object" || value === null || !("buffers" in value)) return true;
  const { buffers } = value;
  if (typeof buffers !== "object" || buffers === null) return true;
  return Object.values(buffers).every((buffer: unknown) => {
    if (typeof buffer !== "object" || buffer === null || !("path" in buffer)) return true;
    const { path } = buffer;
    return typeof path !== "string" || (!isAbsolute(path) && !path.split(/[\\/]/).includes(".."));
  });
}

const SESSION_TEXT = JSON.stringify(SESSION);

fuzz(
  "readSession on arbitrary and mutated session text",
  fc.oneof(
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.json({ maxDepth: 3 }),
    mutatedText(SESSION_TEXT),
  ),
  (text) =>
    inCaseFolder(async (folder) => {
      await readsOrRejects(await writeSessionFolder(folder, text));
    }),
  { quickRuns: 15, cost: COST, budgetMs: BUDGET_MS, examples: [SESSION_TEXT] },
);

fuzz(
  "readSession on mutated session files",
  mutatedJson(SESSION),
  (value) =>
    inCaseFolder(async (folder) => {
      const { session } = await readsOrRejects(
        await writeSessionFolder(folder, JSON.stringify(value) ?? "null"),
      );
      if (!pathsStayInside(value)) expect(session, "a path outside the folder was read").toBeUndefined();
      if (session === undefined) return;
      // What was read is what the file said, and each buffer's audio is its WAV.
      expect(session.audio.size).toBe(Object.keys(session.file.buffers).length);
    }),
  { quickRuns: 20, cost: COST, budgetMs: BUDGET_MS, examples: [SESSION] },
);

type WavOnDisk =
  | { kind: "valid"; bytes: Bytes }
  | { kind: "damaged"; bytes: Bytes }
  | { kind: "garbage"; bytes: Bytes }
  | { kind: "missing" }
  | { kind: "directory" };

const validWav = fc
  .tuple(
    fc.integer({ min: 1, max: 4 }),
    fc.nat({ max: 16 }),
    fc.constantFrom(...WAV_SAMPLE_FORMATS),
    fc.float({ min: -1, max: 1, noNaN: true }),
  )
  .map(([channels, frames, format, value]) =>
    bytesOf(
      encodeWav(
        {
          sampleRate: 48_000,
          channels: Array.from({ length: channels }, () => new Float32Array(frames).fill(value)),
        },
        { format },
      ),
    ),
  );

const wavOnDisk: fc.Arbitrary<WavOnDisk> = fc.oneof(
  { weight: 4, arbitrary: validWav.map((bytes) => ({ kind: "valid" as const, bytes })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(validWav, fc.array(byteEdit(60), { minLength: 1, maxLength: 3 }))
      .map(([bytes, edits]) => ({ kind: "damaged" as const, bytes: applyEdits(bytes, edits) })),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: "garbage" as const, bytes })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "missing" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "directory" as const }) },
);

/** A session whose graph plays one buffer per playback node, each a WAV in `stems/`. */
function sessionPlaying(count: number): SessionFileInput {
  const names = Array.from({ length: count }, (_, index) => `p${index}`);
  return {
    version: "v1alpha",
    sample_rate: 48_000,
    block_size: 128,
    request: {
      version: "v1alpha",
      request_id: "fuzz",
      sample_rate: 48_000,
      channels: 1,
      duration_seconds: 0.01,
      node_graph: {
        version: "v1alpha",
        nodes: [
          ...names.map((name, index) => ({
            name,
            node_id: "builtin:playback",
            buffers: { data: `buf:${index}` },
          })),
          { name: "mix", node_id: "builtin:mixer", inputs: names },
        ],
        output: "mix",
      },
    },
    buffers: Object.fromEntries(names.map((_, index) => [`buf:${index}`, { path: `stems/${index}.wav` }])),
  };
}

fuzz(
  "readSession on folders of valid, damaged, garbage, missing and non-file WAVs",
  fc.array(wavOnDisk, { minLength: 1, maxLength: 4 }),
  (wavs) =>
    inCaseFolder(async (folder) => {
      await mkdir(join(folder, "stems"));
      await Promise.all(
        wavs.map((wav, index) => {
          const path = join(folder, "stems", `${index}.wav`);
          if (wav.kind === "missing") return undefined;
          if (wav.kind === "directory") return mkdir(path);
          return writeFile(path, wav.bytes);
        }),
      );
      const path = join(folder, "take.json");
      await writeFile(path, JSON.stringify(sessionPlaying(wavs.length)));
      // The oracle: each WAV on its own, through decodeWav, or unreadable.
      const expected = await Promise.all(
        wavs.map(async (_, index) => {
          try {
            return decodeWav(await readFile(join(folder, "stems", `${index}.wav`)));
          } catch {
            return undefined;
          }
        }),
      );
      const { session, error } = await readsOrRejects(path);
      const bad = expected.flatMap((audio, index) =>
        audio === undefined ? [`buffers["buf:${index}"].path`] : [],
      );
      if (session === undefined) {
        // The WAVs are read at once: the error names one of the bad ones, whichever failed first.
        expect(bad).toContain(error?.path);
        return;
      }
      expect(bad).toEqual([]);
      expected.forEach((audio, index) => {
        expect(session.audio.get(`buf:${index}`)).toEqual(audio);
      });
    }),
  { quickRuns: 15, cost: COST, budgetMs: BUDGET_MS },
);
