/**
 * Row cold-start.page (docs/performance.md): page load to first sound, in a fresh browser context
 * (empty HTTP and code caches) each time, from a plain static server (scripts/serve-static.mjs,
 * cross-origin isolated), as a visitor's first visit:
 *
 * - webdreamer: a page with `<webdreamer-player>` (its default patch) and the prebuilt bundle
 *   (dist/browser/player.js, as e2e/package.spec.ts serves it), Play pressed as soon as the player
 *   offers it (the autoplay flag of CHROMIUM_ARGS stands in for the visitor's click);
 * - faustwasm: a page that loads faustwasm's browser bundle, fetches a precompiled Faust DSP of the
 *   same patch (saw arpeggio and bass -> resonant lowpass -> echo -> pan; its .wasm and JSON, as a
 *   faustwasm export ships them) and plays it with FaustMonoDspGenerator.createNode.
 *
 * Both pages are timed the same way: an init script (FIRST_SOUND_PROBE) taps whatever is connected
 * to an AudioContext's destination with an AnalyserNode and notes performance.now() (milliseconds
 * since the navigation started) when the first sample above 1e-3 shows there. Interleaved pairs.
 *
 * Row cold-start.idle-click: the same two pages loaded, then left idle (the load event, then no
 * request for IDLE_MS), then Play pressed (the player's button; faustwasm's page runs the same
 * script as above, its bundle already imported): milliseconds from the press to first sound. What a
 * visitor who reads the page before pressing Play waits.
 *
 * Row cold-start.idle-click.preload: the same, the player with preload="auto" (`?idle&preload`): its
 * engine starts, silent, while the page is idle, and Play resumes it; against the same faustwasm
 * visits as cold-start.idle-click.
 */
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "@playwright/test";
import { libFaustCompiler } from "../src/faust/libfaust";
import { loadLibFaustFromDisk } from "../src/faust/libfaust-nodejs";
import { interleave } from "./pairs";

/** The player's default patch (src/components/demo-graph.ts) in Faust, for faustwasm's side. */
export const ARPEGGIO_DSP = `import("stdfaust.lib");
step = int(ba.time / 12000) % 4;
lead = os.sawtooth(ba.midikey2hz(60 + ba.selectn(4, step, 0, 4, 7, 12))) * 0.11;
bass = os.sawtooth(ba.midikey2hz(36)) * 0.13;
echo = _ <: _, ef.echo(1, 0.375, 0.4) * 0.35 :> _;
process = lead + bass : fi.resonlp(1400, 2.2, 1) : echo <: sp.panner(0.5);`;

/** Notes the first sound any node plays into a destination (window.__firstSoundMs). */
const FIRST_SOUND_PROBE = `(() => {
  if (typeof AudioNode === "undefined") return;
  const connect = AudioNode.prototype.connect;
  const taps = [];
  AudioNode.prototype.connect = function (destination, ...rest) {
    if (destination instanceof AudioDestinationNode) {
      const tap = new AnalyserNode(this.context, { fftSize: 2048 });
      connect.call(this, tap);
      taps.push(tap);
    }
    return connect.call(this, destination, ...rest);
  };
  const samples = new Float32Array(2048);
  const poll = () => {
    for (const tap of taps) {
      tap.getFloatTimeDomainData(samples);
      for (const x of samples) {
        if (Math.abs(x) > 1e-3) {
          window.__firstSoundMs = performance.now();
          return;
        }
      }
    }
    setTimeout(poll, 2);
  };
  poll();
})();`;

/**
 * The player's page; `?idle` waits for window.__press() instead of pressing Play at once; `preload`
 * in the query sets the player's preload="auto" before it is on the page.
 */
const PLAYER_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>player cold start</title></head>
<body>
<webdreamer-player label="Cold start"></webdreamer-player>
<script type="module">
import "./vendor/webdreamer/player.js";
const player = document.querySelector("webdreamer-player");
if (location.search.includes("preload")) player.setAttribute("preload", "auto");
// Play as soon as the player offers it: its button exists and is enabled.
const press = () => {
  const play = player.shadowRoot?.querySelector("button.play");
  if (play && !play.disabled) {
    window.__playPressedMs = performance.now();
    play.click();
  }
  else requestAnimationFrame(press);
};
if (location.search.startsWith("?idle")) window.__press = press;
else press();
</script></body></html>
`;

const FAUSTWASM_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>faustwasm cold start</title></head>
<body>
<script type="module">
import { FaustMonoDspGenerator } from "./vendor/faustwasm/index.js";
const play = async () => {
  window.__playPressedMs = performance.now();
  const context = new AudioContext();
  const [module, json] = await Promise.all([
    WebAssembly.compileStreaming(fetch("./dsp/arpeggio.wasm")),
    fetch("./dsp/arpeggio.json").then((response) => response.text()),
  ]);
  const node = await new FaustMonoDspGenerator().createNode(context, "arpeggio", { module, json, soundfiles: {} });
  node.connect(context.destination);
  await context.resume();
};
if (location.search === "?idle") window.__press = play;
else await play();
</script></body></html>
`;

