// Runs the one EngineClient contract suite (test/contracts/engine-client-suite.ts) in Chromium
// against the browser hosts. "vitest" resolves to e2e/support/vitest-shim.ts on this server.
import { createBrowserEngine } from "../../src/browser";
import { describeEngineClientContract, playingNonFinite } from "../../test/api/engine-client-suite";
import { runCollected } from "../support/vitest-shim";

describeEngineClientContract(
  "worker",
  ({ clock }) => createBrowserEngine({ host: "worker", hostOptions: { clock, sampleRate: 48000 } }),
  { nonFiniteRenderRequest: playingNonFinite },
);

Object.assign(window, { runContractSuite: runCollected });

// The real-time host: each test gets its own AudioContext (closed by close()).
describeEngineClientContract(
  "audioworklet",
  ({ clock }) => createBrowserEngine({ host: "audioworklet", hostOptions: { clock } }),
  { nonFiniteRenderRequest: playingNonFinite },
);
