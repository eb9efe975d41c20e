// RealtimeEngineClient.getParameter in the real-time AudioWorklet host (Chromium): the value a
// parameter has in the playing engine, moved by its automation lane and by timed commands, read on
// the audio thread between two quanta with the transport frame it belongs to.
import { expect, test } from "@playwright/test";
import type { GetParameterApi } from "./pages/get-parameter";

/** The page's lane: gain 0 at 0 s, a linear ramp to 1 at 2 s (e2e/pages/get-parameter.ts). */
const RAMP_SECONDS = 2;

declare global {
  interface Window {
    getParameter: GetParameterApi;
  }
}

test("getParameter reads the live value: a set, an automation ramp at its frame, a timed set; bad names refused", async ({
  page,
}) => {
  await page.goto("/e2e/pages/get-parameter.html");
  await page.waitForFunction(() => "getParameter" in window);
  const { sampleRate } = await page.evaluate(() => window.getParameter.start());
  const r = await page.evaluate(() => window.getParameter.readWhilePlaying());
  console.log(JSON.stringify(r));
  expect(r.set.value).toBe(1234);
  // Before the transport plays a frame the lane has not run: the gain holds its base value (1).
  expect(r.before).toEqual({ value: 1, frame: 0 });
  // The lane's value on the last frame rendered (frame - 1), within float rounding of the ramp.
  let previous = -1;
  for (const reading of r.ramp) {
    const expected = (reading.frame - 1) / (RAMP_SECONDS * sampleRate);
    expect(reading.frame).toBeGreaterThan(previous);
    expect(reading.frame % 128).toBe(0);
    expect(Math.abs(reading.value - expected)).toBeLessThan(1e-6);
    expect(reading.value).toBeGreaterThan(0);
    previous = reading.frame;
  }
  expect(r.timed.value).toBe(880);
  expect(r.errors.node).toMatchObject({ code: "E_UNKNOWN_NODE", path: "get_parameter.node" });
  expect(r.errors.node?.message).toContain('"nope"');
  expect(r.errors.parameter).toMatchObject({ code: "E_SCHEMA", path: "get_parameter.parameter_id" });
  expect(r.errors.parameter?.message).toContain("volume");

  // A WAM node: the value its processor reports, after a load, a set and a timed set.
  const w = await page.evaluate(() => window.getParameter.readWam());
  console.log(JSON.stringify(w));
  expect(w.loaded.value).toBe(2);
  expect(w.set.value).toBe(-3.5);
  expect(w.timed.value).toBe(5);
  expect(w.timed.frame).toBeGreaterThan(0);
  expect(w.errors.parameter).toEqual({
    code: "E_SCHEMA",
    path: "get_parameter.parameter_id",
    message:
      'E_SCHEMA at get_parameter.parameter_id: unknown parameter "volume" of WAM node "wam" (known: gain)',
  });
  // Its engine nodes, in the stages before and after it: their values as loaded, then as set.
  expect([w.stages.zero.value, w.stages.post.value]).toEqual([0, 0.25]);
  expect([w.stagesSet.zero.value, w.stagesSet.post.value]).toEqual([0.75, 0.5]);
  expect(w.stagesSet.post.frame).toBeGreaterThan(0);
  expect(w.errors.stage).toMatchObject({ code: "E_SCHEMA", path: "get_parameter.parameter_id" });
  expect(w.errors.stage?.message).toContain("volume");
  await page.evaluate(() => window.getParameter.close());
});
