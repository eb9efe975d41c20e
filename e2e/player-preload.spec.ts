/**
 * <webdreamer-player preload="auto">: the engine starts while the page is idle, silent in a
 * suspended AudioContext, with the graph loaded; the first Play only resumes that context. Driven on
 * the demo page, whose player is set to preload once it is on the page.
 */
import { expect, type Page, test } from "@playwright/test";

function player(page: Page) {
  return page.locator("webdreamer-player");
}

/** The demo's player, told to preload; resolves once its engine is prepared ("webdreamer-ready"). */
async function preloaded(page: Page) {
  await page.goto("/");
  await expect(player(page).getByRole("status")).toHaveText("Ready");
  return page.evaluate(async () => {
    const element = document.querySelector("webdreamer-player");
    if (!element) throw new Error("no player");
    const ready = new Promise((resolve) =>
      element.addEventListener("webdreamer-ready", resolve, { once: true }),
    );
    element.preload = "auto";
    await ready;
    const engine = element.engine;
    if (!engine) throw new Error("ready without an engine");
    (window as unknown as { preparedEngine: unknown }).preparedEngine = engine;
    const before = engine.readTransport().positionFrames;
    const contextBefore = engine.context.currentTime;
    await new Promise((resolve) => setTimeout(resolve, 300));
    return {
      context: engine.context.state,
      framesWhileWaiting: engine.readTransport().positionFrames - before,
      contextBefore,
      contextAfter: engine.context.currentTime,
      // The demo's graph is loaded: its filter answers (E_UNKNOWN_NODE without a graph).
      frequency: (await engine.getParameter("filter", "frequency")).value,
    };
  });
}

/** After Play: whether the engine is the prepared one, the context's state, and the loudest peak. */
function playedState(page: Page) {
  return page.evaluate(async () => {
    const element = document.querySelector("webdreamer-player");
    const engine = element?.engine;
    if (!engine) throw new Error("no engine");
    const reading = engine.createMeterReading();
    let peak = 0;
    const end = performance.now() + 1000;
    while (performance.now() < end) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      engine.readMeters(reading);
      peak = Math.max(peak, reading.windowPeak[0] ?? 0);
    }
    return {
      same: engine === (window as unknown as { preparedEngine?: unknown }).preparedEngine,
      context: engine.context.state,
      running: engine.readTransport().running,
      peak,
    };
  });
}

test("preload=auto starts the engine silent while the page is idle; Play resumes that engine and plays", async ({
  page,
}) => {
  const waiting = await preloaded(page);
  console.log(JSON.stringify(waiting));
  // Suspended: no quantum rendered while it waits, the transport still at 0 and stopped. (A context
  // allowed to start at once may render a few quanta before the suspend made with it lands: the
  // engine is not in it yet, and currentTime stops there, at most a few tens of ms.)
  expect(waiting.context).toBe("suspended");
  expect(waiting.framesWhileWaiting).toBe(0);
  expect(waiting.contextAfter).toBe(waiting.contextBefore);
  expect(waiting.contextBefore).toBeLessThan(0.25);
  expect(waiting.frequency).toBe(1400);
  await expect(player(page).getByRole("status")).toHaveText("Stopped");

  await player(page).getByRole("button", { name: "Play" }).click();
  await expect(player(page).getByRole("status")).toHaveText("Playing", { timeout: 20_000 });
  const played = await playedState(page);
  console.log(JSON.stringify(played));
  expect(played).toMatchObject({ same: true, context: "running", running: true });
  expect(played.peak).toBeGreaterThan(0.05);
});

test("Play pressed while the engine is still being prepared plays that engine, the only one", async ({
  page,
}) => {
  await page.goto("/");
  await expect(player(page).getByRole("status")).toHaveText("Ready");
  const contexts = await page.evaluate(() => {
    // Every AudioContext the page makes, counted.
    const made: AudioContext[] = [];
    const Original = window.AudioContext;
    window.AudioContext = class extends Original {
      constructor(options?: AudioContextOptions) {
        super(options);
        made.push(this);
      }
    };
    (window as unknown as { madeContexts: AudioContext[] }).madeContexts = made;
    const element = document.querySelector("webdreamer-player");
    if (!element) throw new Error("no player");
    element.preload = "auto";
    return made.length;
  });
  expect(contexts).toBe(0);
  // The preparation starts when the page is idle, then takes a while: Play lands inside it.
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { madeContexts: unknown[] }).madeContexts.length))
    .toBe(1);
  await player(page).getByRole("button", { name: "Play" }).click();
  await expect(player(page).getByRole("status")).toHaveText("Playing", { timeout: 20_000 });
  const outcome = await page.evaluate(() => ({
    contexts: (window as unknown as { madeContexts: AudioContext[] }).madeContexts.map((c) => c.state),
    running: document.querySelector("webdreamer-player")?.engine?.readTransport().running,
  }));
  expect(outcome).toEqual({ contexts: ["running"], running: true });
});

test("a preloaded player removed from the page closes its engine and its context", {
  tag: "@untimed",
}, async ({ page }) => {
  await preloaded(page);
  const outcome = await page.evaluate(async () => {
    const element = document.querySelector("webdreamer-player");
    const engine = element?.engine;
    if (!element || !engine) throw new Error("not prepared");
    element.remove();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const code = await engine.getTransportState().then(
      () => "still open",
      (error: { code?: string }) => error.code,
    );
    return { code, context: engine.context.state };
  });
  expect(outcome).toEqual({ code: "E_CLOSED", context: "closed" });
});
