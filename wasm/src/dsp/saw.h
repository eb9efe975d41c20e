// Band-limited sawtooth from a 32-bit fixed-point phase (see fast_sin.h): a naive ramp rendered
// four samples at a time, then a PolyBLEP correction (Valimaki & Huovilainen) on the two samples
// around each wrap of the phase. Every sample depends only on its own phase, so the output is the
// same for any block partition.
#pragma once

#include <cstdint>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace wd {

// out[i] = amplitude * saw(phase_i), rising from -1 to 1 over a cycle; advances `phase`.
inline void renderSaw(float* out, int n, uint32_t& phase, uint32_t increment, float amplitude) {
  constexpr float kScale = 2.0f / 4294967296.0f;  // phase steps to [0, 2)
  const uint32_t start = phase;
  int i = 0;
#ifdef __wasm_simd128__
  v128_t phases = wasm_u32x4_make(start, start + increment, start + 2 * increment, start + 3 * increment);
  const v128_t step = wasm_i32x4_splat(static_cast<int32_t>(4 * increment));
  const v128_t scale = wasm_f32x4_splat(kScale);
  const v128_t one = wasm_f32x4_splat(1.0f);
  const v128_t amp = wasm_f32x4_splat(amplitude);
  for (; i + 4 <= n; i += 4) {
    const v128_t ramp = wasm_f32x4_sub(wasm_f32x4_mul(wasm_f32x4_convert_u32x4(phases), scale), one);
    wasm_v128_store(out + i, wasm_f32x4_mul(ramp, amp));
    phases = wasm_i32x4_add(phases, step);
  }
#endif
  for (; i < n; ++i) {
    const uint32_t p = start + static_cast<uint32_t>(i) * increment;
    out[i] = (static_cast<float>(p) * kScale - 1.0f) * amplitude;
  }
  phase = start + static_cast<uint32_t>(n) * increment;
  if (increment == 0 || increment > 0x80000000u) return;  // no wraps, or above Nyquist: leave naive

  // Sample k is the first after a wrap when its phase < increment; the sample before it is the last
  // before the wrap. Visit each wrap whose two samples touch [0, n), including k == n (its
  // previous sample is the block's last; k == 0's previous sample was fixed by the previous block).
  const double dt = static_cast<double>(increment);
  const uint64_t first = start < increment ? 0 : (0x100000000ull - start + increment - 1) / increment;
  for (uint64_t k = first; k <= static_cast<uint64_t>(n);) {
    const uint32_t after = start + static_cast<uint32_t>(k) * increment;  // phase at sample k
    const double t = static_cast<double>(after) / dt;                      // in [0, 1)
    if (k < static_cast<uint64_t>(n)) out[k] -= static_cast<float>(t + t - t * t - 1.0) * amplitude;
    if (k >= 1) {  // k == 0: that sample was the previous block's last, fixed there
      const double s = t - 1.0;  // the previous sample's distance to the wrap, in (-1, 0]
      out[k - 1] -= static_cast<float>(s * s + s + s + 1.0) * amplitude;
    }
    k += (0x100000000ull - after + increment - 1) / increment;
  }
}

}  // namespace wd
