#!/usr/bin/env bash
# The browser tests in two phases (playwright.config.ts): the project "parallel" two spec files at a
# time, then the project "serial" alone, so its real-time checks never share the cores with another
# test. Every phase runs even when another failed; the exit status is non-zero if any failed.
# Arguments go to both phases: `npm run test:e2e -- e2e/demo.spec.ts` runs that file's tests in the
# phase they belong to.
# The pages are built first (scripts/build-e2e-pages.mjs, skipped when nothing changed), once for both
# phases; Playwright's web server would build them too, inside its start-up timeout.
#
# --with-node-tests (what `npm test` passes) also runs the Node tests (Vitest) beside the "serial"
# phase, at the idle scheduling class (`chrt --idle 0`). The serial specs play audio in real time and
# wait on it, so they leave some of the cores idle, and an idle-class process only runs on a core no
# other process wants: whenever a serial spec's audio thread, main thread or renderer wakes, it takes
# its core back at once, so the real-time checks see the machine as their own. On the 2-core CI
# machine Vitest ran 69 of its 195 files beside the serial phase and finished 106 s after it, and the
# whole suite took 1152 s where running them one after the other took 1270 s. Not beside "parallel":
# there both cores are busy and an idle-class Vitest would be starved into its timeouts (it was, in a
# trial). Vitest's report is printed when it ends.
set -u
cd "$(dirname "$0")/.."
node_tests=0
if [ "${1:-}" = "--with-node-tests" ]; then
  node_tests=1
  shift
fi
node scripts/build-e2e-pages.mjs || exit 1

npx playwright test --project=parallel --pass-with-no-tests "$@"
parallel=$?

vitest=0
if [ "$node_tests" = 1 ]; then
  vitest_log=$(mktemp)
  trap 'rm -f "$vitest_log"' EXIT
  # In a session of its own (setsid) whose autogroup is niced to 19: with the kernel's autogroups on,
  # CPU is shared between sessions first, and Playwright starts each Chromium in a session of its
  # own, so the idle class alone would only rank Vitest below the processes of its own session.
  setsid --wait bash -c 'echo 19 >/proc/self/autogroup 2>/dev/null; exec chrt --idle 0 npx vitest run' \
    >"$vitest_log" 2>&1 &
  vitest_pid=$!
fi
npx playwright test --project=serial --pass-with-no-tests "$@"
serial=$?
if [ "$node_tests" = 1 ]; then
  wait "$vitest_pid"
  vitest=$?
  cat "$vitest_log"
  echo "[test] exit status: Playwright parallel $parallel, Playwright serial $serial, Vitest $vitest"
fi
exit $((parallel || serial || vitest))
