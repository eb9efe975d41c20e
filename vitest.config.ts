import { configDefaults, defineConfig } from "vitest/config";

// Node-side tests: contracts, engine (real WASM, no mocks), data plane, CLI.
// Browser tests live in e2e/ and run under Playwright.

/**
 * The test files whose checks read the clock or the CPU: a measured cost (cpu_units), a deadline
 * (a killed farm worker's job taken over, a stuck worker stopped, a big file read in under 5 s), the
 * wall clock against the CPU clock, or threads that must run at the same time to race. `npm test` runs them on their own, before the browser tests
 * (scripts/test-e2e.sh --with-node-tests); the other files ("untimed") run beside the browser tests
 * that play in real time, at the idle scheduling class, where a file may wait minutes for a core and
 * only its outcome counts. A new test that measures time belongs in this list.
 */
const TIMED_FILES = [
  "test/audio-io/regular-file.test.ts",
  "test/cli/cli-files.test.ts",
  "test/cli/farm.test.ts",
  "test/cli/session-render.test.ts",
  "test/cli/worker-pool.test.ts",
  "test/dataplane/data-plane.test.ts",
  "test/dataplane/doorbell.test.ts",
  // Threads racing on shared memory: starved of cores, the races it exists to run would not happen.
  "test/dataplane/threads.test.ts",
  "test/engine/node-resources.test.ts",
  "test/engine/render-job.test.ts",
  "test/hosts/in-process/liveness.test.ts",
  "test/hosts/worker/engine-host.test.ts",
  "test/project/compile-scale.test.ts",
  // How many of 200 requests at once find the server busy (429) depends on how fast it answers.
  "test/serve/limits.test.ts",
  "test/session/session-files.test.ts",
];

/**
 * Timed files that measure a cost against another measured a few seconds earlier (a Faust DSP's
 * cpu_units estimate, taken when it compiled, against the cost it then measures): they run after
 * the other timed files, one at a time. Beside another timed file (threads racing on both cores),
 * the two measurements met different loads, and a reverb's estimate read 44% and 65% above its
 * measured cost in both tries of one CI run: a reverb's working set suffers from a neighbour far
 * more than the chain of gains it is measured against.
 */
const TIMED_ALONE_FILES = ["test/engine/node-cpu-units.test.ts"];

/**
 * The untimed files that need a module graph of their own: module mocks (vi.mock takes effect only
 * where the module is imported after it), and the allocation checks (code that other files' tests
 * have run with other types is compiled polymorphic by V8, and allocates where the audio thread's
 * monomorphic code does not). The other untimed files share their workers' modules (isolate: false),
 * which saves most of the time Vitest spends importing: on this machine 158 s of a standalone
 * "untimed" run became 104 s.
 */
const ISOLATED_FILES = [
  "test/components/player-base-url.test.ts",
  "test/components/realtime-engine-controller.test.ts",
  "test/hosts/assets/engine-assets.test.ts",
  "test/dataplane/allocation.test.ts",
  "test/engine/allocation.test.ts",
];

/**
 * Set by scripts/test-e2e.sh when "untimed" runs beside the browser tests at the idle scheduling
 * class: a test or hook may then wait minutes for a core, so only a hang counts as a failure. (Vitest's
 * --testTimeout and --hookTimeout do not reach the projects' own configs.)
 */
const besideBrowserTests = process.env.WEBDREAMER_VITEST_BESIDE === "1";

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: besideBrowserTests ? 600_000 : 60_000,
    hookTimeout: besideBrowserTests ? 600_000 : 10_000,
    // Vitest's default is one file at a time on two cores (CPUs - 1, leaving one to its main
    // process, which mostly waits): two keep both cores busy.
    maxWorkers: 2,
    // The CLI, built once for the test files that run it (test/cli/).
    globalSetup: ["test/support/build-cli-once.ts"],
    // `vitest run` runs them all; `npm test` runs "timed" and "timed-alone" first, "untimed*" later.
    projects: [
      // One retry: a check against the clock on a shared 2-core VM can lose to a neighbour's burst;
      // a defect fails both tries. A test that passed only on its retry is listed at the end of
      // `npm test` (scripts/test-summary.mjs), so a growing flake is seen, not hidden.
      { extends: true, test: { name: "timed", include: TIMED_FILES, retry: 1 } },
      {
        extends: true,
        test: {
          name: "timed-alone",
          include: TIMED_ALONE_FILES,
          retry: 1,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: "untimed",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...TIMED_FILES, ...TIMED_ALONE_FILES, ...ISOLATED_FILES],
          isolate: false,
          setupFiles: ["test/support/globals-left-behind.ts"],
        },
      },
      { extends: true, test: { name: "untimed-isolated", include: ISOLATED_FILES } },
    ],
  },
});
