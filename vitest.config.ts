import { defineConfig } from "vitest/config";

// Node-side tests: contracts, engine (real WASM, no mocks), data plane, CLI.
// Browser tests live in e2e/ and run under Playwright.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    // Vitest's default is one file at a time on two cores (CPUs - 1, leaving one to its main
    // process, which mostly waits): two keep both cores busy.
    maxWorkers: 2,
    // The CLI, built once for the test files that run it (test/cli/).
    globalSetup: ["test/support/build-cli-once.ts"],
  },
});
