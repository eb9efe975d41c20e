// Gain: multiplies every input channel by one factor (linear). Passes any channel count.
#pragma once

#include "../processor.h"

namespace wd {

extern const ParamSpec kGainParams[];
extern const int kGainParamCount;

class Gain final : public Processor {
 public:
  enum Param { kGain };
  void prepare(double, int, int numInputs) override { channels_ = numInputs; }
  PreparePlan planPrepare(double, int, int numInputs) const override { return {numInputs, 0}; }
  int numOutputs() const override { return channels_; }
  void reset() override {}
  void process(const AudioBlock& block) override;
  const float* inputScale() const override { return &gain_; }
  void setParam(int index, float value) override {
    if (index == kGain) gain_ = value;
  }

 private:
  float gain_ = 1.0f;
  int channels_ = 0;
};

}  // namespace wd
