import { describe, expect, it } from "vitest";

import { ProgressReporter } from "../../src/cli/progress";

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) }, writes };
}

describe("ProgressReporter", () => {
  it("logs a line per 10 % step when stderr is not a terminal, with the realtime factor", () => {
    const { stream, writes } = recorder(false);
    let now = 0;
    const progress = new ProgressReporter({ stream, sessions: 2, now: () => now });
    now = 1000;
    progress.update(0, { framesRendered: 48_000, framesTotal: 96_000, sampleRate: 48_000 }); // 25 %
    progress.update(0, { framesRendered: 60_000, framesTotal: 96_000, sampleRate: 48_000 }); // 31 %: next step
    now = 2000;
    progress.finish(0, 2); // 50 %
    progress.message("webdreamer: failed: b.json: E_SCHEMA at version: is required");
    progress.finish(1);
    progress.close();
    expect(writes).toEqual([
      "webdreamer:  25% | 0/2 sessions | 1.0x realtime\n",
      "webdreamer:  31% | 0/2 sessions | 1.3x realtime\n",
      "webdreamer:  50% | 1/2 sessions | 1.0x realtime\n",
      "webdreamer: failed: b.json: E_SCHEMA at version: is required\n",
      "webdreamer: 100% | 2/2 sessions | 1.0x realtime\n",
    ]);
  });

  it("counts projects as projects", () => {
    const { stream, writes } = recorder(false);
    let now = 0;
    const progress = new ProgressReporter({ stream, sessions: 1, noun: "projects", now: () => now });
    now = 1000;
    progress.update(0, { framesRendered: 24_000, framesTotal: 48_000, sampleRate: 48_000 });
    progress.finish(0, 1);
    expect(writes).toEqual([
      "webdreamer:  50% | 0/1 projects | 0.5x realtime\n",
      "webdreamer: 100% | 1/1 projects | 1.0x realtime\n",
    ]);
  });

  it("rewrites one line on a terminal, at most 10 times a second, and ends it with a newline", () => {
    const { stream, writes } = recorder(true);
    let now = 0;
    const progress = new ProgressReporter({ stream, sessions: 1, now: () => now });
    now = 500;
    progress.update(0, { framesRendered: 100, framesTotal: 1000, sampleRate: 100 });
    now = 550;
    progress.update(0, { framesRendered: 200, framesTotal: 1000, sampleRate: 100 }); // too soon: skipped
    now = 1000;
    progress.update(0, { framesRendered: 500, framesTotal: 1000, sampleRate: 100 });
    progress.message("note");
    progress.finish(0, 10);
    progress.close();
    expect(writes).toEqual([
      "\r\x1b[2Kwebdreamer:  10% | 0/1 sessions | 2.0x realtime",
      "\r\x1b[2Kwebdreamer:  50% | 0/1 sessions | 5.0x realtime",
      "\r\x1b[2K",
      "note\n",
      "webdreamer:  50% | 0/1 sessions | 5.0x realtime",
      "\r\x1b[2Kwebdreamer: 100% | 1/1 sessions | 10.0x realtime",
      "\n",
    ]);
  });

  it("ends a log with 100% and N/N: a session rendered but not yet written is at 99%", () => {
    const { stream, writes } = recorder(false);
    let now = 0;
    const progress = new ProgressReporter({ stream, sessions: 8, now: () => now });
    for (let session = 0; session < 8; session++) {
      now += 250;
      // The render's last report comes before the session's files are written (and it finishes).
      progress.update(session, { framesRendered: 48_000, framesTotal: 48_000, sampleRate: 48_000 });
      progress.finish(session, 1);
    }
    progress.close();
    expect(writes.at(-1)).toBe("webdreamer: 100% | 8/8 sessions | 4.0x realtime\n");
    expect(writes.filter((line) => line.includes("100%"))).toHaveLength(1);
    // One line per 10 % passed; the session that completes the run is counted in the last one.
    expect(writes.map((line) => line.split(" | ").slice(0, 2).join(" | "))).toEqual([
      "webdreamer:  12% | 0/8 sessions",
      "webdreamer:  25% | 1/8 sessions",
      "webdreamer:  37% | 2/8 sessions",
      "webdreamer:  50% | 3/8 sessions",
      "webdreamer:  62% | 4/8 sessions",
      "webdreamer:  75% | 5/8 sessions",
      "webdreamer:  87% | 6/8 sessions",
      "webdreamer:  99% | 7/8 sessions",
      "webdreamer: 100% | 8/8 sessions",
    ]);
  });

  it("one session: its count is shown, 0/1 while it renders and 1/1 at the end", () => {
    const { stream, writes } = recorder(false);
    let now = 0;
    const progress = new ProgressReporter({ stream, sessions: 1, now: () => now });
    now = 1000;
    progress.update(0, { framesRendered: 96_000, framesTotal: 96_000, sampleRate: 48_000 });
    progress.finish(0, 2);
    expect(writes).toEqual([
      "webdreamer:  99% | 0/1 sessions | 2.0x realtime\n",
      "webdreamer: 100% | 1/1 sessions | 2.0x realtime\n",
    ]);
  });
});
