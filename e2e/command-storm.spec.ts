/**
 * Command storms on the real-time host in Chromium (docs/reliability.md, "Real-time commands"):
 * every call resolves or is refused with a code, applied + refused = sent, nothing taken is dropped
 * (the dropped counter stays 0), the values that must land land (what the node plays, captures
 * frame by frame), the audio keeps playing, and the engine is usable afterwards.
 *
 * WEBDREAMER_STORM_CALLS sets the size of the per-call floods (default 20 000; the figures in
 * docs/reliability.md were measured with 100 000).
 */
import { expect, type Page, test } from "@playwright/test";

import { NOT_ISOLATED_PORT } from "../playwright.config";
import type { StormApi } from "./pages/command-storm";

const CALLS = Number(process.env.WEBDREAMER_STORM_CALLS ?? 20_000);

/**
 * The transport commands a live render applies besides the caller's (live-render-session.ts):
 * hold (pause, monitoring off, loop off), arm (seek, play), the last quantum (pause), release
 * (seek, loop, monitoring and play or pause back as held).
 */
const LIVE_RENDER_OWN_COMMANDS = 10;

type Storm = {
  [K in keyof StormApi]: (...args: Parameters<StormApi[K]>) => Promise<Awaited<ReturnType<StormApi[K]>>>;
};

async function openStorm(page: Page, origin = ""): Promise<Storm> {
  await page.goto(`${origin}/e2e/pages/command-storm.html`);
  await page.waitForFunction(() => "storm" in window);
  const storm = new Proxy({} as Storm, {
    // Not a thenable: this proxy is returned from an async function.
    get: (_target, name: string) =>
      name === "then"
        ? undefined
        : (...args: unknown[]) =>
            page.evaluate(
              ([n, a]) =>
                (window as unknown as { storm: Record<string, (...x: unknown[]) => unknown> }).storm[
                  n as string
                ]?.(...(a as unknown[])),
              [name, args] as const,
            ),
  });
  await storm.start();
  return storm;
}

/** The audio thread counted quanta before, halfway through and after the storm: it kept playing. */
function expectAudioKeptPlaying(quanta: number[]): void {
  expect(quanta).toHaveLength(3);
  expect(quanta[1] as number).toBeGreaterThan(quanta[0] as number);
  expect(quanta[2] as number).toBeGreaterThan(quanta[1] as number);
}

