/**
 * The render farm (docs/scale-out.md): the built CLI's `enqueue` and `worker` processes on a
 * redis-server of the test's own. 40 sessions through two workers render each exactly once, to the
 * bytes of a local `webdreamer render`; a worker killed mid-job loses nothing; a failing job is
 * retried with its backoff and fails with a clear error.
 */

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStatus } from "../../src/cli/status-command";
import type { GraphNodeInput } from "../../src/contracts/index";
import { saveSession } from "../../src/session/index";
import { sameBytes } from "../support/bytes";
import { type RedisServer, startRedisServer } from "../support/redis-server";

const REPO = resolve(import.meta.dirname, "../..");
const CLI = join(REPO, "bin/webdreamer.mjs");
const RATE = 8000;

/** A session of a saw at `frequency` through a filter, `seconds` long. */
async function oscillatorSession(
  path: string,
  frequency: number,
  seconds: number,
  extra: GraphNodeInput[] = [],
) {
  const nodes: GraphNodeInput[] = [
    { name: "osc", node_id: "builtin:oscillator", params: { frequency, waveform: "saw" } },
    {
      name: "filter",
      node_id: "builtin:filter",
      inputs: ["osc"],
      params: { mode: "lowpass", frequency: 1200 },
    },
    ...extra,
  ];
  await mkdir(dirname(path), { recursive: true });
  await saveSession(path, {
    request: {
      version: "v1alpha",
      request_id: "farm-test",
      sample_rate: RATE,
      channels: 2,
      node_graph: { version: "v1alpha", nodes, output: nodes.at(-1)?.name ?? "filter" },
      duration_seconds: seconds,
    },
    buffers: new Map(),
  });
}

function webdreamer(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A `webdreamer worker` process; `log` gathers its stderr. */
interface WorkerProcess {
  child: ChildProcess;
  log: () => string;
  /** Resolves once its stderr holds `text`. */
  until: (text: string) => Promise<void>;
}

function startWorker(redis: string, queue: string, ...flags: string[]): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CLI, "worker", "--redis", redis, "--queue", queue, ...flags], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stderr?.on("data", (data: Buffer) => {
    log += data;
    for (const waiter of waiters.filter((w) => log.includes(w.text))) waiter.resolve();
  });
  const until = (text: string) =>
    log.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text, resolve }));
  return until("ready").then(() => ({ child, log: () => log, until }));
}

async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.child.once("exit", resolve));
  worker.child.kill("SIGTERM");
  await exited;
}

const count = (text: string, word: string) => text.split(word).length - 1;

/** What runStatus (the CLI's `status`) prints for one queue, run in this process. */
async function statusInProcess(redis: string, queue: string): Promise<string> {
  let stdout = "";
  const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: process.stderr };
  expect(await runStatus(["--redis", redis, "--queue", queue], io)).toBe(0);
  return stdout;
}

/** `webdreamer status` of one queue: its stdout, after checking it exited 0. */
function status(redis: string, queue: string): string {
  const run = webdreamer("status", "--redis", redis, "--queue", queue);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return run.stdout;
}

