// Delay: one feedback delay line per channel (any channel count), fractional times by linear
// interpolation.
//
//   s[n] = x[n] + feedback * s[n - D]       what the line holds
//   y[n] = dry * x[n] + wet * s[n - D]      what the node outputs
//   D    = time * sampleRate / 1000 frames
//
// s[n - D] for D = W + f (W whole frames, 0 <= f < 1) is (1 - f) * s[n - W] + f * s[n - W - 1], so
// an integer D is an exact sample copy: 0.25 s at 48 kHz is exactly 12000 frames, and the workload
// W2 feedback y[n] = x[n] + 0.4 * y[n - 12000] is delay(time=250, feedback=0.4, wet=0.4, dry=1)
// (then s = y). For D < 1 the interpolation needs s[n] itself, and s[n] is solved for exactly (see
// delay.cpp); at D = 0 the node is a gain of dry + wet / (1 - feedback).
//
// The time is not smoothed: the engine applies a change at its exact frame, and a jump in time is
// a jump in the read position (a click), as in DawDreamer's JUCE DelayLine.
//
// In a graph cycle (the feedback API) the node outputs only the wet part wet * s[n - D]: the dry
// part needs x[n], which the cycle computes from this very output. Mix the dry signal elsewhere in
// the graph, as W2's bus does (bus -> delay -> back into the bus).
#pragma once

#include <cstdint>
#include <vector>

#include "../processor.h"

namespace wd {

extern const ParamSpec kDelayParams[];
extern const int kDelayParamCount;

class Delay final : public Processor {
 public:
  enum Param { kTime, kFeedback, kWet, kDry };

  // The longest delay the lines hold, matching the time parameter's maximum.
  static constexpr double kMaxSeconds = 10.0;

  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  PreparePlan planPrepare(double sampleRate, int maxBlock, int numInputs) const override;
  int numOutputs() const override { return channels_; }
  void reset() override;
  void process(const AudioBlock& block) override;
  void setParam(int index, float value) override;

  int feedbackLatency() const override { return whole_ >= 1 ? whole_ : 0; }
  void processFeedbackOutput(const AudioBlock& block) override;
  void processFeedbackInput(const AudioBlock& block) override;

 private:
  void updateDelay();
  float* line(int channel) { return lines_.data() + static_cast<size_t>(channel) * size_; }
  // After writing `frames` slots from write_: keeps non-finite values out of the lines, then moves
  // the write index on.
  void advance(int frames);
  void keepLinesFinite(int frames);
  // The feedback halves for one channel (delay.cpp): `r` is the slot of s[n - W] for the first frame,
  // `w` that of s[n]; the whole-frame versions work in runs that do not wrap.
  int ringIndex(int index) const;
  void readWhole(const float* buf, float* out, int r, int n) const;
  void readFractional(const float* buf, float* out, int r, float frac, int n) const;
  void writeWhole(const float* in, float* buf, int w, int r, int n) const;
  void writeFractional(const float* in, float* buf, int w, int r, float frac, int n) const;

  double sampleRate_ = 48000.0;
  float timeMs_ = 10.0f;
  float feedback_ = 0.0f;
  float wet_ = 1.0f;
  float dry_ = 0.0f;
  int whole_ = 0;      // W = floor(D)
  float frac_ = 0.0f;  // f = D - W
  int channels_ = 0;
  // Planar rings, channels_ * size_ floats. Every channel shares the write index, where s[n] of
  // the next frame goes; s[n - k] is at (write_ - k) mod size_.
  std::vector<float> lines_;
  int size_ = 0;
  int write_ = 0;
  // Slots written since the lines were last cleared: always the prefix [0, dirty_) because writing
  // starts at index 0, so reset() clears only that much instead of seconds of memory.
  int dirty_ = 0;
};

}  // namespace wd
