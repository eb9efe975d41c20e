import { defineConfig } from "@playwright/test";

import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./e2e/chromium";
import { fakeCaptureArgs } from "./e2e/support/fake-capture";

/** Where scripts/build-e2e-pages.mjs puts the pages (gitignored, under build/). */
const E2E_PAGES_DIR = "build/e2e-pages";

/**
 * Browser tests drive Debian's Chromium (/usr/bin/chromium); Playwright never downloads a browser.
 *
 * The pages are built ahead and served by `vite preview`, not by the dev server: on the dev server a
 * page load transforms hundreds of unbundled modules on the fly (8 to 22 s on a busy 2-core machine,
 * against 1 to 6 s for the bundle), and the specs load pages hundreds of times.
 * scripts/build-e2e-pages.mjs builds index.html and e2e/pages/*.html into build/e2e-pages/ (a
 * development-mode build, as the dev server runs them; it skips itself when nothing changed), and
 * vite.config.ts's preview serves them as the dev server would: with COOP/COEP (cross-origin
 * isolated), the wam-community corpus under /wam-corpus/, exported WAMs under /wam-export-output/,
 * and the source modules a spec imports into a page under their /src/...ts URLs.
 * WEBDREAMER_E2E_DEV_SERVER=1 runs the specs against the dev server instead (slower; no build).
 */

// WEBDREAMER_E2E_PORT moves both servers (to run two suites side by side).
const port = Number(process.env.WEBDREAMER_E2E_PORT ?? 5199);
/** Where e2e tests find the pages served without cross-origin isolation. */
export const NOT_ISOLATED_PORT = port - 1;
const devServer = Boolean(process.env.WEBDREAMER_E2E_DEV_SERVER);
/** Serves the prebuilt pages (scripts/build-e2e-pages.mjs), as the dev server serves the sources. */
const preview = `npx vite preview --outDir ${E2E_PAGES_DIR}`;

/**
 * Tests that must have the machine to themselves run one at a time in the project "serial": their
 * checks read real time (underruns, how soon a call lands, the audio clock against the wall clock,
 * main-thread long tasks, a WAM's measured CPU cost, how soon a cancel lands, the input latency, the
 * demo's meters between waits). Every other test checks samples, frames, texts or files and runs in
 * the project "parallel", two spec files at a time: most of a browser test is waiting (page loads,
 * audio playing in real time, renders in the page's threads), so a second worker fills the core one
 * leaves idle. A third does not: the phase took 9.1 min with three against 9.2 with two (the cores
 * are busy after all; /usr/bin/time had read 0.72 cores, but it only counts the processes its child
 * waits for, which leaves out Chromium's renderers). `npm run test:e2e` (part of `npm test`) runs
 * "parallel" first, then "serial" alone. `npm test` runs Vitest's "untimed" project beside "serial" at the
 * idle scheduling class (scripts/test-e2e.sh), and its "timed" one alone before: tried with every
 * Vitest file beside "serial", it saved two minutes, but two timed tests (a farm worker's takeover,
 * cpu_units measured against a reference) failed when starved.
 * package.spec.ts is in "parallel": its `npm pack` rebuilds dist/ in a copy of the repository
 * (e2e/support/scratch-project.ts), and the pages are served from their own build, so nothing the
 * other tests read changes under them.
 *
 * Each pattern is matched against "<file> <describe titles> <test title> <tags>" (Playwright's grep):
 * a whole file by its name, part of one by its titles, or any test tagged @serial.
 */
const wholeFile = (name: string) => new RegExp(`(^| )${name.replace(/[.-]/g, "\\$&")}\\.spec\\.ts `);
const SERIAL: RegExp[] = [
  ...[
    "command-storm",
    "live-automation",
    "live-midi",
    "live-render",
    "live-render-records",
    "realtime",
    "site",
    "studio-audio-input",
    "wam-resources",
  ].map(wholeFile),
  // The demo page's tests that check no time (styles, the plugin list, teardown) are tagged @untimed.
  /(^| )demo\.spec\.ts (?!.*@untimed)/,
  /(^| )live-input\.spec\.ts (?!discovery lists)/,
  /(^| )studio-platform\.spec\.ts .*16-track project plays/,
  /(^| )wam-hosting\.spec\.ts WAM hosting, live/,
  /(^| )worker-host\.spec\.ts .* at once/,
  /@serial/,
];

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  // The total: "serial" limits itself to one worker.
  workers: 2,
  reporter: "list",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    // The fake microphone is in every test's launch options: a file with options of its own gets a
    // worker of its own, which ran alone at the end of the phase (e2e/support/fake-capture.ts).
    launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...fakeCaptureArgs()] },
  },
  projects: [
    { name: "parallel", grepInvert: SERIAL },
    // One retry for the real-time checks, for the reason vitest.config.ts gives its "timed" project;
    // scripts/test-summary.mjs lists every test that needed it at the end of `npm test`.
    { name: "serial", grep: SERIAL, workers: 1, retries: 1 },
  ],
  // Playwright starts them in order: the first builds the pages (or finds them up to date), then both serve them.
  webServer: [
    {
      command: devServer
        ? `npx vite --port ${port} --strictPort`
        : `node scripts/build-e2e-pages.mjs && ${preview} --port ${port} --strictPort`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      // A build from scratch takes 15 to 60 s on a busy machine.
      timeout: 180_000,
      stdout: "pipe",
    },
    {
      // The same pages without COOP/COEP: not cross-origin isolated, no SharedArrayBuffer.
      command: devServer
        ? `npx vite --port ${NOT_ISOLATED_PORT} --strictPort`
        : `${preview} --port ${NOT_ISOLATED_PORT} --strictPort`,
      env: { WEBDREAMER_NOT_ISOLATED: "1" },
      url: `http://127.0.0.1:${NOT_ISOLATED_PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
