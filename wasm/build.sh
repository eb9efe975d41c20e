#!/usr/bin/env bash
# Builds the engine: wasm/src/**/*.cpp -> public/build/engine.wasm, a standalone module with no
# Emscripten JS glue (its only import is wasi_snapshot_preview1.proc_exit), so one TypeScript loader
# instantiates it synchronously in an AudioWorklet, a Worker and Node.
#
# Skips the build when the sources, this script and the compiler are unchanged (stamp file).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$root/public/build"
mkdir -p "$out"

sources=$(find "$here/src" -name '*.cpp' | sort)
exports=$(grep -ho '^[a-zA-Z_][a-zA-Z0-9_:* ]* \*\?\(wd_[a-z0-9_]*\)(' "$here/src/abi.cpp" \
  | grep -o 'wd_[a-z0-9_]*' | sort -u | sed 's/^/"_/; s/$/"/' | paste -sd, -)
# The memory's maximum: 2 GiB (Emscripten's default, stated because hosts rely on it:
# LIMITS.engineMemoryBytes). Above 2 GiB, addresses the engine returns would read as negative 32-bit
# numbers in JavaScript. The engine is told it too (WD_MEMORY_MAXIMUM): a standalone module cannot
# ask for its own maximum.
maximum_memory=2147483648
flags=(-std=c++17 -O3 -msimd128 -fno-exceptions -fno-rtti -Wall -Wextra -Werror
  --no-entry -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1048576 -sTOTAL_STACK=262144
  -sMAXIMUM_MEMORY=$maximum_memory -DWD_MEMORY_MAXIMUM=$maximum_memory
  -sEXPORTED_FUNCTIONS="[$exports]"
  # The external-node hooks (processors/external.h) are imports by design; every other undefined
  # symbol is caught by the import check below.
  -sERROR_ON_UNDEFINED_SYMBOLS=0)

# The bench's hand-written kernels (wasm/bench/kernels.cpp, docs/performance.md): a small separate
# module, never shipped, rebuilt when it or the engine's DSP headers it includes change.
kernel_flags=(-std=c++17 -O3 -msimd128 -fno-exceptions -fno-rtti -Wall -Wextra -Werror
  --no-entry -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16777216)
kernel_sources=("$here/bench/kernels.cpp" "$here/src/dsp/wavetable.cpp")
kernel_stamp="$out/bench-kernels.wasm.stamp"
kernel_digest=$( { em++ --version | head -1; echo "${kernel_flags[*]}"; cat "$0" "${kernel_sources[@]}" "$here"/src/dsp/*.h; } \
  | sha256sum | cut -d' ' -f1)
if [[ ! -f "$out/bench-kernels.wasm" || ! -f "$kernel_stamp" || "$(cat "$kernel_stamp")" != "$kernel_digest" ]]; then
  em++ "${kernel_flags[@]}" "${kernel_sources[@]}" -o "$out/bench-kernels.wasm" >&2
  echo "$kernel_digest" > "$kernel_stamp"
fi

stamp="$out/engine.wasm.stamp"
digest=$( { em++ --version | head -1; echo "${flags[*]}"; cat "$0"; find "$here/src" -type f | sort | xargs cat; } \
  | sha256sum | cut -d' ' -f1)
if [[ -f "$out/engine.wasm" && -f "$stamp" && "$(cat "$stamp")" == "$digest" ]]; then
  echo "engine.wasm is up to date"
  exit 0
fi

echo "building engine.wasm with $(em++ --version | head -1)"
# shellcheck disable=SC2086
em++ "${flags[@]}" $sources -o "$out/engine.wasm" 2>&1 | { grep -v "undefined symbol: external_" || true; } >&2
# The loader provides exactly these imports; anything else is a link error that slipped through.
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  const allowed = new Set(["wasi_snapshot_preview1.proc_exit", "env.emscripten_notify_memory_growth",
    "webdreamer.external_prepare", "webdreamer.external_reset", "webdreamer.external_param",
    "webdreamer.external_midi", "webdreamer.external_process"]);
  const module = new WebAssembly.Module(readFileSync(process.argv[1]));
  const unexpected = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`).filter((n) => !allowed.has(n));
  if (unexpected.length) { console.error(`engine.wasm has undefined symbols: ${unexpected.join(", ")}`); process.exit(1); }
' "$out/engine.wasm" || { rm -f "$out/engine.wasm"; exit 1; }
echo "$digest" > "$stamp"
ls -l "$out/engine.wasm" | awk '{print "engine.wasm: " $5 " bytes"}'
