// Band-limited (mip-mapped) wavetables for the saw, square and triangle oscillators.
//
// One table per "level": level j holds harmonics 1..K_j of the ideal Fourier series, the K_j growing
// by at most 2^(1/4) from one level to the next (every integer up to 5). A tone whose phase advances
// `increment` per sample may carry the harmonics below Nyquist, k < A = 2^31 / increment. It plays
// level j, the last with K_j < A, faded into level j - 1 while A < 1.12 K_j: harmonics fade in from
// 0 as they come down from Nyquist instead of switching on, so a frequency sweep never steps the
// waveform (a step splatters far below Nyquist: -54 dB in a saw sweep when levels were switched).
// Nothing folds back, every harmonic below Nyquist / (2^(1/4) * 1.12) (16.5 kHz at 44.1 kHz) has
// its full amplitude, and the level depends only on the increment, so one set serves every rate.
//
// Tables are read with linear interpolation from the 32-bit fixed-point phase (fast_sin.h). Linear
// interpolation scales harmonic k by sinc^2(k/N) and adds images of it near multiples of N; the
// tables are built with harmonic k pre-divided by sinc^2(k/N), so the interpolated waveform has the
// exact Fourier amplitudes, and they are sized N >= 16 K (4096 at least) to keep the images (the
// only non-harmonic content) 78 dB down. Measured in test/engine/oscillator-spectrum.test.ts.
//
// The tables (about 2.6 MiB) are built once per module instance, on the control thread, by the first
// call of wavetables() (the engine's constructor makes it); the audio thread only reads them.
#pragma once

#include <cstdint>
#include <vector>

namespace wd {

// One band-limited table: `size` (a power of two) samples of one cycle plus a copy of the first at
// the end, so interpolation never wraps.
struct WavetableLevel {
  std::vector<float> samples;
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
  const float* t = level.samples.data();
  const uint32_t index = phase >> level.shift;
  const float frac = static_cast<float>(phase & ((1u << level.shift) - 1u)) *
                     (1.0f / static_cast<float>(1u << level.shift));
  const float a = t[index];
  return a + frac * (t[index + 1] - a);
}

// The saw and the triangle: one table, the square (kSquare): saw(phase + 1/2) - saw(phase), whose
// even harmonics cancel and odd ones double, which is the square's series (4 / (pi k)), +1 on the
// first half cycle.
enum class TableShape { kDirect, kSquare };

template <TableShape shape>
inline float readShape(const WavetableLevel& level, uint32_t phase) {
  if (shape == TableShape::kSquare) return readLevel(level, phase + 0x80000000u) - readLevel(level, phase);
  return readLevel(level, phase);
}

// out[i] = amplitude * mix(phase_i) for i in [0, n); advances `phase`.
template <TableShape shape>
inline void renderWavetable(const WavetableMix& mix, float* out, int n, uint32_t& phase, uint32_t increment,
                            float amplitude) {
  uint32_t p = phase;
  if (mix.weight >= 1.0f) {
    const WavetableLevel& level = *mix.upper;
    for (int i = 0; i < n; ++i, p += increment) out[i] = amplitude * readShape<shape>(level, p);
  } else {
    const WavetableLevel& lower = *mix.lower;
    const WavetableLevel& upper = *mix.upper;
    const float w = mix.weight;
    for (int i = 0; i < n; ++i, p += increment) {
      const float a = readShape<shape>(lower, p);
      out[i] = amplitude * (a + w * (readShape<shape>(upper, p) - a));
    }
  }
  phase = p;
}

}  // namespace wd
