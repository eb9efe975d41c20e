import { expect, type Page, test } from "@playwright/test";
import type { WamHostingApi } from "./pages/wam-hosting";

type Api = {
  [K in keyof WamHostingApi]: (
    ...args: Parameters<WamHostingApi[K]>
  ) => Promise<Awaited<ReturnType<WamHostingApi[K]>>>;
};

function wamApi(page: Page): Api {
  return new Proxy({} as Api, {
    get: (_target, name: string) =>
      // Not a thenable: an async function may return the proxy.
      name === "then"
        ? undefined
        : (...args: unknown[]) =>
            page.evaluate(
              ([n, a]) =>
                (window as unknown as { wam: Record<string, (...x: unknown[]) => unknown> }).wam[
                  n as string
                ]?.(...(a as unknown[])),
              [name, args] as const,
            ),
  });
}

async function open(page: Page): Promise<Api> {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));

  await page.goto("/e2e/pages/wam-hosting.html");
  await page.waitForFunction(() => "wam" in window);
  const api = wamApi(page);
  await api.start();
  return api;
}

/** The MIDI fixtureEventFrames records (record_midi): the fixture's notes; the constant has none. */
const FIXTURE_MIDI = {
  fx: [
    { frame: 3001, status: 0x90, data1: 60, data2: 127 },
    { frame: 4100, status: 0x90, data1: 64, data2: 127 },
    { frame: 5001, status: 0x80, data1: 60, data2: 0 },
    { frame: 7100, status: 0x80, data1: 64, data2: 0 },
  ],
  one: [],
};

/** Where the instrument tests put notes (frames at 48 kHz). */
const NOTES = [4800, 19200, 33600];
/** Live, a plugin that starts voices on the main thread hears a note when the main thread gets to it. */
const LIVE_MAIN_THREAD_LIMIT = 4800;

