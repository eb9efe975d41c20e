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
flags=(-std=c++17 -O3 -msimd128 -fno-exceptions -fno-rtti -Wall -Wextra -Werror
  --no-entry -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1048576 -sTOTAL_STACK=262144
  -sEXPORTED_FUNCTIONS="[$exports]" -sERROR_ON_UNDEFINED_SYMBOLS=1)

stamp="$out/engine.wasm.stamp"
digest=$( { em++ --version | head -1; echo "${flags[*]}"; cat "$0"; find "$here/src" -type f | sort | xargs cat; } \
  | sha256sum | cut -d' ' -f1)
if [[ -f "$out/engine.wasm" && -f "$stamp" && "$(cat "$stamp")" == "$digest" ]]; then
  echo "engine.wasm is up to date"
  exit 0
fi

echo "building engine.wasm with $(em++ --version | head -1)"
# shellcheck disable=SC2086
em++ "${flags[@]}" $sources -o "$out/engine.wasm"
echo "$digest" > "$stamp"
ls -l "$out/engine.wasm" | awk '{print "engine.wasm: " $5 " bytes"}'