test.describe("command storms on the real-time host", () => {
  test.setTimeout(240_000);

  test("a now-flood of parameter calls: every one taken and applied, the last value plays", async ({
    page,
  }) => {
    const storm = await openStorm(page);
    const r = await storm.nowFlood(CALLS);
    console.log(`now-flood: ${r.sent} calls settled in ${r.elapsedMs.toFixed(0)} ms`, r.refused, r.delta);
    expect(r.resolved + Object.values(r.refused).reduce((a, b) => a + b, 0)).toBe(r.sent);
    expect(r.resolved).toBe(r.sent); // the context runs: the ring drains every quantum, nothing waits long
    expect(r.delta).toMatchObject({ applied: r.resolved, late: 0, bad: 0, dropped: 0, ringOverflows: 0 });
    expect(r.delta.underruns).toBe(0);
    expect(r.playing).toBe(r.expected); // the node plays the last call's gain (constant 1 × gain)
    expect(r.running).toBe(true);
    expectAudioKeptPlaying(r.quanta);
    expect(r.usable).toMatchObject({ status: "ok" });
    expect(r.usable.peak).toBeGreaterThan(0.49);
  });

  test("a future-timed flood of parameter calls: every value lands on its frame in a capture", async ({
    page,
  }) => {
    const storm = await openStorm(page);
    // Four frames apart: the audio thread's queue (4096) then holds ~0.37 s of them ahead of the
    // playhead, so a loaded machine's stall of the Worker does not make them late.
    const r = await storm.futureFlood(CALLS, 4);
    console.log(`future-flood: ${r.sent} calls settled in ${r.elapsedMs.toFixed(0)} ms`, r.refused, r.delta);
    expect(r.resolved).toBe(r.sent);
    expect(r.captureStatus).toBe("ok");
    expect({ wrong: r.wrong, firstWrong: r.firstWrong }).toEqual({ wrong: 0, firstWrong: -1 });
    expect(r.delta).toMatchObject({
      applied: r.resolved + LIVE_RENDER_OWN_COMMANDS,
      late: 0,
      bad: 0,
      dropped: 0,
      ringOverflows: 0,
    });
    expect(r.usable).toMatchObject({ status: "ok" });
  });

  test("without cross-origin isolation the Worker reads the audio thread's progress by message: the same flood lands", async ({
    page,
  }) => {
    const storm = await openStorm(page, `http://127.0.0.1:${NOT_ISOLATED_PORT}`);
    const r = await storm.futureFlood(CALLS / 4, 4);
    expect(r.resolved).toBe(r.sent);
    expect({ wrong: r.wrong, firstWrong: r.firstWrong }).toEqual({ wrong: 0, firstWrong: -1 });
    expect(r.delta).toMatchObject({
      applied: r.resolved + LIVE_RENDER_OWN_COMMANDS,
      late: 0,
      bad: 0,
      dropped: 0,
      ringOverflows: 0,
    });
  });

  test("a MIDI flood: every note-on and note-off lands on its frame, as the offline render plays them", async ({
    page,
  }) => {
    const storm = await openStorm(page);
    const notes = CALLS / 2;
    const r = await storm.midiFlood(notes, 100, 8);
    console.log(
      `midi-flood: ${r.commands} commands in ${r.sent} calls, ${r.elapsedMs.toFixed(0)} ms`,
      r.delta,
    );
    expect(r.resolved).toBe(r.sent);
    expect(r.captureStatus).toBe("ok");
    expect({ wrong: r.wrong, firstWrong: r.firstWrong }).toEqual({ wrong: 0, firstWrong: -1 });
    expect(r.sounding).toBe(notes); // one sounding frame per one-frame note
    expect(r.delta).toMatchObject({
      applied: r.commands + LIVE_RENDER_OWN_COMMANDS,
      late: 0,
      bad: 0,
      dropped: 0,
      ringOverflows: 0,
    });
    expect(r.usable).toMatchObject({ status: "ok" });
  });

  test("a transport flood (seek, loop, tempo): every call applied, the last loop and tempo in force", async ({
    page,
  }) => {
    const storm = await openStorm(page);
    const r = await storm.transportFlood(1500);
    expect(r.resolved).toBe(r.sent);
    expect(r.delta).toMatchObject({ applied: r.resolved, bad: 0, dropped: 0, ringOverflows: 0 });
    expect({ tempo: r.tempo, loopEnd: r.loopEnd, running: r.running }).toEqual({
      tempo: r.expectedTempo,
      loopEnd: r.expectedLoopEnd,
      running: true,
    });
    expectAudioKeptPlaying(r.quanta);
    expect(r.usable).toMatchObject({ status: "ok" });
  });

  test("a now-flood into a suspended context: what fits the ring is taken, the rest refused with E_BACKPRESSURE", async ({
    page,
  }) => {
    const storm = await openStorm(page);
    const r = await storm.suspendedFlood(5000);
    // The 64 KiB ring holds 2730 set_parameter records (24 bytes); the rest wait 1 s, then are refused.
    expect(r.resolved).toBe(Math.floor(65536 / 24));
    expect(r.refused).toEqual({ E_BACKPRESSURE: r.sent - r.resolved });
    expect(r.delta).toMatchObject({ applied: r.resolved, bad: 0, dropped: 0, ringOverflows: 0 });
    expect(r.playing).toBe(r.expected); // the last call taken, not a refused one, is what plays
    expect(r.usable).toMatchObject({ status: "ok" });
  });

  test("timed MIDI beyond the Worker's backlog: a call is refused whole, and a load's discards are counted", async ({
    page,
  }) => {
    const storm = await openStorm(page);
    const r = await storm.backlogFlood(3);
    // Two calls of 131 072 commands fill the 262 144-command backlog; the third is refused whole.
    expect({ resolved: r.resolved, refused: r.refused }).toEqual({
      resolved: 2,
      refused: { E_BACKPRESSURE: 1 },
    });
    // Nothing of them played; the graph load dropped every one taken, and the counter says so.
    expect(r.delta).toMatchObject({ applied: 0, dropped: 2 * 131_072, ringOverflows: 0 });
    expect(r.usable).toMatchObject({ status: "ok" });
  });
});