test.describe("WAM hosting, offline (OfflineAudioContext)", () => {
  test.setTimeout(120_000);

  test("the fixture WAM between builtin nodes adds no latency: the same samples as a builtin gain in its place", async ({
    page,
  }) => {
    const api = await open(page);
    const run = await api.fixtureBetweenBuiltins(0);
    expect(run.status).toBe("ok");
    expect(run.frames).toBe(24000);
    expect(run.referencePeak).toBeGreaterThan(0.1);
    expect(run.maxDiffLeft).toBe(0);
    expect(run.maxDiffRight).toBe(0);
  });

  test("a plugin's compensation delay is trimmed: 300 frames of latency render the same samples", async ({
    page,
  }) => {
    const api = await open(page);
    const run = await api.fixtureBetweenBuiltins(300);
    expect((run.extensions as { wam: { latency_frames: number } }).wam.latency_frames).toBe(300);
    expect(run.maxDiffLeft).toBe(0);
  });

  test("stems of a WAM graph keep every channel: 2-, 4- and 1-channel nodes before and after the WAM equal the graph with a builtin gain in its place, offline and live", async ({
    page,
  }) => {
    const api = await open(page);
    await api.resume();
    const run = await api.wamCaptures();
    expect(run.status, JSON.stringify(run.error)).toBe("ok");
    expect(run.latency).toBe(300);
    const names = ["filter", "fx", "mix", "mono", "osc", "wide"];
    expect(run.captureNames).toEqual(names);
    // Every channel of the output and of every stem, each trimmed by its own path's latency (0 before
    // the fixture, 300 after it), equals the engine's render of the builtin twin: exact.
    for (const [name, row] of [["output", run.output], ...Object.entries(run.rows)] as const) {
      expect(row.channels, name).toBe(4);
      expect(row.frames, name).toBe(12000);
      expect(row.maxDiff, name).toEqual([0, 0, 0, 0]);
    }
    // What each channel carries, as the engine maps it: the stereo nodes (osc, the fixture) fill
    // channels 0 and 1 only; the mono oscillator fills all four; the mixer after the WAM, the filter
    // and the output carry the 4-channel oscillator on channels 2 and 3, not silence.
    const loud = (peaks: number[]) => peaks.map((peak) => peak > 0.1);
    expect(loud(run.rows.osc?.peaks ?? []), "osc").toEqual([true, true, false, false]);
    expect(loud(run.rows.fx?.peaks ?? []), "fx").toEqual([true, true, false, false]);
    for (const name of ["wide", "mono", "mix", "filter"])
      expect(loud(run.rows[name]?.peaks ?? []), name).toEqual([true, true, true, true]);
    expect(loud(run.output.peaks)).toEqual([true, true, true, true]);
    expect(run.mixChannel2VsChannel0).toBeGreaterThan(0.1);
    // Live (offline: false): the same output and stems, every channel, sample for sample.
    expect(run.live.status, JSON.stringify(run.live.error)).toBe("ok");
    expect(run.live.frames).toBe(12000);
    expect(run.live.captureNames).toEqual(names);
    for (const [name, row] of [["output", run.live.output], ...Object.entries(run.live.rows)] as const) {
      expect(row.channels, name).toBe(4);
      expect(row.frames, name).toBe(12000);
      expect(row.maxDiff, name).toEqual([0, 0, 0, 0]);
    }
    // Live, the output (2 channels) and three 8-channel stems fill the primary's 32-channel input.
    expect(run.overfull).toEqual({
      status: "refused",
      code: "E_SCHEMA",
      path: "options.capture",
      detail:
        'a real-time render of a graph with WAM nodes receives its output and stems, each with its own channels, on one engine input of at most 32 channels (the output 2, "a" 8, "b" 8, "c" 8, "d" 8): "d" cannot be recorded (render them in another request)',
    });
  });

  test("a 300-frame WAM path and the inverted dry path null where they meet, offline and live", async ({
    page,
  }) => {
    const api = await open(page);
    await api.resume();
    for (const offline of [true, false]) {
      const run = await api.wamNull(300, offline);
      expect(run.status, JSON.stringify(run.error)).toBe("ok");
      expect(run.frames).toBe(12000);
      expect((run.extensions as { wam: { latency_frames: number } }).wam.latency_frames).toBe(300);
      expect(run.dryPeak).toBeGreaterThan(0.5);
      // The dry path is delayed by exactly 300 frames inside the mixer's stage: an exact null.
      expect(run.peak).toBe(0);
    }
  });

  test("automation and MIDI land on their exact frames on the fixture", async ({ page }) => {
    const api = await open(page);
    const run = await api.fixtureEventFrames();
    expect(run.status).toBe("ok");
    // gain 0.25 -> 0.5 at 1000, note-on at 3001 (+1), second note at 4100 (+1), first note-off at 5001,
    // gain -> 0.125 at 7777, second note-off at 7100.
    expect(run.changes).toEqual([1000, 3001, 4100, 5001, 7100, 7777]);
    expect(run.values).toEqual([0.25, 0.25, 0.5, 0.5, 1.5, 2.5, 1.5, 0.5, 0.125, 0.125]);
    // record_midi: the MIDI the fixture was given, on the frames its output steps on.
    expect(run.midi).toEqual(FIXTURE_MIDI);
    expect(run.midiFileBytes).toBeGreaterThan(14);
    // record_automation: the fixture's gain as given (0.25, 0.5 from 1000, 0.125 from 7777), on the
    // frames its output steps on; the constant's offset, 1 throughout (rendered by the engine).
    expect(run.automation).toEqual({
      nodes: ["fx", "one"],
      gainLength: 12000,
      gainChanges: [1000, 7777],
      gainValues: [0.25, 0.25, 0.5, 0.5, 0.125, 0.125],
      offsetRange: [1, 1, 12000],
    });
  });
});

