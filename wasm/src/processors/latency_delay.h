// Latency compensation delay: delays every input channel by a whole number of frames, an exact
// sample copy, y[n] = x[n - frames]. The graph compiler inserts one on the shorter of two paths that
// meet (src/engine/latency-compensation.ts), so a graph never names it: its type is internal (not a
// "builtin:" node type, not in any catalog).
//
// The ring is sized from `frames` at prepare(), on the control thread: the compiler sets the
// parameter before the graph is prepared and never automates it. A later change is clamped to the
// ring taken at prepare (process() never allocates).
#pragma once

#include <vector>

#include "../processor.h"

namespace wd {

extern const ParamSpec kLatencyDelayParams[];
extern const int kLatencyDelayParamCount;

class LatencyDelay final : public Processor {
 public:
  enum Param { kFrames };

  // The longest compensation: 2^22 frames (87 s at 48 kHz), exact in a float parameter.
  static constexpr int kMaxFrames = 1 << 22;

  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  PreparePlan planPrepare(double sampleRate, int maxBlock, int numInputs) const override;
  int numOutputs() const override { return channels_; }
  void reset() override;
  void process(const AudioBlock& block) override;
  void setParam(int index, float value) override;

 private:
  int requested_ = 0;  // the frames parameter
  int frames_ = 0;     // the delay in effect: requested_, within the ring taken at prepare
  int channels_ = 0;
  int size_ = 0;  // ring frames per channel (frames_ at prepare)
  int read_ = 0;  // slot of x[n - frames_], where x[n] is written next
  // Planar rings, channels_ * size_ floats.
  std::vector<float> rings_;
};

}  // namespace wd
