// Panner: places a mono or stereo input in a stereo output with one of JUCE dsp::Panner's pan
// rules (the panner DawDreamer exposes), so renders match DawDreamer's for the same rule and pan.
#pragma once

#include "../processor.h"

namespace wd {

extern const ParamSpec kPannerParams[];
extern const int kPannerParamCount;

class Panner final : public Processor {
 public:
  enum Param { kPan, kRule };
  enum Rule { kLinear, kBalanced, kSin3dB, kSin4p5dB, kSin6dB, kSquareRoot3dB, kSquareRoot4p5dB };

  void prepare(double, int, int) override {}
  PreparePlan planPrepare(double, int, int) const override { return {2, 0}; }
  int numOutputs() const override { return 2; }
  void reset() override {}
  void process(const AudioBlock& block) override;
  void setParam(int index, float value) override;

 private:
  void updateGains();

  float pan_ = 0.0f;
  int rule_ = kLinear;
  float left_ = 1.0f;
  float right_ = 1.0f;
};

}  // namespace wd
