#!/usr/bin/env bash
# One idempotent setup, run first by `npm start` and `npm test`:
#   1. system toolchain: Debian's emscripten (em++), chromium and redis-server (the render farm's
#      tests start their own), installed with apt-get when missing;
#   2. npm dependencies: `npm ci` when node_modules is missing or older than package-lock.json;
#   3. the engine: wasm/build.sh (skips itself when nothing changed);
#   4. the worklet bundle: scripts/build-worklet.mjs;
#   5. the package's bundles (dist/browser, dist/node with the CLI): scripts/build-package.mjs;
#      `npm pack` (prepack) adds the .d.ts files;
#   6. the runtime of graphs exported as WAM plugins: scripts/build-wam-runtime.mjs (dist/wam-runtime);
#   7. the Custom Elements Manifest of <webdreamer-player>: scripts/build-manifest.mjs (dist/custom-elements.json).
# A second run with nothing changed takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[setup] $*" >&2; }

missing=()
command -v em++ >/dev/null 2>&1 || missing+=(emscripten)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null 2>&1; then
    log "missing: ${missing[*]}. This machine has no apt-get: install Debian/Ubuntu's packages"
    log "'emscripten' (provides em++), 'chromium' (provides /usr/bin/chromium) and 'redis-server' with your package"
    log "manager, or run on Debian 12 / Ubuntu 24.04, then run this command again."
    exit 1
  fi
  sudo=()
  [[ $(id -u) == 0 ]] || sudo=(sudo)
  log "installing ${missing[*]} with apt-get (once)"
  # Another apt (an unattended upgrade, a parallel setup) holds the lock: wait for it, up to 10 minutes.
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

# When node_modules is missing or does not hold what package-lock.json pins, the install is stale.
if ! node scripts/lock-matches.mjs 2>/dev/null; then
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

log "engine: $(bash wasm/build.sh)"
node scripts/build-worklet.mjs >/dev/null
log "worklet: public/build/engine-processor.js"
node scripts/build-package.mjs >/dev/null
log "package: dist/browser, dist/node (CLI: dist/node/cli.mjs)"
node scripts/build-wam-runtime.mjs >/dev/null
log "WAM export runtime: dist/wam-runtime"
# An assignment, so a failed build stops setup (set -e ignores a failure inside log's argument).
manifest=$(node scripts/build-manifest.mjs)
log "manifest: $manifest"
