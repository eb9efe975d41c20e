// Non-finite samples (NaN, +Inf, -Inf): found and replaced where audio leaves the graph, and kept
// out of processor state, at block granularity (docs/reliability.md, "Non-finite audio").
//
// Every loop here is branch-free over the samples, so clang vectorises it with SIMD128 (f32x4.abs,
// f32x4.le, v128.bitselect): copying with copyFinite costs about what the memcpy it replaces did.
#pragma once

#include <cmath>
#include <limits>

namespace wd {

// True for every float but NaN and ±Inf (NaN compares false, and |±Inf| is above the largest float).
inline bool isFiniteSample(float v) { return std::fabs(v) <= std::numeric_limits<float>::max(); }
inline bool isFiniteState(double v) { return std::fabs(v) <= std::numeric_limits<double>::max(); }

// Copies n samples, writing 0 in place of each non-finite one; returns how many it replaced.
inline int copyFinite(float* __restrict dst, const float* __restrict src, int n) {
  int replaced = 0;
  for (int i = 0; i < n; ++i) {
    const float v = src[i];
    const bool finite = isFiniteSample(v);
    dst[i] = finite ? v : 0.0f;
    replaced += finite ? 0 : 1;
  }
  return replaced;
}

// Writes 0 in place of each non-finite sample of data[0..n); returns how many it replaced.
inline int zeroNonFinite(float* data, int n) {
  int replaced = 0;
  for (int i = 0; i < n; ++i) {
    const float v = data[i];
    const bool finite = isFiniteSample(v);
    data[i] = finite ? v : 0.0f;
    replaced += finite ? 0 : 1;
  }
  return replaced;
}

// Whether data[0..n) holds a non-finite sample.
inline bool anyNonFinite(const float* data, int n) {
  int found = 0;
  for (int i = 0; i < n; ++i) found |= isFiniteSample(data[i]) ? 0 : 1;
  return found != 0;
}

// The index of the first non-finite sample of data[0..n), or -1 (only asked once one was found).
inline int firstNonFinite(const float* data, int n) {
  for (int i = 0; i < n; ++i) {
    if (!isFiniteSample(data[i])) return i;
  }
  return -1;
}

}  // namespace wd
