// Oscillator: a periodic source. The phase is a 32-bit fixed-point accumulator: it never drifts on
// long renders and advances exactly per sample, so the output does not depend on the block size.
#pragma once

#include <memory>

#include "../dsp/wavetable.h"
#include "../processor.h"

namespace wd {

extern const ParamSpec kOscillatorParams[];
extern const int kOscillatorParamCount;

class Oscillator final : public Processor {
 public:
  enum Param { kFrequency, kAmplitude, kWaveform, kPhase, kChannels, kDetune, kNormalization };
  enum Waveform { kSine, kSaw, kSquare, kTriangle, kNoise, kCustom };
  enum Normalization { kNone, kWebAudio };

  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  // A custom waveform's tables are the only memory prepare() takes.
  PreparePlan planPrepare(double, int, int) const override;
  int numOutputs() const override { return channels_; }
  void reset() override;
  void process(const AudioBlock& block) override;
  // Every waveform adds itself into a mixer's bus (Processor::processAdding): W1's sines do.
  bool addsIntoBus() const override { return true; }
  void processAdding(const AudioBlock& block, float* bus, float gain, float scale) override;
  void setParam(int index, float value) override;
  // Slot 0: a custom waveform's Fourier coefficients, channel 0 the cosine terms (PeriodicWave's
  // real), channel 1 the sine terms (imag); a missing channel is zeros. Read by prepare().
  void setBuffer(int slot, const SampleBuffer* buffer) override;

 private:
  // The block of process() into a sink (dsp/sample_sink.h): stored, or added into a bus.
  template <typename Sink>
  void render(Sink sink, int n);
  void updateIncrement();
  void updateLevel();
  FourierSeries customSeries() const;

  double sampleRate_ = 48000.0;
  uint32_t phase_ = 0;      // fixed point, 2^-32 cycles (see dsp/fast_sin.h)
  uint32_t increment_ = 0;  // per sample
  float frequency_ = 440.0f;
  float detuneCents_ = 0.0f;
  float amplitude_ = 1.0f;
  float level_ = 1.0f;  // amplitude_ times the waveform's normalisation
  int waveform_ = kSine;
  int normalization_ = kNone;
  const SampleBuffer* wave_ = nullptr;
  std::unique_ptr<WavetableSet> custom_;  // built from wave_ by prepare()
  double customNormalization_ = 1.0;
  float startPhase_ = 0.0f;
  int channels_ = 1;
  uint32_t noiseState_ = 1;
};

}  // namespace wd
