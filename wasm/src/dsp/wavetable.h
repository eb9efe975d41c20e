// Band-limited (mip-mapped) wavetables for the saw, square, triangle and custom (PeriodicWave)
// oscillators.
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
// The saw and triangle tables (2.8 MiB) are built once per module instance (30 to 50 ms), on the
// control thread, by the first call of wavetables(): the engine's constructor makes it. A custom
// waveform's tables are built by its oscillator's prepare(). The audio thread only reads.
#pragma once

#include <cstdint>
#include <vector>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#include "sample_sink.h"

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

// A periodic waveform as its Fourier series, Web Audio's PeriodicWave convention:
// x(phase) = sum over k >= 1 of cosine[k] cos(2 pi k phase) + sine[k] sin(2 pi k phase). Index 0
// (DC) is ignored, as Web Audio ignores real[0] and imag[0]; the two have the same length.
struct FourierSeries {
  std::vector<double> cosine;
  std::vector<double> sine;

  // The shapes OscillatorNode plays (Web Audio's phase and sign), harmonics 1 .. length - 1: the
  // saw is 0 at phase 0 rising to 1 at half a cycle, then from -1 back to 0; the square is +1 on
  // the first half cycle; the triangle is 0 at phase 0 rising to 1 at a quarter cycle.
  enum class Shape { kSaw, kSquare, kTriangle };
  static FourierSeries ideal(Shape shape, int length);
  // The highest harmonic the series has room for: length - 1 (0 for none).
  int highestHarmonic() const { return sine.empty() ? 0 : static_cast<int>(sine.size()) - 1; }
};

// A custom waveform's harmonics above this are dropped (Web Audio drops those above half its table
// length, 1024 to 8192 by sample rate): 2048 keep every harmonic below Nyquist for tones down to
// 11.7 Hz at 48 kHz.
constexpr int kMaxCustomHarmonics = 2048;

// The levels of one waveform, fewest harmonics first.
class WavetableSet {
 public:
  // Levels up to min(highest harmonic, maxHarmonics), zero coefficients included: the memory
  // follows the series' length alone, so it can be planned without the coefficients.
  WavetableSet(const FourierSeries& series, int maxHarmonics);

  // Heap bytes a set of levels up to `harmonics` takes (planPrepare of a custom oscillator).
  static uint64_t bytesFor(int harmonics);

  // The levels for a phase increment (see the top of this file). Above Nyquist (no harmonic fits)
  // it is the single-harmonic level: the tone aliases, as a sine's would.
  WavetableMix mixFor(uint32_t increment) const;

 private:
  std::vector<WavetableLevel> levels_;
};

// OscillatorNode's table length at a sample rate (Chromium: 2048 up to 24 kHz, 4096 up to 88.2 kHz,
// 16384 above). It sets Web Audio's phase arithmetic and its normalisation, so both follow it.
int webAudioTableSize(double sampleRate);

// Web Audio's normalisation of a PeriodicWave: 1 / the peak of the waveform sampled at `tableSize`
// points with harmonics 1 .. min(length, tableSize / 2) - 1, as OscillatorNode computes it (the
// saw's and square's Gibbs overshoot included); 1 for a silent series.
double webAudioNormalization(const FourierSeries& series, int tableSize);

struct Wavetables {
  Wavetables();
  WavetableSet saw;  // the square is built from two reads of it
  WavetableSet triangle;
  // webAudioNormalization of the ideal saw, square and triangle (harmonics 1 .. N/2 - 1) for N =
  // 2048, 4096 and 16384: what OscillatorNode scales its built-in waveforms by.
  double sawNormalization[3];
  double squareNormalization[3];
  double triangleNormalization[3];
  // The three above for a sample rate (webAudioTableSize).
  double normalization(FourierSeries::Shape shape, double sampleRate) const;
};

// The process-wide tables, built on the first call (control thread only).
const Wavetables& wavetables();

// A level's table and the constants of reading it, taken into locals once per block: read through
// the level itself, the compiler reloaded them (and redid a division) for every four samples, as the
// stores to the output might have changed them.
struct LevelReader {
  explicit LevelReader(const WavetableLevel& level)
      : pairs(level.pairs.data()),
        shift(level.shift),
        fracMask((1u << level.shift) - 1u),
        fracScale(1.0f / static_cast<float>(1u << level.shift)) {}