describe("the render farm (BullMQ on redis-server, the built CLI)", () => {
  let redis: RedisServer;
  let dir: string;
  const workers: WorkerProcess[] = [];
  /** `webdreamer enqueue <sessions> -o <out>` on this test's redis-server and `queue`. */
  const enqueue = (queue: string, sessions: string, out: string, ...flags: string[]) =>
    webdreamer("enqueue", sessions, "-o", out, "--redis", redis.url, "--queue", queue, ...flags);

  beforeAll(async () => {
    redis = await startRedisServer();
    dir = await mkdtemp(join(tmpdir(), "webdreamer-farm-"));
  });

  afterAll(async () => {
    await Promise.all(workers.map(stopWorker));
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("renders 40 sessions through 2 workers, each exactly once, to the bytes of a local render; again: nothing new", async () => {
    const sessions = join(dir, "forty");
    for (let i = 0; i < 40; i++)
      await oscillatorSession(join(sessions, `take-${String(i).padStart(2, "0")}.json`), 110 + 7 * i, 0.25);
    const local = webdreamer("render", sessions, "-o", join(dir, "forty-local"), "--jobs", "2", "-q");
    expect(local.stderr).toBe("");
    const pair = await Promise.all([startWorker(redis.url, "forty"), startWorker(redis.url, "forty")]);
    workers.push(...pair);

    const out = join(dir, "forty-farm");
    const run = enqueue("forty", sessions, out, "--wait");
    expect(run.stderr).toContain("40 sessions on queue forty");
    expect(run.stderr).toContain("100% | 40/40 sessions");
    expect(run.stderr).toContain("40 of 40 sessions rendered");
    expect(run.status).toBe(0);

    const names = (await readdir(out)).filter((name) => name.endsWith(".wav")).sort();
    expect(names).toHaveLength(40);
    for (const name of names) {
      expect(
        sameBytes(await readFile(join(out, name)), await readFile(join(dir, "forty-local", name))),
        name,
      ).toBe("same");
    }
    expect((await readdir(out)).filter((name) => name.endsWith(".partial"))).toEqual([]);
    // Each session rendered once, by one worker or the other, and both took part.
    const logs = pair.map((worker) => worker.log());
    expect(logs.reduce((sum, log) => sum + count(log, "rendered: "), 0)).toBe(40);
    for (let i = 0; i < 40; i++) {
      const file = `take-${String(i).padStart(2, "0")}.json`;
      expect(
        logs.reduce((sum, log) => sum + count(log, `${file} ->`), 0),
        file,
      ).toBe(1);
    }
    expect(logs.every((log) => count(log, "rendered: ") > 0)).toBe(true);

    // The same batch again: the jobs are there, done; nothing is rendered or written.
    const before = (await stat(join(out, names[0] as string))).mtimeMs;
    const again = enqueue("forty", sessions, out, "--wait");
    expect(again.status).toBe(0);
    expect(again.stderr).toContain("40 of 40 sessions rendered");
    expect(pair.map((worker) => count(worker.log(), "rendered: ")).reduce((a, b) => a + b)).toBe(40);
    expect((await stat(join(out, names[0] as string))).mtimeMs).toBe(before);
  }, 90_000);

  it("a job whose worker is killed (SIGKILL) mid-render completes in another worker, once", async () => {
    const sessions = join(dir, "long");
    // Long enough to be caught midway (it is killed as it starts, before its engine is even made): a
    // reverb over 40 s at 8 kHz.
    await oscillatorSession(join(sessions, "long.json"), 220, 40, [
      { name: "room", node_id: "builtin:reverb", inputs: ["filter"] },
    ]);
    const local = webdreamer("render", join(sessions, "long.json"), "-o", join(dir, "long-local.wav"), "-q");
    expect(local.status).toBe(0);
    // The doomed worker's lock lapses 1 s after its death; the survivor looks every 0.5 s, and holds
    // its own lock long enough for a busy machine. The doomed worker's interval is short too: BullMQ
    // runs one stalled check per interval across all workers of a queue, so a worker started with the
    // default 30 s would keep the survivor from looking for up to 30 s.
    const doomed = await startWorker(
      redis.url,
      "kill",
      "--lock-duration",
      "1000",
      "--stalled-interval",
      "500",
    );
    workers.push(doomed);
    const out = join(dir, "long-farm");
    const queued = enqueue("kill", sessions, out);
    expect(queued.status).toBe(0);
    await doomed.until("started: ");
    doomed.child.kill("SIGKILL");
    await new Promise((resolve) => doomed.child.once("exit", resolve));
    expect(doomed.log()).not.toContain("rendered: ");

    const survivor = await startWorker(
      redis.url,
      "kill",
      "--lock-duration",
      "20000",
      "--stalled-interval",
      "500",
    );
    workers.push(survivor);
    const wait = enqueue("kill", sessions, out, "--wait");
    expect(wait.stderr).toContain("1 of 1 sessions rendered");
    expect(wait.status).toBe(0);
    // --wait returns on the completed event, maybe before the worker's own line reaches us.
    await survivor.until("rendered: ");
    expect(count(survivor.log(), "rendered: ")).toBe(1);
    expect(
      sameBytes(await readFile(join(out, "long.wav")), await readFile(join(dir, "long-local.wav"))),
    ).toBe("same");
    expect((await readdir(out)).sort()).toEqual([".webdreamer", "long.wav"]);
  }, 90_000);

  it("`status` shows a running job's progress rising, then the job done", async () => {
    // A queue of this try's own: a retry in the same Redis found the first try's job completed.
    const name = `watched-${randomUUID().slice(0, 8)}`;
    const sessions = join(dir, name);
    // Long enough for a dozen progress updates (4 a second): 32 reverbs in a chain over 4 minutes at
    // 8 kHz, about 3.5 s of rendering on a quiet machine (one reverb renders 2 minutes in 0.13 s).
    const reverbs = Array.from({ length: 32 }, (_, i) => ({
      name: `room${i}`,
      node_id: "builtin:reverb",
      inputs: [i === 0 ? "filter" : `room${i - 1}`],
    }));
    await oscillatorSession(join(sessions, "watched.json"), 330, 240, reverbs);
    expect(status(redis.url, name)).toBe(
      `queue ${name}: 0 waiting, 0 delayed, 0 active, 0 completed, 0 failed\n`,
    );
    const out = join(dir, `${name}-out`);
    expect(enqueue(name, sessions, out).status).toBe(0);
    expect(status(redis.url, name)).toContain(`queue ${name}: 1 waiting, 0 delayed, 0 active`);
    const worker = await startWorker(redis.url, name);
    workers.push(worker);
    await worker.until("started: ");
    // The percents `status` prints while the job runs, until it is done. Polled in this process
    // (runStatus is what the CLI runs), since starting the CLI would take longer than a poll.
    const percents: number[] = [];
    let last = "";
    for (let polls = 0; polls < 3000; polls++) {
      last = await statusInProcess(redis.url, name);
      const active = last.match(/^active +(\d+)% +(\S+)$/m);
      // Done when the counts say so: between the counts and the list of active jobs the job can
      // finish, and a status then counted it active with no line of its own.
      if (!active && last.includes(", 0 active, 1 completed,")) break;
      if (active) {
        expect(active[2]).toBe(join(sessions, "watched.json"));
        percents.push(Number(active[1]));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status(redis.url, name)).toBe(last);
    expect(last).toBe(`queue ${name}: 0 waiting, 0 delayed, 0 active, 1 completed, 0 failed\n`);
    // It rose through several values strictly between 0 and 100, never going back.
    const seen = [...new Set(percents)].filter((percent) => percent > 0 && percent < 100);
    expect(seen.length, `percents seen: ${percents.join(" ")}`).toBeGreaterThanOrEqual(3);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    await worker.until("rendered: ");
    expect((await readdir(out)).sort()).toEqual([".webdreamer", "watched.wav"]);
  }, 90_000);

  it("retries a failing job with exponential backoff, then fails it with the render's error", async () => {
    const sessions = join(dir, "bad");
    await oscillatorSession(join(sessions, "bad.json"), 220, 0.1);
    // A session file that is no session: the render fails the same way on every attempt.
    await writeFile(join(sessions, "bad.json"), '{"version": "v1alpha"}');
    workers.push(await startWorker(redis.url, "retry"));
    const run = enqueue(
      "retry",
      sessions,
      join(dir, "bad-out"),
      "--attempts",
      "3",
      "--backoff",
      "200",
      "--wait",
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/webdreamer: failed: .*bad\.json: E_SCHEMA/);
    expect(run.stderr).toContain("0 of 1 sessions rendered, 1 failed after 3 attempts");
    // `status` names the failed job, its attempts and the render's error.
    expect(status(redis.url, "retry")).toMatch(
      /queue retry: 0 waiting, 0 delayed, 0 active, 0 completed, 1 failed\nfailed {2}\S*bad\.json \(3 attempts\): .*E_SCHEMA/,
    );
    const queue = new Queue("retry", { connection: { url: redis.url } });
    try {
      const [job] = await queue.getFailed();
      expect(job?.attemptsMade).toBe(3);
      // Two retries, after 200 ms and 400 ms.
      expect((job?.finishedOn ?? 0) - (job?.timestamp ?? 0)).toBeGreaterThanOrEqual(600);
    } finally {
      await queue.close();
    }
  }, 60_000);
});
