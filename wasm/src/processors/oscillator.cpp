#include "oscillator.h"

#include <cmath>

#include "../dsp/fast_sin.h"
#include "../dsp/saw.h"

namespace wd {

const ParamSpec kOscillatorParams[] = {
    // Cycles per second; resolution sampleRate / 2^32 (the fixed-point phase step).
    {"frequency", "Frequency", "Hz", 0.0f, 24000.0f, 440.0f, false, nullptr},
    // Linear peak amplitude.
    {"amplitude", "Amplitude", "", 0.0f, 16.0f, 1.0f, false, nullptr},
    // Band-limited saw and square (PolyBLEP), triangle, and deterministic white noise.
    {"waveform", "Waveform", "", 0.0f, 4.0f, 0.0f, true, "sine|saw|square|triangle|noise"},
    // Phase at frame 0 in cycles; read when the engine resets, not while playing.
    {"phase", "Start phase", "cycles", 0.0f, 1.0f, 0.0f, false, nullptr},
    // Output channels, each carrying the same signal; read when the graph is prepared.
    {"channels", "Channels", "", 1.0f, 64.0f, 1.0f, true, nullptr},
};
const int kOscillatorParamCount = sizeof(kOscillatorParams) / sizeof(kOscillatorParams[0]);

namespace {

// PolyBLEP residual: subtracting it at each discontinuity of a naive ramp removes most of the
// aliasing (Valimaki & Huovilainen). t is the phase in cycles, dt the phase increment.
inline double polyBlep(double t, double dt) {
  if (t < dt) {
    t /= dt;
    return t + t - t * t - 1.0;
  }
  if (t > 1.0 - dt) {
    t = (t - 1.0) / dt;
    return t * t + t + t + 1.0;
  }
  return 0.0;
}

inline float nextNoise(uint32_t& state) {
  // xorshift32: deterministic, so a seeded render is repeatable in every host.
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return static_cast<float>(state) * (2.0f / 4294967296.0f) - 1.0f;
}

}  // namespace

void Oscillator::prepare(double sampleRate, int, int) {
  sampleRate_ = sampleRate;
  increment_ = phaseIncrement(frequency_, sampleRate_);
  reset();
}

void Oscillator::reset() {
  phase_ = phaseFromCycles(startPhase_);
  noiseState_ = 0x9E3779B9u;
}

void Oscillator::setParam(int index, float value) {
  switch (index) {
    case kFrequency:
      frequency_ = value;
      increment_ = phaseIncrement(frequency_, sampleRate_);
      break;
    case kAmplitude: amplitude_ = value; break;
    case kWaveform: waveform_ = static_cast<int>(value); break;
    case kPhase: startPhase_ = value; break;
    case kChannels: channels_ = static_cast<int>(value); break;
    default: break;
  }
}

void Oscillator::process(const AudioBlock& block) {
  float* out = block.outputs[0];
  const int n = block.frames;
  if (waveform_ == kSine) {
    renderSine(out, n, phase_, increment_, amplitude_);
  } else if (waveform_ == kSaw) {
    renderSaw(out, n, phase_, increment_, amplitude_);
  } else if (waveform_ == kNoise) {
    for (int i = 0; i < n; ++i) out[i] = amplitude_ * nextNoise(noiseState_);
  } else {
    // Square and triangle are computed in double from the same fixed-point phase.
    const double dt = phaseToCycles(increment_);
    for (int i = 0; i < n; ++i) {
      const double phase = phaseToCycles(phase_);
      double v;
      if (waveform_ == kSquare) {
        double half = phase + 0.5;
        if (half >= 1.0) half -= 1.0;
        v = (phase < 0.5 ? 1.0 : -1.0) + polyBlep(phase, dt) - polyBlep(half, dt);
      } else {
        // Starts at 0 rising, like the sine.
        double q = phase + 0.25;
        if (q >= 1.0) q -= 1.0;
        v = 1.0 - 4.0 * std::fabs(q - 0.5);
      }
      out[i] = amplitude_ * static_cast<float>(v);
      phase_ += increment_;
    }
  }
  for (int c = 1; c < block.numOutputs; ++c) {
    for (int i = 0; i < n; ++i) block.outputs[c][i] = out[i];
  }
}

}  // namespace wd
