// State-variable filter in the topology-preserving transform form (Zavalishin, "The Art of VA
// Filter Design", 2012; Simper's "SvfLinearTrapOptimised2"), shared by the synth and the sampler.
//
// Trapezoidal integration of the analogue SVF: the response is the analogue one with the frequency
// axis prewarped (g = tan(pi fc / fs)), and, unlike a direct-form biquad, the state stays
// consistent when the coefficients change every few samples, so an envelope or LFO may sweep the
// cutoff fast without clicks or instability. Stable for any cutoff below Nyquist and any Q > 0.
//
// Modes: lowpass and highpass are 12 dB/octave with resonance Q at the cutoff (Q = 1/sqrt(2):
// Butterworth, no peak); bandpass is the constant 0 dB peak version (k * band), its -3 dB bandwidth
// fc / Q.
#pragma once

#include <algorithm>
#include <cmath>

namespace wd {

enum class SvfMode { kOff, kLowpass, kHighpass, kBandpass };

struct SvfCoefficients {
  double a1 = 1.0, a2 = 0.0, a3 = 0.0, k = 1.41421356;
  SvfMode mode = SvfMode::kOff;
};

// The cutoff is kept in [10 Hz, 0.49 fs]: tan() grows without bound towards Nyquist.
inline SvfCoefficients svfCoefficients(SvfMode mode, double cutoff, double q, double sampleRate) {
  constexpr double kPi = 3.14159265358979323846;
  const double fc = std::min(std::max(cutoff, 10.0), 0.49 * sampleRate);
  const double g = std::tan(kPi * fc / sampleRate);
  SvfCoefficients c;
  c.mode = mode;
  c.k = 1.0 / q;
  c.a1 = 1.0 / (1.0 + g * (g + c.k));
  c.a2 = g * c.a1;
  c.a3 = g * c.a2;
  return c;
}

// The cutoff a voice's filter plays, in Hz: the base cutoff moved by `octaves` (the sum of the
// envelope, key tracking, velocity and LFO terms), clamped later by svfCoefficients.
inline double modulatedCutoff(double baseHz, double octaves) { return baseHz * std::exp2(octaves); }

struct SvfState {
  double ic1 = 0.0, ic2 = 0.0;

  float process(const SvfCoefficients& c, float input) {
    const double v0 = input;
    const double v3 = v0 - ic2;
    const double v1 = c.a1 * ic1 + c.a2 * v3;
    const double v2 = ic2 + c.a2 * ic1 + c.a3 * v3;
    ic1 = 2.0 * v1 - ic1;
    ic2 = 2.0 * v2 - ic2;
    switch (c.mode) {
      case SvfMode::kLowpass: return static_cast<float>(v2);
      case SvfMode::kHighpass: return static_cast<float>(v0 - c.k * v1 - v2);
      case SvfMode::kBandpass: return static_cast<float>(c.k * v1);
      default: return input;
    }
  }

  // Below this the state is inaudible; flushing keeps subnormal doubles (slow on x86) out of tails.
  void flush() {
    if (std::fabs(ic1) < 1e-30) ic1 = 0.0;
    if (std::fabs(ic2) < 1e-30) ic2 = 0.0;
    if (!(std::fabs(ic1 + ic2) < 1e30)) ic1 = ic2 = 0.0;  // non-finite or runaway: start again
  }
};

}  // namespace wd
