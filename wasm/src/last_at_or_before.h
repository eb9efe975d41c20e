// A binary search shared by the sorted lists the audio thread looks up (the tempo map's pieces, a
// warped clip's clips, warp markers and segments): no allocation, no iterator types to adapt.
#pragma once

#include <cstddef>

namespace wd {

// The index of the last of `count` (>= 1) entries whose key(index) is at or before x, in a list
// sorted by key; 0 when x is before them all.
template <typename Value, typename Key>
inline size_t lastAtOrBefore(size_t count, const Value& x, Key key) {
  size_t lo = 0, hi = count;
  while (hi - lo > 1) {
    const size_t mid = (lo + hi) / 2;
    if (key(mid) <= x) lo = mid; else hi = mid;
  }
  return lo;
}

}  // namespace wd
