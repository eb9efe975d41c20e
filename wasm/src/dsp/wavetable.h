// Band-limited (mip-mapped) wavetables for the saw, square and triangle oscillators.
//
// One table per "level": level j holds harmonics 1..K_j of the ideal Fourier series, K_j growing by
// at most 2^(1/3) from one level to the next (by one up to 8). A tone whose phase advances
// `increment` per sample may carry the harmonics below Nyquist, k < A = 2^31 / increment. It plays
// level j, the last with K_j < A, faded into level j - 1 while A < 1.02 K_j: harmonics fade in from 0
// as they come down from Nyquist instead of switching on, so a frequency sweep never steps the
// waveform (a step splatters far below Nyquist: -49 dB in a saw sweep when levels were switched).
// Nothing folds back, every harmonic below 0.389 fs (17.2 kHz at 44.1 kHz) has its full amplitude,
// and the level depends only on the increment, so one set of tables serves every sample rate.
//
// Tables are read with linear interpolation from the 32-bit fixed-point phase (fast_sin.h). Linear
// interpolation scales harmonic k by sinc^2(k/N) and adds images of it near multiples of N; the
// tables are built with harmonic k pre-divided by sinc^2(k/N), so the interpolated waveform has the
// exact Fourier amplitudes, and they are sized N >= 16 K (4096 at least) to keep the images (the only
// non-harmonic content) about 80 dB down. Measured in test/engine/oscillator-spectrum.test.ts.
//
// The tables (2.8 MiB) are built once per module instance (30 to 50 ms), on the control thread, by
// the first call of wavetables(): the engine's constructor makes it. The audio thread only reads.
#pragma once

#include <cstdint>
#include <vector>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace wd {

// One band-limited table of `size` (a power of two) samples of one cycle, stored as pairs
// (x[i], x[i + 1] - x[i]), wrapping at the end: one 8-byte load gives everything linear interpolation
// needs, which halves the loads (WebAssembly SIMD has no gather; every lane is loaded on its own).
struct WavetableLevel {
  std::vector<float> pairs;
  int harmonics = 0;
  int shift = 0;  // 32 - log2(size): the phase's integer index is phase >> shift
};

// What a tone plays: `upper`, faded into `lower` as out = lower + weight * (upper - lower).
struct WavetableMix {
  const WavetableLevel* lower;
  const WavetableLevel* upper;
  float weight;  // 1: `upper` alone
};

// The levels of one waveform, fewest harmonics first.
class WavetableSet {
 public:
  enum Shape { kSaw, kTriangle };
  explicit WavetableSet(Shape shape);

  // The levels for a phase increment (see the top of this file). Above Nyquist (no harmonic fits)
  // it is the single-harmonic level: the tone aliases, as a sine's would.
  WavetableMix mixFor(uint32_t increment) const;

 private:
  std::vector<WavetableLevel> levels_;
};

struct Wavetables {
  WavetableSet saw{WavetableSet::kSaw};  // rising from -1 to 1; the square is built from two reads
  WavetableSet triangle{WavetableSet::kTriangle};
};

// The process-wide tables, built on the first call (control thread only).
const Wavetables& wavetables();

// One linearly interpolated read of a level at a fixed-point phase.
inline float readLevel(const WavetableLevel& level, uint32_t phase) {
  const float* pair = level.pairs.data() + 2 * (phase >> level.shift);
  const float frac = static_cast<float>(static_cast<int32_t>(phase & ((1u << level.shift) - 1u))) *
                     (1.0f / static_cast<float>(1u << level.shift));
  return pair[0] + frac * pair[1];
}

// The saw and the triangle read one table; the square (kSquare) is saw(phase + 1/2) - saw(phase),
// whose even harmonics cancel and odd ones double: the square's series (4 / (pi k)), +1 on the first
// half cycle.
enum class TableShape { kDirect, kSquare };

template <TableShape shape>
inline float readShape(const WavetableLevel& level, uint32_t phase) {
  if (shape == TableShape::kSquare) return readLevel(level, phase + 0x80000000u) - readLevel(level, phase);
  return readLevel(level, phase);
}

