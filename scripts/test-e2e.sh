#!/usr/bin/env bash
# The browser tests in two phases (playwright.config.ts): the project "parallel" two spec files at a
# time, then the project "serial" alone, so its real-time checks never share the cores with another
# test. Every phase runs even when another failed; the exit status is non-zero if any failed.
# Arguments go to both phases: `npm run test:e2e -- e2e/demo.spec.ts` runs that file's tests in the
# phase they belong to.
# The pages are built first (scripts/build-e2e-pages.mjs, skipped when nothing changed), once for both
# phases; Playwright's web server would build them too, inside its start-up timeout.
#
# --with-node-tests (what `npm test` passes) runs the Node tests (Vitest) too, in its projects
# (vitest.config.ts): "timed", whose checks read the clock or the CPU, first and alone (then
# "timed-alone", whose files compare two cost measurements, one file at a time); "untimed" and
# "untimed-isolated" beside the "serial" phase at the idle scheduling class (`chrt --idle 0`), and
# with them the type check of `npm run lint` (scripts/typecheck.mjs: 30 s of one core that used to
# come before everything; `npm test` runs lint's other half, biome, first). The serial specs play
# audio in real time and wait on it, so they leave the cores idle much of the time, and an idle-class
# process only runs on a core no other process wants: whenever a serial spec's audio thread, main
# thread or renderer wakes, it takes its core back at once, so the real-time checks see the machine
# as their own. A starved "untimed" file only waits; its hang guards are long enough for that, and
# its tests and hooks get 10 minutes each (WEBDREAMER_VITEST_BESIDE, vitest.config.ts). Not beside
# "parallel": there both cores are busy. What it buys is small on this machine: on a fresh clone the
# untimed files ran 475 s beside the serial phase and 90 s after it, and the serial phase took 384 s
# instead of 318 s (why is not measured: the processes share caches and memory bandwidth, and the
# VM's two vCPUs may share a physical core underneath); the whole suite took 1110 s, where Vitest
# first had taken 1277 s.
set -u
cd "$(dirname "$0")/.."
node_tests=0
if [ "${1:-}" = "--with-node-tests" ]; then
  node_tests=1
  shift
fi
node scripts/build-e2e-pages.mjs || exit 1

# Each phase also writes a JSON report; scripts/test-summary.mjs prints their failures and retries
# last, so the tail of the output (all a CI page may show) says what failed.
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
vitest_json() { echo "--reporter=default --reporter=json --outputFile.json=$reports/$1.json"; }
playwright() {
  local project=$1
  shift
  PLAYWRIGHT_JSON_OUTPUT_FILE="$reports/$project.json" \
    npx playwright test --project="$project" --reporter=list,json --pass-with-no-tests "$@"
}

timed=0
if [ "$node_tests" = 1 ]; then
  # shellcheck disable=SC2046 # the reporter options are separate words
  npx vitest run --project timed --project timed-alone $(vitest_json timed)
  timed=$?
fi

playwright parallel "$@"
parallel=$?

untimed=0
if [ "$node_tests" = 1 ]; then
  vitest_log="$reports/untimed.log"
  # In a session of its own (setsid) whose autogroup is niced to 19: with the kernel's autogroups on,
  # CPU is shared between sessions first, and Playwright starts each Chromium in a session of its
  # own, so the idle class alone would only rank Vitest below the processes of its own session.
  setsid --wait bash -c 'echo 19 >/proc/self/autogroup 2>/dev/null; WEBDREAMER_VITEST_BESIDE=1 exec chrt --idle 0 npx vitest run --project untimed --project untimed-isolated '"$(vitest_json untimed)" \
    >"$vitest_log" 2>&1 &
  vitest_pid=$!
  typecheck_log="$reports/typecheck.log"
  setsid --wait bash -c 'echo 19 >/proc/self/autogroup 2>/dev/null; exec chrt --idle 0 node scripts/typecheck.mjs' \
    >"$typecheck_log" 2>&1 &
  typecheck_pid=$!
fi
playwright serial "$@"
serial=$?
typecheck=0
if [ "$node_tests" = 1 ]; then
  wait "$vitest_pid"
  untimed=$?
  cat "$vitest_log"
  wait "$typecheck_pid"
  typecheck=$?
  cat "$typecheck_log"
fi
summary=("Playwright parallel=$reports/parallel.json" "Playwright serial=$reports/serial.json")
if [ "$node_tests" = 1 ]; then
  summary=("Vitest timed=$reports/timed.json" "${summary[@]}" "Vitest untimed=$reports/untimed.json")
fi
node scripts/test-summary.mjs "${summary[@]}"
if [ "$node_tests" = 1 ]; then
  if [ "$typecheck" != 0 ]; then
    echo "[test] type check (scripts/typecheck.mjs) failed:"
    grep -E "error TS|: error" "$typecheck_log" | head -20
  fi
  echo "[test] exit status: Vitest timed $timed, Playwright parallel $parallel, Playwright serial $serial, Vitest untimed $untimed, type check $typecheck"
else
  echo "[test] exit status: Playwright parallel $parallel, Playwright serial $serial"
fi
exit $((timed || parallel || serial || untimed || typecheck))
