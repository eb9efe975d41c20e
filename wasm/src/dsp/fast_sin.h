// Sine from a 32-bit fixed-point phase, four samples at a time with WebAssembly SIMD.
//
// The phase is an unsigned 32-bit count of 2^-32 cycles: adding the increment wraps exactly, so the
// phase at sample i is p0 + i * inc whatever the block partition, and every block size renders the
// same samples (frequency resolution: sampleRate / 2^32, 1.1e-5 Hz at 48 kHz). Read as a signed
// integer it is the phase in [-0.5, 0.5) cycles.
//
// sin(2*pi*x) is an odd Taylor polynomial of degree 11 on a quarter period after folding with
// sin(pi - t) = sin(t): max error about 6e-8, under float rounding of the phase itself.
#pragma once

#include <cmath>
#include <cstdint>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#include "sample_sink.h"

namespace wd {

constexpr double kTwoPow32 = 4294967296.0;
constexpr float kTwoPowMinus32 = 2.3283064365386963e-10f;

// A phase in cycles (any real) as a fixed-point phase, rounded to the nearest step.
inline uint32_t phaseFromCycles(double cycles) {
  cycles -= std::floor(cycles);
  return static_cast<uint32_t>(static_cast<uint64_t>(std::llround(cycles * kTwoPow32)));
}

// Phase increment per sample for `frequency` Hz at `sampleRate`.
inline uint32_t phaseIncrement(double frequency, double sampleRate) {
  return phaseFromCycles(frequency / sampleRate);
}

// Phase in cycles as a double in [0, 1), for the waveforms computed in double precision.
inline double phaseToCycles(uint32_t phase) { return static_cast<double>(phase) * (1.0 / kTwoPow32); }

// The scalar twin of sineX4: the same float operations in the same order, so that a block's
// scalar tail matches what the vector loop would have produced bit for bit.
inline float sinFixed(uint32_t phase) {
  const float x = static_cast<float>(static_cast<int32_t>(phase)) * kTwoPowMinus32;
  const float a = std::fabs(x);
  const float folded = std::copysign(std::fmin(a, 0.5f - a), x);
  const float t = folded * 6.28318530717958647692f;
  const float t2 = t * t;
  float p = -2.505210838544172e-08f;
  p = p * t2 + 2.755731922398589e-06f;
  p = p * t2 - 1.984126984126984e-04f;
  p = p * t2 + 8.333333333333333e-03f;
  p = p * t2 - 1.666666666666667e-01f;
  p = p * t2 + 1.0f;
  return t * p;
}

// renderSine's loop into a sink (dsp/sample_sink.h); kScaled false leaves out the multiply by an
// amplitude of 1 (x * 1 is x).
template <bool kScaled, typename Sink>
inline void renderSineLoop(Sink into, int n, uint32_t& phase, uint32_t increment, float amplitude) {
  const Sink sink = into;  // a local copy (dsp/sample_sink.h)
  int i = 0;
#ifdef __wasm_simd128__
  v128_t phases = wasm_u32x4_make(phase, phase + increment, phase + 2 * increment, phase + 3 * increment);
  const v128_t step = wasm_i32x4_splat(static_cast<int32_t>(4 * increment));
  const v128_t scale = wasm_f32x4_splat(kTwoPowMinus32);
  const v128_t half = wasm_f32x4_splat(0.5f);
  const v128_t signMask = wasm_i32x4_splat(static_cast<int32_t>(0x80000000u));
  const v128_t twoPi = wasm_f32x4_splat(6.28318530717958647692f);
  const v128_t amp = wasm_f32x4_splat(amplitude);
  for (; i + 4 <= n; i += 4) {
    const v128_t x = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(phases), scale);
    const v128_t a = wasm_f32x4_abs(x);
    const v128_t m = wasm_f32x4_pmin(a, wasm_f32x4_sub(half, a));  // pmin: one x86 minps
    const v128_t folded = wasm_v128_or(m, wasm_v128_and(x, signMask));  // copysign
    const v128_t t = wasm_f32x4_mul(folded, twoPi);
    const v128_t t2 = wasm_f32x4_mul(t, t);
    v128_t p = wasm_f32x4_splat(-2.505210838544172e-08f);
    p = wasm_f32x4_add(wasm_f32x4_mul(p, t2), wasm_f32x4_splat(2.755731922398589e-06f));
    p = wasm_f32x4_sub(wasm_f32x4_mul(p, t2), wasm_f32x4_splat(1.984126984126984e-04f));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, t2), wasm_f32x4_splat(8.333333333333333e-03f));
    p = wasm_f32x4_sub(wasm_f32x4_mul(p, t2), wasm_f32x4_splat(1.666666666666667e-01f));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, t2), wasm_f32x4_splat(1.0f));
    const v128_t sine = wasm_f32x4_mul(t, p);
    sink.put4(i, kScaled ? wasm_f32x4_mul(sine, amp) : sine);
    phases = wasm_i32x4_add(phases, step);
  }
  phase += static_cast<uint32_t>(i) * increment;
#endif
  for (; i < n; ++i) {
    sink.put(i, kScaled ? sinFixed(phase) * amplitude : sinFixed(phase));
    phase += increment;
  }
}

// amplitude * sin(2*pi*phase_i) for i in [0, n) into a sink; advances `phase` by n * increment.
template <typename Sink>
inline void renderSineInto(Sink sink, int n, uint32_t& phase, uint32_t increment, float amplitude) {
  // An amplitude of 1 (a sine scaled downstream, as W1's) needs no multiply: the same samples.
  if (amplitude == 1.0f) {
    renderSineLoop<false>(sink, n, phase, increment, amplitude);
  } else {
    renderSineLoop<true>(sink, n, phase, increment, amplitude);
  }
}

// out[i] = amplitude * sin(2*pi*phase_i) for i in [0, n); advances `phase` by n * increment.
inline void renderSine(float* out, int n, uint32_t& phase, uint32_t increment, float amplitude) {
  renderSineInto(StoreSink{out}, n, phase, increment, amplitude);
}

}  // namespace wd