#ifdef __wasm_simd128__
// readLevel at phases p, p + inc, p + 2 inc, p + 3 inc (`phases` holds them as a vector): the same
// float operations lane by lane (WebAssembly has no fused multiply-add to change them), so a
// block's scalar tail matches what this would give. The table indices come from scalar arithmetic,
// not lane extraction: the loads' lane inserts and shuffles already compete for one port on x86.
inline v128_t readLevelX4(const WavetableLevel& level, uint32_t p, uint32_t inc, v128_t phases) {
  const float* t = level.pairs.data();
  const int shift = level.shift;
  v128_t lo = wasm_v128_load64_zero(t + 2 * (p >> shift));
  lo = wasm_v128_load64_lane(t + 2 * ((p + inc) >> shift), lo, 1);
  v128_t hi = wasm_v128_load64_zero(t + 2 * ((p + 2 * inc) >> shift));
  hi = wasm_v128_load64_lane(t + 2 * ((p + 3 * inc) >> shift), hi, 1);
  const v128_t value = wasm_i32x4_shuffle(lo, hi, 0, 2, 4, 6);
  const v128_t slope = wasm_i32x4_shuffle(lo, hi, 1, 3, 5, 7);
  const v128_t fracBits = wasm_v128_and(phases, wasm_i32x4_splat(static_cast<int32_t>((1u << shift) - 1u)));
  const v128_t frac =
      wasm_f32x4_mul(wasm_f32x4_convert_i32x4(fracBits), wasm_f32x4_splat(1.0f / static_cast<float>(1u << shift)));
  return wasm_f32x4_add(value, wasm_f32x4_mul(frac, slope));
}

template <TableShape shape>
inline v128_t readShapeX4(const WavetableLevel& level, uint32_t p, uint32_t inc, v128_t phases) {
  if (shape == TableShape::kSquare) {
    const v128_t half = wasm_i32x4_add(phases, wasm_i32x4_splat(static_cast<int32_t>(0x80000000u)));
    return wasm_f32x4_sub(readLevelX4(level, p + 0x80000000u, inc, half), readLevelX4(level, p, inc, phases));
  }
  return readLevelX4(level, p, inc, phases);
}
#endif

// out[i] = amplitude * mix(phase_i) for i in [0, n); advances `phase`. Every sample depends only on
// its own phase, so the output is the same for any block partition.
template <TableShape shape>
inline void renderWavetable(const WavetableMix& mix, float* out, int n, uint32_t& phase, uint32_t increment,
                            float amplitude) {
  const bool fading = mix.weight < 1.0f;
  const WavetableLevel& lower = *mix.lower;
  const WavetableLevel& upper = *mix.upper;
  const float w = mix.weight;
  int i = 0;
#ifdef __wasm_simd128__
  v128_t phases = wasm_u32x4_make(phase, phase + increment, phase + 2 * increment, phase + 3 * increment);
  const v128_t step = wasm_i32x4_splat(static_cast<int32_t>(4 * increment));
  const v128_t amp = wasm_f32x4_splat(amplitude);
  const v128_t weight = wasm_f32x4_splat(w);
  for (; i + 4 <= n; i += 4, phase += 4 * increment) {
    v128_t v = readShapeX4<shape>(upper, phase, increment, phases);
    if (fading) {
      const v128_t a = readShapeX4<shape>(lower, phase, increment, phases);
      v = wasm_f32x4_add(a, wasm_f32x4_mul(weight, wasm_f32x4_sub(v, a)));
    }
    wasm_v128_store(out + i, wasm_f32x4_mul(amp, v));
    phases = wasm_i32x4_add(phases, step);
  }
#endif
  for (; i < n; ++i, phase += increment) {
    float v = readShape<shape>(upper, phase);
    if (fading) {
      const float a = readShape<shape>(lower, phase);
      v = a + w * (v - a);
    }
    out[i] = amplitude * v;
  }
}

}  // namespace wd
