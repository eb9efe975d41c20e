import { defineConfig } from "vitest/config";

// Node-side tests: contracts, engine (real WASM, no mocks), data plane, CLI.
// Browser tests live in e2e/ and run under Playwright.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
  },
});
