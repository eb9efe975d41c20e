// Panner: places a mono or stereo input in a stereo output with one of JUCE dsp::Panner's pan
// rules (the panner DawDreamer exposes), so renders match DawDreamer's for the same rule and pan,
// or with Web Audio StereoPannerNode's equal-power law (rule "equalPower"), so ported graphs match.
#pragma once

#include "../processor.h"

namespace wd {

extern const ParamSpec kPannerParams[];
extern const int kPannerParamCount;

class Panner final : public Processor {
 public:
  enum Param { kPan, kRule };
  enum Rule { kLinear, kBalanced, kSin3dB, kSin4p5dB, kSin6dB, kSquareRoot3dB, kSquareRoot4p5dB, kEqualPower };

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
  void processEqualPower(const AudioBlock& block);

  float left_ = 1.0f;
  float right_ = 1.0f;
  // equalPower: the gains for a mono input, and for a stereo one (see processEqualPower).
  float monoLeft_ = 0.0f, monoRight_ = 0.0f;
  float stereoLeft_ = 0.0f, stereoRight_ = 0.0f;
};

}  // namespace wd