test.describe("WAM hosting, offline, errors and the corpus", () => {
  test.setTimeout(120_000);

  test("a plugin whose processor throws goes silent with one error naming it; the rest plays on", async ({
    page,
  }) => {
    const api = await open(page);
    const run = await api.throwingFixture(4800);
    console.log(JSON.stringify(run));
    expect(run.status).toBe("ok");
    const errors = (run.extensions as { wam: { errors: { node: string; message: string }[] } }).wam.errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.node).toBe("fx");
    expect(errors[0]?.message).toContain('WAM node "fx"');
    expect(run.peakBefore).toBeGreaterThan(1.1);
    expect(run.peakAfter).toBeGreaterThan(0.2);
    expect(run.peakAfter).toBeLessThan(0.26);
  });

  test("four corpus effects in a chain sound (non-silent, finite)", async ({ page }) => {
    const api = await open(page);
    const run = await api.corpusEffects(
      [
        "wimmics/pingpongdelay/dist/index.js",
        "wimmics/quadrafuzz/dist/index.js",
        "burns-audio/distortion/index.js",
        "burns-audio/simpleEQ/index.js",
      ],
      1,
    );
    console.log(JSON.stringify(run));
    expect(run.status).toBe("ok");
    expect(run.finite).toBe(true);
    expect(run.peak).toBeGreaterThan(0.01);
  });

  // Measured accuracy (docs/wam.md, "Timing accuracy"): a note's first sample above -60 dBFS comes
  // at most 192 frames after its frame (one 128-frame step for main-thread plugins, plus the attack).
  for (const [name, path] of [
    ["synth101", "burns-audio/synth101/index.js"],
    ["modal", "burns-audio/modal/index.js"],
  ] as const) {
    test(`${name} played by graph MIDI starts its notes within 192 frames of their frames; renders repeat`, async ({
      page,
    }) => {
      const api = await open(page);
      const run = await api.instrumentRepeatability(path, [...NOTES], 3);
      console.log(name, JSON.stringify(run));
      for (const onsets of run.onsets) {
        expect(onsets).toHaveLength(NOTES.length);
        onsets.forEach((onset, i) => {
          expect(onset - (NOTES[i] as number)).toBeGreaterThanOrEqual(0);
          expect(onset - (NOTES[i] as number)).toBeLessThanOrEqual(192);
        });
      }
    });
  }
});

