#include "latency_delay.h"

#include <algorithm>
#include <cstring>

namespace wd {

const ParamSpec kLatencyDelayParams[] = {
    // Delay in whole frames, 0..2^22; set by the graph compiler before prepare().
    {"frames", "Frames", "frames", 0.0f, static_cast<float>(LatencyDelay::kMaxFrames), 0.0f, true, nullptr},
};
const int kLatencyDelayParamCount = sizeof(kLatencyDelayParams) / sizeof(kLatencyDelayParams[0]);

PreparePlan LatencyDelay::planPrepare(double, int, int numInputs) const {
  return {numInputs, static_cast<uint64_t>(numInputs) * static_cast<uint64_t>(requested_) * sizeof(float)};
}

void LatencyDelay::prepare(double, int, int numInputs) {
  channels_ = numInputs;
  size_ = requested_;
  frames_ = requested_;
  rings_.assign(static_cast<size_t>(channels_) * size_, 0.0f);
  read_ = 0;
}

void LatencyDelay::reset() {
  std::fill(rings_.begin(), rings_.end(), 0.0f);
  read_ = 0;
}

void LatencyDelay::setParam(int index, float value) {
  if (index != kFrames) return;
  requested_ = static_cast<int>(value);
  frames_ = std::min(requested_, size_);
  if (read_ >= frames_) read_ = 0;
}

void LatencyDelay::process(const AudioBlock& block) {
  const int n = block.frames;
  if (frames_ == 0) {
    for (int c = 0; c < block.numOutputs; ++c) std::memcpy(block.outputs[c], block.inputs[c], sizeof(float) * n);
    return;
  }
  // A ring of exactly frames_ slots: the slot about to be overwritten holds x[n - frames_].
  for (int c = 0; c < block.numOutputs; ++c) {
    const float* in = block.inputs[c];
    float* out = block.outputs[c];
    float* ring = rings_.data() + static_cast<size_t>(c) * size_;
    int r = read_;
    for (int i = 0; i < n; ++i) {
      out[i] = ring[r];
      ring[r] = in[i];
      if (++r == frames_) r = 0;
    }
  }
  read_ = static_cast<int>((static_cast<int64_t>(read_) + n) % frames_);
}

}  // namespace wd
