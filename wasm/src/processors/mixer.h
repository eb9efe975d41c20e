// Mixer (DawDreamer's "add"): sums any number of inputs, each with its own linear gain, then a
// master gain. Inputs may have any channel count; the output has as many channels as the widest
// input. A mono input is added to every output channel; a wider input adds its channel c to output
// channel c only.
#pragma once

#include <vector>

#include "../processor.h"

namespace wd {

// Inputs with their own gain parameter (input_gain_0 .. input_gain_255); later inputs get gain 1.
constexpr int kMixerInputGains = 256;

// 257 entries generated at compile time (see mixer.cpp), hence a pointer rather than an array.
extern const ParamSpec* const kMixerParams;
extern const int kMixerParamCount;

class Mixer final : public Processor {
 public:
  enum Param { kGain, kInputGain0 };  // input i's gain is parameter kInputGain0 + i

  Mixer();
  void setInputLayout(const int* channelsPerInput, int numInputs) override;
  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  PreparePlan planPrepare(double sampleRate, int maxBlock, int numInputs) const override;
  int numOutputs() const override { return channels_; }
  void reset() override {}
  void process(const AudioBlock& block) override;
  bool accumulatesInputs() const override { return true; }
  void accumulateInputs(const AudioBlock& block, int from, int to, int channel, float lastScale) override;
  bool inputGainFactors(int input, const float** inputFactor, const float** masterFactor) const override;
  void setParam(int index, float value) override;

 private:
  bool layoutMatches(int numInputs) const;
  // The factor input `input` is added with: its own gain (1 past the first kMixerInputGains) times the master.
  float inputGain(int input) const { return (input < kMixerInputGains ? gains_[input] : 1.0f) * master_; }
  float master_ = 1.0f;
  float gains_[kMixerInputGains];
  std::vector<int> layout_;  // channels per input, in input order
  int channels_ = 1;
};

}  // namespace wd