  // One linearly interpolated read at a fixed-point phase.
  float read(uint32_t phase) const {
    const float* pair = pairs + 2 * (phase >> shift);
    const float frac = static_cast<float>(static_cast<int32_t>(phase & fracMask)) * fracScale;
    return pair[0] + frac * pair[1];
  }

#ifdef __wasm_simd128__
  // read() at phases p, p + inc, p + 2 inc, p + 3 inc (`phases` holds them as a vector): the same
  // float operations lane by lane (WebAssembly has no fused multiply-add to change them), so a
  // block's scalar tail matches what this would give. The table indices come from scalar arithmetic
  // rather than from extracting the vector's lanes.
  v128_t readX4(uint32_t p, uint32_t inc, v128_t phases) const {
    v128_t lo = wasm_v128_load64_zero(pairs + 2 * (p >> shift));
    lo = wasm_v128_load64_lane(pairs + 2 * ((p + inc) >> shift), lo, 1);
    v128_t hi = wasm_v128_load64_zero(pairs + 2 * ((p + 2 * inc) >> shift));
    hi = wasm_v128_load64_lane(pairs + 2 * ((p + 3 * inc) >> shift), hi, 1);
    const v128_t value = wasm_i32x4_shuffle(lo, hi, 0, 2, 4, 6);
    const v128_t slope = wasm_i32x4_shuffle(lo, hi, 1, 3, 5, 7);
    const v128_t frac = wasm_f32x4_mul(
        wasm_f32x4_convert_i32x4(wasm_v128_and(phases, wasm_i32x4_splat(static_cast<int32_t>(fracMask)))),
        wasm_f32x4_splat(fracScale));
    return wasm_f32x4_add(value, wasm_f32x4_mul(frac, slope));
  }
#endif

  const float* pairs;
  int shift;
  uint32_t fracMask;
  float fracScale;
};

// The saw and the triangle read one table; the square (kSquare) is saw(phase) - saw(phase + 1/2),
// whose even harmonics cancel and odd ones double: the square's series (4 / (pi k)), +1 on the first
// half cycle.
enum class TableShape { kDirect, kSquare };

template <TableShape shape>
inline float readShape(const LevelReader& level, uint32_t phase) {
  if (shape == TableShape::kSquare) return level.read(phase) - level.read(phase + 0x80000000u);
  return level.read(phase);
}

#ifdef __wasm_simd128__
template <TableShape shape>
inline v128_t readShapeX4(const LevelReader& level, uint32_t p, uint32_t inc, v128_t phases) {
  if (shape == TableShape::kSquare) {
    const v128_t half = wasm_i32x4_add(phases, wasm_i32x4_splat(static_cast<int32_t>(0x80000000u)));
    return wasm_f32x4_sub(level.readX4(p, inc, phases), level.readX4(p + 0x80000000u, inc, half));
  }
  return level.readX4(p, inc, phases);
}
#endif

// renderWavetable's loop into a sink (dsp/sample_sink.h); kScaled false leaves out the multiply by
// an amplitude of 1.
template <TableShape shape, bool kScaled, typename Sink>
inline void renderWavetableLoop(const WavetableMix& mix, Sink into, int n, uint32_t& phase,
                                uint32_t increment, float amplitude) {
  const Sink sink = into;  // a local copy (dsp/sample_sink.h)
  const bool fading = mix.weight < 1.0f;
  const LevelReader lower(*mix.lower);
  const LevelReader upper(*mix.upper);
  const float w = mix.weight;
  uint32_t p = phase;
  int i = 0;
#ifdef __wasm_simd128__
  v128_t phases = wasm_u32x4_make(p, p + increment, p + 2 * increment, p + 3 * increment);
  const v128_t step = wasm_i32x4_splat(static_cast<int32_t>(4 * increment));
  const v128_t amp = wasm_f32x4_splat(amplitude);
  const v128_t weight = wasm_f32x4_splat(w);
  for (; i + 4 <= n; i += 4, p += 4 * increment) {
    v128_t v = readShapeX4<shape>(upper, p, increment, phases);
    if (fading) {
      const v128_t a = readShapeX4<shape>(lower, p, increment, phases);
      v = wasm_f32x4_add(a, wasm_f32x4_mul(weight, wasm_f32x4_sub(v, a)));
    }
    sink.put4(i, kScaled ? wasm_f32x4_mul(amp, v) : v);
    phases = wasm_i32x4_add(phases, step);
  }
#endif
  for (; i < n; ++i, p += increment) {
    float v = readShape<shape>(upper, p);
    if (fading) {
      const float a = readShape<shape>(lower, p);
      v = a + w * (v - a);
    }
    sink.put(i, kScaled ? amplitude * v : v);
  }
  phase = p;
}

// amplitude * mix(phase_i) for i in [0, n) into a sink; advances `phase`. Every sample depends only
// on its own phase, so the output is the same for any block partition. An amplitude of 1 (a voice
// scaled downstream, as W2's saws) skips the multiply: 1 * v is v, the same samples.
template <TableShape shape, typename Sink>
inline void renderWavetableInto(const WavetableMix& mix, Sink sink, int n, uint32_t& phase,
                                uint32_t increment, float amplitude) {
  if (amplitude == 1.0f) {
    renderWavetableLoop<shape, false>(mix, sink, n, phase, increment, amplitude);
  } else {
    renderWavetableLoop<shape, true>(mix, sink, n, phase, increment, amplitude);
  }
}

// out[i] = amplitude * mix(phase_i) for i in [0, n); advances `phase`.
template <TableShape shape>
inline void renderWavetable(const WavetableMix& mix, float* out, int n, uint32_t& phase, uint32_t increment,
                            float amplitude) {
  renderWavetableInto<shape>(mix, StoreSink{out}, n, phase, increment, amplitude);
}

}  // namespace wd
