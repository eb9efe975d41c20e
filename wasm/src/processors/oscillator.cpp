#include "oscillator.h"

#include <algorithm>
#include <cmath>

#include "../dsp/fast_sin.h"
#include "../dsp/wavetable.h"

namespace wd {

const ParamSpec kOscillatorParams[] = {
    // Cycles per second; resolution sampleRate / 2^32 (the fixed-point phase step).
    {"frequency", "Frequency", "Hz", 0.0f, 24000.0f, 440.0f, false, nullptr},
    // Linear peak amplitude.
    {"amplitude", "Amplitude", "", 0.0f, 16.0f, 1.0f, false, nullptr},
    // Band-limited saw, square and triangle (mip-mapped wavetables), and deterministic white noise.
    {"waveform", "Waveform", "", 0.0f, 4.0f, 0.0f, true, "sine|saw|square|triangle|noise"},
    // Phase at frame 0 in cycles; read when the engine resets, not while playing.
    {"phase", "Start phase", "cycles", 0.0f, 1.0f, 0.0f, false, nullptr},
    // Output channels, each carrying the same signal; read when the graph is prepared.
    {"channels", "Channels", "", 1.0f, 64.0f, 1.0f, true, nullptr},
    // Web Audio's detune: the frequency played is frequency × 2^(detune / 1200), up to Nyquist.
    {"detune", "Detune", "cents", -153600.0f, 153600.0f, 0.0f, false, nullptr},
};
const int kOscillatorParamCount = sizeof(kOscillatorParams) / sizeof(kOscillatorParams[0]);

namespace {

inline float nextNoise(uint32_t& state) {
  // xorshift32: deterministic, so a seeded render is repeatable in every host.
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return static_cast<float>(state) * (2.0f / 4294967296.0f) - 1.0f;
}

}  // namespace

void Oscillator::prepare(double sampleRate, int, int) {
  wavetables();  // already built by the engine; never first built on the audio thread
  sampleRate_ = sampleRate;
  updateIncrement();
  reset();
}

// OscillatorNode's computedOscFrequency: frequency × 2^(detune / 1200), in double; a detuned
// frequency is limited to Nyquist, as Web Audio does (2^(153600 / 1200) would overflow the phase).
// Without detune the frequency is used as it is.
void Oscillator::updateIncrement() {
  double frequency = static_cast<double>(frequency_);
  if (detuneCents_ != 0.0f) {
    frequency = std::min(frequency * std::exp2(static_cast<double>(detuneCents_) / 1200.0), 0.5 * sampleRate_);
  }
  increment_ = phaseIncrement(frequency, sampleRate_);
}

void Oscillator::reset() {
  phase_ = phaseFromCycles(startPhase_);
  noiseState_ = 0x9E3779B9u;
}

void Oscillator::setParam(int index, float value) {
  switch (index) {
    case kFrequency:
      frequency_ = value;
      updateIncrement();
      break;
    case kDetune:
      detuneCents_ = value;
      updateIncrement();
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
  } else if (waveform_ == kNoise) {
    for (int i = 0; i < n; ++i) out[i] = amplitude_ * nextNoise(noiseState_);
  } else {
    // The increment is constant within a call (the engine splits blocks at parameter changes), so
    // the levels and their fade are chosen once per call, at the exact sample of every change.
    const Wavetables& tables = wavetables();
    if (waveform_ == kSaw) {
      renderWavetable<TableShape::kDirect>(tables.saw.mixFor(increment_), out, n, phase_, increment_, amplitude_);
    } else if (waveform_ == kSquare) {
      renderWavetable<TableShape::kSquare>(tables.saw.mixFor(increment_), out, n, phase_, increment_, amplitude_);
    } else {
      renderWavetable<TableShape::kDirect>(tables.triangle.mixFor(increment_), out, n, phase_, increment_,
                                           amplitude_);
    }
  }
  for (int c = 1; c < block.numOutputs; ++c) {
    for (int i = 0; i < n; ++i) block.outputs[c][i] = out[i];
  }
}

}  // namespace wd
