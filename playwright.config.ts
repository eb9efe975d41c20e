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

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  workers: 1,
  reporter: process.env.CI ? "list" : "list",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
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
