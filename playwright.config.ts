import { defineConfig } from "@playwright/test";

import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./e2e/chromium";

/**
 * Browser tests drive Debian's Chromium (/usr/bin/chromium); Playwright never downloads a browser.
 * The Vite dev server serves the pages with COOP/COEP, so they are cross-origin isolated.
 */

// WEBDREAMER_E2E_PORT moves both servers (to run two suites side by side).
const port = Number(process.env.WEBDREAMER_E2E_PORT ?? 5199);
/** Where e2e tests find the pages served without cross-origin isolation. */
export const NOT_ISOLATED_PORT = port - 1;

/**
 * Tests that must have the machine to themselves run one at a time in the project "serial": their
 * checks read real time (underruns, how soon a call lands, the audio clock against the wall clock,
 * main-thread long tasks, a WAM's measured CPU cost, how soon a cancel lands, the input latency, the
 * demo's meters between waits), or they rewrite files the dev server serves (package.spec.ts:
 * `npm pack` runs setup, which rebuilds public/build/ and dist/). Every other test checks samples,
 * frames, texts or files and runs in the project "parallel", two spec files at a time: most of a
 * browser test is waiting (page loads, audio playing in real time, renders in the page's threads),
 * so a second worker fills the core one leaves idle. `npm run test:e2e` (part of `npm test`) runs
 * "parallel" first, then "serial" alone.
 *
 * Each pattern is matched against "<file> <describe titles> <test title> <tags>" (Playwright's grep):
 * a whole file by its name, part of one by its titles, or any test tagged @serial.
 */
const wholeFile = (name: string) => new RegExp(`(^| )${name.replace(/[.-]/g, "\\$&")}\\.spec\\.ts `);
const SERIAL: RegExp[] = [
  ...[
    "command-storm",
    "demo",
    "live-automation",
    "live-midi",
    "live-render",
    "live-render-records",
    "package",
    "platform-smoke",
    "realtime",
    "site",
    "studio-audio-input",
    "wam-resources",
  ].map(wholeFile),
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
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  projects: [
    { name: "parallel", grepInvert: SERIAL },
    { name: "serial", grep: SERIAL, workers: 1 },
  ],
  webServer: [
    {
      command: `npx vite --port ${port} --strictPort`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      // The same pages without COOP/COEP: not cross-origin isolated, no SharedArrayBuffer.
      command: `npx vite --port ${NOT_ISOLATED_PORT} --strictPort`,
      env: { WEBDREAMER_NOT_ISOLATED: "1" },
      url: `http://127.0.0.1:${NOT_ISOLATED_PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
