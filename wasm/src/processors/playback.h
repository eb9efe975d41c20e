// Playback: plays audio held by the engine (buffer slot 0) on the transport timeline.
//
// The read position is derived from the transport position of each block, not from internal state,
// so playback is the same for any block size and lands right after a seek.
#pragma once

#include "../processor.h"

namespace wd {

extern const ParamSpec kPlaybackParams[];
extern const int kPlaybackParamCount;

class Playback final : public Processor {
 public:
  enum Param { kStartOffset, kLoop, kGain };

  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  PreparePlan planPrepare(double, int, int) const override { return {numOutputs(), 0}; }
  int numOutputs() const override { return buffer_ ? buffer_->numChannels : 1; }
  void reset() override {}
  void process(const AudioBlock& block) override;
  void setParam(int index, float value) override;
  void setBuffer(int slot, const SampleBuffer* buffer) override;
  bool followsTimeline() const override { return true; }

 private:
  void updateOffset();

  const SampleBuffer* buffer_ = nullptr;
  double sampleRate_ = 48000.0;
  double startOffsetSeconds_ = 0.0;
  int64_t startOffsetFrames_ = 0;
  bool loop_ = false;
  float gain_ = 1.0f;
};

}  // namespace wd
