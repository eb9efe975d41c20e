// Oscillator: a periodic source. The phase is a 32-bit fixed-point accumulator: it never drifts on
// long renders and advances exactly per sample, so the output does not depend on the block size.
#pragma once

#include "../processor.h"

namespace wd {

extern const ParamSpec kOscillatorParams[];
extern const int kOscillatorParamCount;

class Oscillator final : public Processor {
 public:
  enum Param { kFrequency, kAmplitude, kWaveform, kPhase, kChannels, kDetune };
  enum Waveform { kSine, kSaw, kSquare, kTriangle, kNoise };

  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  PreparePlan planPrepare(double, int, int) const override { return {channels_, 0}; }
  int numOutputs() const override { return channels_; }
  void reset() override;
  void process(const AudioBlock& block) override;
  void setParam(int index, float value) override;

 private:
  void updateIncrement();

  double sampleRate_ = 48000.0;
  uint32_t phase_ = 0;      // fixed point, 2^-32 cycles (see dsp/fast_sin.h)
  uint32_t increment_ = 0;  // per sample
  float frequency_ = 440.0f;
  float detuneCents_ = 0.0f;
  float amplitude_ = 1.0f;
  int waveform_ = kSine;
  float startPhase_ = 0.0f;
  int channels_ = 1;
  uint32_t noiseState_ = 1;
};

}  // namespace wd