/** Writes the two pages, the bundles and the compiled DSP into `folder`. */
async function preparePages(folder: string): Promise<void> {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(`${folder}/vendor/faustwasm`, { recursive: true });
  mkdirSync(`${folder}/dsp`, { recursive: true });
  symlinkSync(resolve("dist/browser"), `${folder}/vendor/webdreamer`);
  cpSync("node_modules/@grame/faustwasm/dist/esm/index.js", `${folder}/vendor/faustwasm/index.js`);
  const compiler = await libFaustCompiler(loadLibFaustFromDisk);
  const factory = await compiler.createMonoDSPFactory("arpeggio", ARPEGGIO_DSP, "-ftz 2");
  if (factory?.code === undefined) {
    throw new Error(`cold start: libfaust failed on the arpeggio DSP: ${compiler.getErrorMessage()}`);
  }
  writeFileSync(`${folder}/dsp/arpeggio.wasm`, factory.code);
  writeFileSync(`${folder}/dsp/arpeggio.json`, factory.json);
  writeFileSync(`${folder}/player.html`, PLAYER_PAGE);
  writeFileSync(`${folder}/faustwasm.html`, FAUSTWASM_PAGE);
}

/** Milliseconds from navigation to the player's Play press, per visit of the player page (for the log). */
export const playPressedMs: number[] = [];

/** How long a page is left idle before the idle-click rows press Play. */
const IDLE_MS = 500;

/**
 * Milliseconds from navigation to first sound of `url`, in a fresh context (cold caches); with
 * `idle`, from the Play press, made once the page has loaded and been idle for IDLE_MS.
 */
async function firstSoundMs(browser: Browser, url: string, idle = false, query = "?idle"): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const failures: string[] = [];
    page.on("pageerror", (error) => failures.push(error.message));
    await page.addInitScript(FIRST_SOUND_PROBE);
    await page.goto(idle ? `${url}${query}` : url);
    if (idle) {
      await page.waitForFunction(() => "__press" in window, undefined, { timeout: 60_000 });
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(IDLE_MS);
      await page.evaluate(() => (window as unknown as { __press(): void }).__press());
    }
    const handle = await page
      .waitForFunction(() => (window as { __firstSoundMs?: number }).__firstSoundMs, undefined, {
        timeout: 60_000,
      })
      .catch((error: Error) => {
        throw new Error(`cold start: no sound from ${url} (${failures.join("; ") || error.message})`);
      });
    const pressed = await page.evaluate(() => (window as { __playPressedMs?: number }).__playPressedMs);
    const sounded = (await handle.jsonValue()) as number;
    if (idle) return sounded - (pressed ?? Number.NaN);
    if (pressed !== undefined && url.endsWith("player.html")) playPressedMs.push(pressed);
    return sounded;
  } finally {
    await context.close();
  }
}

export async function benchColdStart(browser: Browser, pairs: number) {
  const folder = resolve("build/bench-cold-start");
  await preparePages(folder);
  // Imported at run time: bundled into the bench (scripts/run-ts.mjs), it would take itself for the
  // script being run.
  const { serveStatic } = (await import(
    pathToFileURL(resolve("scripts/serve-static.mjs")).href
  )) as typeof import("../scripts/serve-static.mjs");
  const server = await serveStatic({ root: folder, isolated: true });
  try {
    // One visit each first: the server's files in the OS cache, Chromium's processes up.
    await firstSoundMs(browser, `${server.url}player.html`);
    await firstSoundMs(browser, `${server.url}faustwasm.html`);
    return await interleave(pairs, {
      player: () => firstSoundMs(browser, `${server.url}player.html`),
      faustwasm: () => firstSoundMs(browser, `${server.url}faustwasm.html`),
      playerIdle: () => firstSoundMs(browser, `${server.url}player.html`, true),
      faustwasmIdle: () => firstSoundMs(browser, `${server.url}faustwasm.html`, true),
      playerPreloadIdle: () => firstSoundMs(browser, `${server.url}player.html`, true, "?idle&preload"),
    });
  } finally {
    await server.close();
  }
}