test.describe("WAM hosting, live (AudioWorklet real time)", () => {
  test.setTimeout(120_000);

  test("the fixture's automation and MIDI land on their exact frames live, and live equals offline sample for sample", async ({
    page,
  }) => {
    const api = await open(page);
    expect(await api.resume()).toBe("running");
    const live = await api.fixtureEventFrames({ offline: false });
    const offline = await api.fixtureEventFrames({ offline: true });
    console.log(
      JSON.stringify({ live: live.changes, values: live.values, status: live.status, error: live.error }),
    );
    expect(live.status).toBe("ok");
    expect(live.changes).toEqual([1000, 3001, 4100, 5001, 7100, 7777]);
    expect(live.samples).toEqual(offline.samples);
    expect(live.midi).toEqual(FIXTURE_MIDI);
    // record_automation live: as offline (the constant's offset from its stage, the fixture's gain as
    // handed to the plugin).
    expect(live.automation).toEqual(offline.automation);
    // Per block (128 frames without block_size): one value per block, the block's first frame's.
    const block = await api.fixtureEventFrames({ offline: false, resolution: "block" });
    expect(block.status).toBe("ok");
    expect(block.blockFrames).toBe(128);
    expect(block.automation.offsetRange).toEqual([1, 1, 94]);
    // 0.25 on frames 0..999, 0.5 on 1000..7776, 0.125 from 7777: blocks 0-7, 8-60, 61-93.
    expect(block.gainBlocks).toEqual(
      Array.from({ length: 94 }, (_, i) => (i * 128 < 1000 ? 0.25 : i * 128 < 7777 ? 0.5 : 0.125)),
    );
  });

  test("live commands reach engine nodes in every stage and WAM nodes on their frames: live equals the same changes rendered offline", async ({
    page,
  }) => {
    const api = await open(page);
    expect(await api.resume()).toBe("running");
    const run = await api.liveCommands();
    console.log(JSON.stringify(run));
    expect(run.status).toBe("ok");
    expect(run.offlineStatus).toBe("ok");
    expect(run.frames).toBe(12000);
    // amp (stage 1) at 0.25 now, then 0.5 from frame 3000; one (stage 0) steps to 2 on frame 1500.
    expect(run.values).toEqual([0.25, 0.25, 0.5, 0.5, 1, 1]);
    // The synth (stage 0) starts on its note's frame (its attack's first sample).
    expect(run.synthOnset).toBeGreaterThanOrEqual(5000);
    expect(run.synthOnset).toBeLessThanOrEqual(5001);
    // The reference changes where the commands say (the WAM ones included), and live matches it.
    expect(run.referenceChanges).toEqual([1500, 3000, 6000, 8000, 9000, 10000]);
    expect(run.maxDiff).toBe(0);
    expect(run.maxDiffRight).toBe(0);
    expect(run.transport?.bad_commands).toBe(0);
    // record_automation: fx2's scheduleAutomation lane as handed to the plugin, 1 then 0.5 from 10000.
    expect(run.fx2Gain).toEqual({ length: 12000, changes: [10000], values: [1, 1, 0.5] });
  });

  test("timed commands sent while a WAM graph plays land on their frames, on the WAM and on an engine stage", async ({
    page,
  }) => {
    const api = await open(page);
    await api.resume();
    const run = await api.liveCommandsWhilePlaying();
    console.log(JSON.stringify(run));
    expect(run.status).toBe("ok");
    // The timed commands' steps, then the step of the value set now (after the note).
    expect(run.changes.slice(0, 3)).toEqual(run.commanded);
    expect(run.changes).toHaveLength(4);
    expect(run.changes[3]).toBeGreaterThan(run.commanded[2] as number);
    expect(run.values).toEqual([1, 0.5, 0.125]);
    // record_automation live: an engine node's linear ramp as its stage handed it, frame for frame the
    // offline recording and the formula; the live setParameter calls on the frames they landed on, an
    // engine node's and the WAM's (timed and now): where the output steps, the initial values before.
    expect(run.automationNodes).toEqual(["ramp", "amp", "fx"]);
    expect(run.rampLengths).toEqual([48000, 48000]);
    expect(run.rampLiveVsOffline).toBe(0);
    expect(run.offlineRampOffFormula).toBeLessThan(1e-6);
    expect(run.liveRampOffFormula).toBeLessThan(1e-6);
    expect(run.ampChanges).toEqual([run.commanded[1]]);
    expect(run.ampValues).toEqual([1, 1, 0.25, 0.25]);
    expect(run.fxChanges).toEqual([run.commanded[0], run.changes[3]]);
    expect(run.fxValues).toEqual([1, 0.5, 0.5, 0.25]);
    expect(run.fxLength).toBe(48000);
    // record_midi live: the note sent to the WAM during the render, on the frame the output steps on.
    expect(run.midi).toEqual({
      fx: [{ frame: run.commanded[2], status: 0x90, data1: 60, data2: 127 }],
      amp: [],
    });
  });

  for (const previous of ["wam", "builtin"] as const) {
    test(`a graph whose WAM node fails to load (404, a throwing constructor) rejects naming the node and why; the ${previous} graph playing plays on, its transport running`, async ({
      page,
    }) => {
      const api = await open(page);
      await api.resume();
      const run = await api.failedWamLoads(previous);
      console.log(JSON.stringify(run));
      // constant 1 through the fixture at gain 0.5, or a builtin gain at 0.75: exact on both channels.
      const level = previous === "wam" ? 0.5 : 0.75;
      expect(run.before.peak).toEqual([level, level]);
      expect(run.before.running).toBe(true);
      expect(run.errors.missing).toEqual({
        code: "E_PLUGIN_LOAD",
        path: "load_graph.graph.nodes[1].extensions.wam.module_url",
        message: `E_PLUGIN_LOAD at load_graph.graph.nodes[1].extensions.wam.module_url: WAM node "broken": ${run.origin}/wam-corpus/plugins/nowhere/index.js: HTTP 404 Not Found`,
      });
      expect(run.errors.throwing).toEqual({
        code: "E_UNKNOWN_NODE",
        path: "load_graph.graph.nodes[1].extensions.wam.module_url",
        message: `E_UNKNOWN_NODE at load_graph.graph.nodes[1].extensions.wam.module_url: WAM node "broken" could not be loaded from /e2e/fixtures/wam-throws-in-constructor.js: wam fixture: this plugin's constructor throws`,
      });
      // 20 quanta after both failures the same graph sounds at the same level, the transport ran on.
      expect(run.after.peak).toEqual([level, level]);
      expect(run.after.running).toBe(true);
      expect(run.after.positionFrames - run.before.positionFrames).toBeGreaterThanOrEqual(20 * 128);
      expect(run.playingWam).toBe(previous === "wam");
    });
  }

  test("live commands a WAM node refuses name the node and the parameter; the graph plays on", async ({
    page,
  }) => {
    const api = await open(page);
    await api.resume();
    const run = await api.liveWamErrors();
    console.log(JSON.stringify(run));
    expect(run.errors.timed).toEqual({
      code: "E_SCHEMA",
      path: "set_parameter.parameter_id",
      message:
        'E_SCHEMA at set_parameter.parameter_id: unknown parameter "volume" of WAM node "fx" (known: gain)',
    });
    expect(run.errors.automation?.path).toBe("schedule_automation.parameter_id");
    expect(run.errors.automation?.message).toContain('unknown parameter "volume" of WAM node "fx"');
    expect(run.errors.badEvent?.code).toBe("E_SCHEMA");
    expect(run.errors.badEvent?.path).toMatch(/^schedule_events\.events\[0\]/);
    expect(run.errors.unknownNode?.code).toBe("E_UNKNOWN_NODE");
    expect(run.errors.unknownNode?.path).toBe("set_parameter.node");
    expect(run.status).toBe("ok");
    expect(run.value).toBe(1);
  });

  test("a live render trims the WAM path's latency as offline does: 300 frames, the same samples", async ({
    page,
  }) => {
    const api = await open(page);
    await api.resume();
    const run = await api.liveLatency(300);
    console.log(JSON.stringify(run));
    expect(run.status).toBe("ok");
    expect(run.frames).toBe(12000);
    expect(run.liveExtensions.wam).toEqual({ latency_frames: 300, trimmed_frames: 300 });
    expect(run.offlineLatency).toBe(300);
    expect(run.transportLatency).toBe(300);
    expect(run.peak).toBeGreaterThan(0.1);
    expect(run.maxDiff).toBe(0);
  });

  // A corpus instrument in real time, notes from the graph's MIDI timeline: where they start live
  // (docs/wam.md, "Timing accuracy"), three renders each.
  for (const [name, path, limit] of [
    ["modal", "burns-audio/modal/index.js", 192],
    ["synth101", "burns-audio/synth101/index.js", LIVE_MAIN_THREAD_LIMIT],
  ] as const) {
    test(`${name} played live by graph MIDI starts its notes within ${limit} frames of their frames`, async ({
      page,
    }) => {
      const api = await open(page);
      await api.resume();
      const takes = [];
      for (let run = 0; run < 3; run++) takes.push(await api.corpusInstrument(path, [...NOTES], {}, true));
      console.log(
        name,
        "live",
        JSON.stringify(takes.map((t) => ({ status: t.status, onsets: t.onsets, peak: t.peak }))),
      );
      for (const take of takes) {
        expect(take.status).toBe("ok");
        expect(take.finite).toBe(true);
        expect(take.onsets).toHaveLength(NOTES.length);
        take.onsets.forEach((onset, i) => {
          expect(onset - (NOTES[i] as number)).toBeGreaterThanOrEqual(0);
          expect(onset - (NOTES[i] as number)).toBeLessThanOrEqual(limit);
        });
      }
    });
  }

  test("four corpus effects play live and sound (non-silent, finite)", async ({ page }) => {
    const api = await open(page);
    await api.resume();
    const run = await api.corpusEffectsLive(
      [
        "wimmics/pingpongdelay/dist/index.js",
        "wimmics/quadrafuzz/dist/index.js",
        "burns-audio/delay/index.js",
        "burns-audio/reverb/index.js",
      ],
      1,
    );
    console.log(JSON.stringify(run));
    expect(run.status).toBe("ok");
    expect(run.frames).toBe(48000);
    expect(run.finite).toBe(true);
    expect(run.peak).toBeGreaterThan(0.01);
  });

  test("session round trip: the plugin's live state is saved in the graph and re-renders the same", async ({
    page,
  }) => {
    const api = await open(page);
    await api.resume();
    const run = await api.sessionRoundTrip();
    console.log(JSON.stringify(run));
    expect(run.savedGain).toBe(0.75);
    expect(run.savedLatency).toBe(64);
    expect(run.peak).toBeGreaterThan(0.5);
    expect(run.maxDiffRestored).toBe(0);
    // The state matters: without it the render differs.
    expect(run.maxDiffUntouched).toBeGreaterThan(0.1);
  });

  test("a live render's record of a WAM parameter starts from what the plugin holds: set live before it, or moved in its GUI", async ({
    page,
  }) => {
    const api = await open(page);
    await api.resume();
    const run = await api.heldValuesStartTheRecord();
    console.log(JSON.stringify(run));
    // 0.1 s at 48 kHz: 4800 values, each the gain the output shows (constant 1 times the gain).
    expect(run.setLive).toEqual({
      status: "ok",
      recordLength: 4800,
      recordDistinct: [0.25],
      outputDistinct: [0.25],
    });
    expect(run.reported).toBe(0.625);
    expect(run.movedInGui).toEqual({
      status: "ok",
      recordLength: 4800,
      recordDistinct: [0.625],
      outputDistinct: [0.625],
    });
  });

  test("a take around a live render recording a WAM's parameters and MIDI: the render records what it records alone, the take the live notes before, in and after it", async ({
    page,
  }) => {
    const api = await open(page);
    await api.resume();
    const run = await api.takeAroundWamRender();
    console.log(JSON.stringify({ alone: run.alone, take: run.take }));
    const { alone, inside, take } = run;
    // Alone: the timeline's note 60 and note 67 sent live; the gain as handed to the plugin, the
    // automation's steps and the live 0.75 on frame 16000.
    expect(alone).toEqual({
      status: "ok",
      error: null,
      midi: [
        { frame: 3001, status: 0x90, data1: 60, data2: 127 },
        { frame: 5001, status: 0x80, data1: 60, data2: 0 },
        { frame: 12000, status: 0x90, data1: 67, data2: 127 },
        { frame: 14000, status: 0x80, data1: 67, data2: 0 },
      ],
      gainLength: 24000,
      gainChanges: [1000, 7777, 16000],
      gainValues: [0.25, 0.5, 0.125, 0.75],
    });
    // Inside the take: the same records and the same samples.
    expect(inside).toEqual(alone);
    expect(run.outputDiff).toBe(0);
    expect(run.outputChanges).toEqual([1000, 3001, 5001, 7777, 12000, 14000, 16000]);
    // The take: the live notes only (not the timeline's 60, no parameter change), on their frames.
    expect(take.lost).toBe(0);
    expect(take.events.map(({ node, type, note, frame }) => [node, type, note, frame])).toEqual([
      ["fx", "note_on", 72, run.before[0]],
      ["fx", "note_off", 72, run.before[1]],
      ["fx", "note_on", 67, 12000],
      ["fx", "note_off", 67, 14000],
      ["fx", "note_on", 74, run.after[0]],
      ["fx", "note_off", 74, run.after[1]],
    ]);
    // Elapsed from the take's own start: with the frames within a stretch of play, the render's counted.
    const [b0, b1, r0, r1, a0, a1] = take.events.map((e) => e.elapsedFrames) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    expect(b0).toBeGreaterThan(0);
    expect(b1 - b0).toBe(run.before[1] - run.before[0]);
    expect(r1 - r0).toBe(2000);
    expect(a1 - a0).toBe(run.after[1] - run.after[0]);
    expect(r0 - b1).toBeGreaterThan(12000);
    expect(a0 - r1).toBeGreaterThan(24000 - 14000);
  });

  for (const slider of ["plain", "normalized"] as const) {
    test(`a change made in a WAM's own GUI during a live render is recorded on the frame the output steps on (${slider} value)`, async ({
      page,
    }) => {
      const api = await open(page);
      await api.resume();
      // The normalized slider sends 0.5234375 of the gain's [-8, 8]: 0.375 in its units.
      const run = await api.guiMoveDuringRender(slider === "normalized");
      console.log(JSON.stringify(run));
      expect(run.status).toBe("ok");
      // One step, after the slider moved (it lands on the plugin's next quantum), the same frame in both.
      expect(run.outputChanges).toHaveLength(1);
      expect(run.recordChanges).toEqual(run.outputChanges);
      expect(run.outputChanges[0]).toBeGreaterThanOrEqual(run.movedAt);
      expect(run.outputValues).toEqual([1, 0.375]);
      expect(run.recordValues).toEqual([1, 0.375]);
    });
  }

  test("a loop wrap gives an automated WAM parameter the timeline's value at the loop's start, not the last it played", async ({
    page,
  }) => {
    const api = await open(page);
    await api.resume();
    const readings = await api.automationInALoop();
    // Readings whose question and answer fell within one stretch of the loop, away from its edges
    // and the step (one quantum is 128 frames; 2400 frames is 50 ms of margin).
    const within = (from: number, to: number) =>
      readings.filter((r) => r.after >= r.before && r.before >= from && r.after < to);
    const beforeStep = within(0.25 * 48000 + 2400, 0.5 * 48000 - 2400);
    const afterStep = within(0.5 * 48000 + 2400, 0.75 * 48000 - 2400);
    // Every transport read in order (before and after each question): a wrap is where it goes back,
    // within a question as well as between two.
    const positions = readings.flatMap((r) => [r.before, r.after]);
    const wraps = positions.filter((p, i) => i > 0 && p < (positions[i - 1] as number)).length;
    console.log(
      JSON.stringify({
        readings: readings.length,
        wraps,
        beforeStep: beforeStep.length,
        afterStep: afterStep.length,
      }),
    );
    // 2.5 s of a 0.5 s loop: it wrapped several times, and each stretch was read many times.
    expect(wraps).toBeGreaterThanOrEqual(3);
    expect(beforeStep.length).toBeGreaterThanOrEqual(10);
    expect(afterStep.length).toBeGreaterThanOrEqual(10);
    // Before the step the gain is 0.25 on every pass (without the chase it stayed 1 after the first).
    expect([...new Set(beforeStep.map((r) => r.value))]).toEqual([0.25]);
    expect([...new Set(afterStep.map((r) => r.value))]).toEqual([1]);
  });

  test("a playing WAM's GUI mounts in the app's container and unmounts", async ({ page }) => {
    const api = await open(page);
    await api.resume();
    const fixtureGui = await api.mountGui(null);
    expect(fixtureGui.mounted.children).toBe(1);
    expect(fixtureGui.mounted.text).toContain("webdreamer fixture, gain 1");
    expect(fixtureGui.after).toBe(0);
    const corpusGui = await api.mountGui("wimmics/pingpongdelay/dist/index.js");
    console.log(JSON.stringify(corpusGui));
    expect(corpusGui.mounted.children).toBe(1);
    expect(corpusGui.after).toBe(0);
  });
});
