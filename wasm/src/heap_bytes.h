// What the allocator (Emscripten's dlmalloc, 32-bit) takes for one block of `bytes`: the block and
// a 4-byte header, rounded up to 8 bytes, 16 at least. Memory estimates count each allocation this
// way, so a graph of many small blocks (node tables, short timelines) is counted as it is held.
#pragma once

#include <cstdint>

namespace wd {

inline uint64_t heapBytes(uint64_t bytes) {
  if (bytes == 0) return 0;
  const uint64_t chunk = (bytes + 4 + 7) & ~uint64_t{7};
  return chunk < 16 ? 16 : chunk;
}

}  // namespace wd
