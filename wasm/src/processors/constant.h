// Constant: a source whose every sample is `offset`, as Web Audio's ConstantSourceNode (offset 1 by
// default). Automating `offset` makes it a control signal: a ramp, a curve, an envelope.
#pragma once

#include "../processor.h"

namespace wd {

extern const ParamSpec kConstantParams[];
extern const int kConstantParamCount;

class Constant final : public Processor {
 public:
  enum Param { kOffset };
  void prepare(double, int, int) override {}
  PreparePlan planPrepare(double, int, int) const override { return {1, 0}; }
  int numOutputs() const override { return 1; }
  void reset() override {}
  void process(const AudioBlock& block) override;
  void setParam(int index, float value) override {
    if (index == kOffset) offset_ = value;
  }

 private:
  float offset_ = 1.0f;
};

}  // namespace wd
