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
    // Band-limited saw, square and triangle (mip-mapped wavetables) in OscillatorNode's phase and
    // sign, deterministic white noise, and custom: the Fourier series in the "wave" buffer
    // (PeriodicWave). "sawtooth" is Web Audio's name for the saw.
    {"waveform", "Waveform", "", 0.0f, 5.0f, 0.0f, true, "sine|saw|square|triangle|noise|custom", "sawtooth=saw"},
    // Phase at frame 0 in cycles; read when the engine resets, not while playing.
    {"phase", "Start phase", "cycles", 0.0f, 1.0f, 0.0f, false, nullptr},
    // Output channels, each carrying the same signal; read when the graph is prepared.
    {"channels", "Channels", "", 1.0f, 64.0f, 1.0f, true, nullptr},
    // Web Audio's detune: the frequency played is frequency × 2^(detune / 1200), up to Nyquist.
    {"detune", "Detune", "cents", -153600.0f, 153600.0f, 0.0f, false, nullptr},
    // none: the series as written (the ideal saw, square and triangle peak at 1 before band-limiting).
    // web_audio: scaled as OscillatorNode scales its waveforms and a PeriodicWave by default, so that
    // the waveform with harmonics up to half its table length peaks at 1 (saw and square: -1.4 dB).
    {"normalization", "Normalization", "", 0.0f, 1.0f, 0.0f, true, "none|web_audio"},
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

namespace {

// The highest harmonic a wave buffer has room for, up to kMaxCustomHarmonics: what its tables
// hold (by the length alone, so planPrepare can tell from a stand-in of the same length).
int highestHarmonic(const SampleBuffer& wave) { return std::min(wave.frames - 1, kMaxCustomHarmonics); }

}  // namespace

FourierSeries Oscillator::customSeries() const {
  FourierSeries series;
  const int length = highestHarmonic(*wave_) + 1;
  series.cosine.assign(length, 0.0);
  series.sine.assign(length, 0.0);
  for (int k = 0; k < length; ++k) {
    series.cosine[k] = wave_->channels[0][k];
    if (wave_->numChannels >= 2) series.sine[k] = wave_->channels[1][k];
  }
  return series;
}

PreparePlan Oscillator::planPrepare(double, int, int) const {
  if (wave_ == nullptr || wave_->frames < 1) return {channels_, 0};
  return {channels_, sizeof(WavetableSet) + WavetableSet::bytesFor(std::max(1, highestHarmonic(*wave_)))};
}

void Oscillator::prepare(double sampleRate, int, int) {
  wavetables();  // already built by the engine; never first built on the audio thread
  sampleRate_ = sampleRate;
  custom_.reset();
  customNormalization_ = 1.0;
  if (wave_ != nullptr && wave_->frames >= 1) {
    const FourierSeries series = customSeries();
    custom_.reset(new WavetableSet(series, kMaxCustomHarmonics));
    customNormalization_ = webAudioNormalization(series, webAudioTableSize(sampleRate));
  }
  updateIncrement();
  updateLevel();
  reset();
}

void Oscillator::setBuffer(int slot, const SampleBuffer* buffer) {
  if (slot == 0) wave_ = buffer;
}

// OscillatorNode's arithmetic (Chromium's k-rate path), so that a ported tone keeps Web Audio's
// phase sample for sample: frequency × 2^(detune / 1200) with both factors and the product in
// float, limited to Nyquist, times the table's rate scale N / sampleRate, again in float; the phase
// then advances exactly that many table steps of 1 / N cycle per sample. Chromium keeps its phase
// in table steps in a double; ours is 2^-32 cycles, which holds the same steps exactly from
// 94 Hz up at 48 kHz (4096 steps) and rounds them by at most 2^-33 cycles below.
void Oscillator::updateIncrement() {
  float frequency = frequency_;
  const float detuneScale = static_cast<float>(std::exp2(static_cast<double>(detuneCents_ / 1200.0f)));
  frequency *= detuneScale;
  const float nyquist = static_cast<float>(sampleRate_) / 2.0f;
  frequency = std::min(std::max(frequency, -nyquist), nyquist);
  const int tableSize = webAudioTableSize(sampleRate_);
  const float rateScale = static_cast<float>(tableSize) / static_cast<float>(sampleRate_);
  const float steps = frequency * rateScale;
  increment_ = phaseFromCycles(static_cast<double>(steps) / tableSize);
}

void Oscillator::updateLevel() {
  double scale = 1.0;
  if (normalization_ == kWebAudio) {
    const Wavetables& tables = wavetables();
    switch (waveform_) {
      case kSaw: scale = tables.normalization(FourierSeries::Shape::kSaw, sampleRate_); break;
      case kSquare: scale = tables.normalization(FourierSeries::Shape::kSquare, sampleRate_); break;
      case kTriangle: scale = tables.normalization(FourierSeries::Shape::kTriangle, sampleRate_); break;
      case kCustom: scale = customNormalization_; break;
      default: break;
    }
  }
  level_ = static_cast<float>(amplitude_ * scale);
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
    case kAmplitude:
      amplitude_ = value;
      updateLevel();
      break;
    case kWaveform:
      waveform_ = static_cast<int>(value);
      updateLevel();
      break;
    case kNormalization:
      normalization_ = static_cast<int>(value);
      updateLevel();
      break;
    case kPhase: startPhase_ = value; break;
    case kChannels: channels_ = static_cast<int>(value); break;
    default: break;
  }
}

template <typename Sink>
void Oscillator::render(Sink sink, int n) {
  if (waveform_ == kSine) {
    renderSineInto(sink, n, phase_, increment_, level_);
  } else if (waveform_ == kNoise) {
    for (int i = 0; i < n; ++i) sink.put(i, level_ * nextNoise(noiseState_));
  } else if (waveform_ == kCustom && custom_ == nullptr) {
    // No wave buffer: silence, the phase still advancing (a buffer bound later starts in phase).
    for (int i = 0; i < n; ++i) sink.put(i, 0.0f);
    phase_ += static_cast<uint32_t>(n) * increment_;
  } else {
    // The increment is constant within a call (the engine splits blocks at parameter changes), so
    // the levels and their fade are chosen once per call, at the exact sample of every change.
    const Wavetables& tables = wavetables();
    if (waveform_ == kSaw) {
      renderWavetableInto<TableShape::kDirect>(tables.saw.mixFor(increment_), sink, n, phase_, increment_, level_);
    } else if (waveform_ == kSquare) {
      renderWavetableInto<TableShape::kSquare>(tables.saw.mixFor(increment_), sink, n, phase_, increment_, level_);
    } else if (waveform_ == kTriangle) {
      renderWavetableInto<TableShape::kDirect>(tables.triangle.mixFor(increment_), sink, n, phase_, increment_,
                                               level_);
    } else {
      renderWavetableInto<TableShape::kDirect>(custom_->mixFor(increment_), sink, n, phase_, increment_, level_);
    }
  }
}

void Oscillator::process(const AudioBlock& block) {
  float* out = block.outputs[0];
  const int n = block.frames;
  render(StoreSink{out}, n);
  for (int c = 1; c < block.numOutputs; ++c) {
    for (int i = 0; i < n; ++i) block.outputs[c][i] = out[i];
  }
}

void Oscillator::processAdding(const AudioBlock& block, float* bus, float gain, float scale) {
  withAddSink(bus, gain, scale, [this, &block](const auto& sink) { render(sink, block.frames); });
}

}  // namespace wd
