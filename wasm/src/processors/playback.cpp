#include "playback.h"

#include <cmath>
#include <algorithm>
#include <cstring>

namespace wd {

const ParamSpec kPlaybackParams[] = {
    // Where in the audio playback starts at transport time 0, in seconds of the audio.
    {"start_offset", "Start offset", "s", 0.0f, 86400.0f, 0.0f, false, nullptr},
    // Off: silence after the audio ends. On: the audio repeats from its start.
    {"loop", "Loop", "", 0.0f, 1.0f, 0.0f, true, "off|on"},
    // Linear gain applied to every channel.
    {"gain", "Gain", "", 0.0f, 16.0f, 1.0f, false, nullptr},
};
const int kPlaybackParamCount = sizeof(kPlaybackParams) / sizeof(kPlaybackParams[0]);

void Playback::prepare(double sampleRate, int, int) {
  sampleRate_ = sampleRate;
  updateOffset();
}

void Playback::setParam(int index, float value) {
  switch (index) {
    case kStartOffset:
      startOffsetSeconds_ = value;
      updateOffset();
      break;
    case kLoop: loop_ = value >= 0.5f; break;
    case kGain: gain_ = value; break;
    default: break;
  }
}

void Playback::setBuffer(int slot, const SampleBuffer* buffer) {
  if (slot == 0) {
    buffer_ = buffer;
    updateOffset();
  }
}

void Playback::updateOffset() {
  const double rate = buffer_ ? buffer_->sampleRate : sampleRate_;
  startOffsetFrames_ = static_cast<int64_t>(std::llround(startOffsetSeconds_ * rate));
}

void Playback::process(const AudioBlock& block) {
  const int n = block.frames;
  if (!buffer_ || buffer_->frames == 0) {
    for (int c = 0; c < block.numOutputs; ++c) std::memset(block.outputs[c], 0, sizeof(float) * n);
    return;
  }
  const int64_t length = buffer_->frames;
  if (buffer_->sampleRate == sampleRate_) {
    // Same rate: copy runs of samples; bit-exact when the gain is 1.
    for (int done = 0; done < n;) {
      int64_t index = block.position + done + startOffsetFrames_;
      if (loop_) index = ((index % length) + length) % length;
      int run = n - done;
      if (index < 0) {
        run = static_cast<int>(std::min<int64_t>(run, -index));
        for (int c = 0; c < block.numOutputs; ++c) std::memset(block.outputs[c] + done, 0, sizeof(float) * run);
      } else if (index >= length) {
        for (int c = 0; c < block.numOutputs; ++c) std::memset(block.outputs[c] + done, 0, sizeof(float) * run);
      } else {
        run = static_cast<int>(std::min<int64_t>(run, length - index));
        for (int c = 0; c < block.numOutputs; ++c) {
          const float* src = buffer_->channels[c] + index;
          float* dst = block.outputs[c] + done;
          if (gain_ == 1.0f) {
            std::memcpy(dst, src, sizeof(float) * run);
          } else {
            for (int i = 0; i < run; ++i) dst[i] = src[i] * gain_;
          }
        }
      }
      done += run;
    }
    return;
  }
  // Another rate: read between samples with linear interpolation.
  const double ratio = buffer_->sampleRate / sampleRate_;
  for (int i = 0; i < n; ++i) {
    double x = static_cast<double>(block.position + i) * ratio + static_cast<double>(startOffsetFrames_);
    if (loop_) x = std::fmod(std::fmod(x, static_cast<double>(length)) + length, static_cast<double>(length));
    const auto i0 = static_cast<int64_t>(std::floor(x));
    const float frac = static_cast<float>(x - static_cast<double>(i0));
    for (int c = 0; c < block.numOutputs; ++c) {
      const float* src = buffer_->channels[c];
      const float a = (i0 >= 0 && i0 < length) ? src[i0] : 0.0f;
      int64_t i1 = i0 + 1;
      if (loop_ && i1 == length) i1 = 0;
      const float b = (i1 >= 0 && i1 < length) ? src[i1] : 0.0f;
      block.outputs[c][i] = (a + (b - a) * frac) * gain_;
    }
  }
}

}  // namespace wd
