// Runs the limits-and-names suite (test/api/limits-names-suite.ts) in Chromium against the browser
// hosts. "vitest" resolves to e2e/support/vitest-shim.ts on this server.
import { createBrowserEngine } from "../../src/browser";
import { describeLimitsAndNames } from "../../test/api/limits-names-suite";
import { runCollected } from "../support/vitest-shim";

describeLimitsAndNames("worker", ({ clock }) =>
  createBrowserEngine({ host: "worker", hostOptions: { clock, sampleRate: 48000 } }),
);

// The real-time host: each test gets its own AudioContext (closed by close()).
describeLimitsAndNames(
  "audioworklet",
  ({ clock }) => createBrowserEngine({ host: "audioworklet", hostOptions: { clock } }),
  { scheduledEvents: "played" },
);

Object.assign(window, { runLimitsNamesSuite: runCollected });
