/**
 * deploy/ (docs/scale-out.md) without a container engine: the Kubernetes Indexed Job's container
 * arguments, read from deploy/render-indexed-job.yaml, run through the built CLI (what the render
 * image's ENTRYPOINT starts) with the index Kubernetes gives a pod: each renders exactly its shard. The
 * Dockerfile's entry point is the package's command. (No image is built: this machine has no Docker.)
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveSession } from "../../src/session/index";

const REPO = resolve(import.meta.dirname, "../..");
const MANIFEST = readFileSync(join(REPO, "deploy/render-indexed-job.yaml"), "utf8");
const DOCKERFILE = readFileSync(join(REPO, "deploy/Dockerfile"), "utf8");

/** The manifest's container `args:` list (one quoted string per line, as the file writes them). */
function containerArgs(yaml: string): string[] {
  const block = yaml.match(/^( +)args:\n((?:\1 {2}- .*\n)+)/m);
  if (!block) throw new Error("deploy/render-indexed-job.yaml has no args: list");
  return [...(block[2] as string).matchAll(/- "(.*)"/g)].map((match) => match[1] as string);
}

/** A top-level field of the Job's spec, e.g. `completions: 16`. */
function specNumber(yaml: string, field: string): number {
  const match = yaml.match(new RegExp(`^ {2}${field}: (\\d+)$`, "m"));
  if (!match) throw new Error(`deploy/render-indexed-job.yaml has no spec.${field}`);
  return Number(match[1]);
}

describe("deploy/: the render image's Indexed Job", () => {
  const args = containerArgs(MANIFEST);
  const completions = specNumber(MANIFEST, "completions");
  let data: string;
  /** More sessions than shards, so some shards take two. */
  const sessions = completions + 4;

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), "webdreamer-deploy-"));
    await mkdir(join(data, "sessions"));
    for (let i = 0; i < sessions; i++) {
      const nodes = [{ name: "osc", node_id: "builtin:oscillator", params: { frequency: 100 + 10 * i } }];
      await saveSession(join(data, "sessions", `s${String(i).padStart(2, "0")}.json`), {
        request: {
          version: "v1alpha",
          request_id: "deploy",
          sample_rate: 8000,
          channels: 1,
          node_graph: { version: "v1alpha", nodes, output: "osc" },
          duration_seconds: 0.05,
        },
        buffers: new Map(),
      });
    }
  });

  afterAll(async () => {
    if (data) await rm(data, { recursive: true, force: true });
  });

  it("the image runs the package's command, and the Job gives one shard per completion index", () => {
    expect(DOCKERFILE).toMatch(/^ENTRYPOINT \["webdreamer"\]$/m);
    expect(JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).bin).toEqual({
      webdreamer: "bin/webdreamer.mjs",
    });
    expect(MANIFEST).toMatch(/^ {2}completionMode: Indexed$/m);
    expect(args.slice(0, 5)).toEqual(["render", "/data/sessions", "-o", "/data/renders", "--shards"]);
    expect(Number(args[5])).toBe(completions);
  });

  it("a pod's arguments with its JOB_COMPLETION_INDEX render exactly its shard (the first, the fourth, the last); an index past the count is refused", async () => {
    // The pod's volume is mounted at /data; here it is a temporary folder.
    const podArgs = args.map((arg) => arg.replace(/^\/data\//, `${data}/`));
    const rendered: string[] = [];
    for (const index of [0, 3, completions - 1]) {
      const pod = spawnSync(process.execPath, [join(REPO, "bin/webdreamer.mjs"), ...podArgs, "-q"], {
        encoding: "utf8",
        timeout: 120_000,
        env: { ...process.env, JOB_COMPLETION_INDEX: String(index), WEBDREAMER_SHARDS: undefined },
      });
      expect(pod.stderr, `index ${index}`).toBe("");
      expect(pod.status, `index ${index}`).toBe(0);
      const now = (await readdir(join(data, "renders"))).filter((name) => name.endsWith(".wav"));
      const mine = now.filter((name) => !rendered.includes(name)).sort();
      // Shard i takes the sessions whose index in the sorted list is i modulo the shard count.
      const expected = Array.from({ length: sessions }, (_, i) => i)
        .filter((i) => i % completions === index)
        .map((i) => `s${String(i).padStart(2, "0")}.wav`);
      expect(mine, `index ${index}`).toEqual(expected);
      rendered.push(...mine);
    }
    // An index the Job never gives (completions is the count) is refused, naming the variable.
    const outside = spawnSync(process.execPath, [join(REPO, "bin/webdreamer.mjs"), ...podArgs], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, JOB_COMPLETION_INDEX: String(completions) },
    });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain(`$JOB_COMPLETION_INDEX is "${completions}"`);
  }, 400_000);
});
