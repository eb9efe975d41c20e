#!/usr/bin/env bash
# The browser tests in two phases (playwright.config.ts): the project "parallel" two spec files at a
# time, then the project "serial" alone, so its real-time checks never share the cores with another
# test. Both phases run even when the first fails; the exit status is non-zero if either failed.
# Arguments go to both phases: `npm run test:e2e -- e2e/demo.spec.ts` runs that file's tests in the
# phase they belong to.
# The pages are built first (scripts/build-e2e-pages.mjs, skipped when nothing changed), once for both
# phases; Playwright's web server would build them too, inside its start-up timeout.
set -u
cd "$(dirname "$0")/.."
node scripts/build-e2e-pages.mjs || exit 1
npx playwright test --project=parallel --pass-with-no-tests "$@"
parallel=$?
npx playwright test --project=serial --pass-with-no-tests "$@"
serial=$?
exit $((parallel || serial))
