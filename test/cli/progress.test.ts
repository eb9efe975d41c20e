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
      "\r\x1b[2Kwebdreamer:  10% | 2.0x realtime",
      "\r\x1b[2Kwebdreamer:  50% | 5.0x realtime",
      "\r\x1b[2K",
      "note\n",
      "webdreamer:  50% | 5.0x realtime",
      "\r\x1b[2Kwebdreamer: 100% | 10.0x realtime",
      "\n",
    ]);
  });
});
