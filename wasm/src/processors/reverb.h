// Reverb: Freeverb exactly as juce::Reverb (juce_audio_basics/utilities/juce_Reverb.h) implements
// it, which is what DawDreamer's reverb processor runs (through juce::dsp::Reverb).
//
// Per channel, 8 lowpass-feedback comb filters in parallel, then 4 Schroeder allpasses in series;
// the right channel's delays are 23 frames (at 44.1 kHz) longer, which decorrelates the two. Both
// channels' combs are driven by the same mono sum (L + R) * 0.015. Output:
//   L = outL * wet1 + outR * wet2 + inL * dry
//   R = outR * wet1 + outL * wet2 + inR * dry
// with dry = 2 * dry_level, wet1 = 1.5 * wet_level * (1 + width), wet2 = 1.5 * wet_level * (1 - width).
//
// Inputs: channel 0 is L and channel 1 is R; a mono input is fed to both, and further channels
// are ignored. Output: 2 channels.
//
// Faithful to JUCE in the arithmetic order of every sum, the integer scaling of the delay lengths to
// the sample rate, the 10 ms linear ramps on damping, feedback and the three output gains, and
// JUCE_UNDENORMALISE as compiled on x86 (x += 0.1f; x -= 0.1f), which flushes denormals (slow in
// WASM on x86 too) and lets a tail decay to exact zero. Deliberate differences: reset() also ends
// the ramps (state "as if freshly prepared"), and an unchanged target does not restart a ramp
// (JUCE 6's SmoothedValue), so the output does not depend on how often parameters are re-sent.
#pragma once

#include <vector>

#include "../processor.h"

namespace wd {

extern const ParamSpec kReverbParams[];
extern const int kReverbParamCount;

class Reverb final : public Processor {
 public:
  enum Param { kRoomSize, kDamping, kWetLevel, kDryLevel, kWidth, kFreeze };

  static constexpr int kNumCombs = 8;
  static constexpr int kNumAllPasses = 4;

  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  PreparePlan planPrepare(double sampleRate, int maxBlock, int numInputs) const override;
  int numOutputs() const override { return 2; }
  void reset() override;
  void process(const AudioBlock& block) override;
  void setParam(int index, float value) override;

 private:
  struct Comb {
    float* buffer = nullptr;
    int size = 1;
    int index = 0;
    float last = 0.0f;  // the one-pole lowpass state in the feedback path
  };
  struct AllPass {
    float* buffer = nullptr;
    int size = 1;
    int index = 0;
  };
  // juce::SmoothedValue<float, Linear>: `steps` frames from the current value to a new target.
  struct Ramp {
    float current = 0.0f;
    float target = 0.0f;
    float step = 0.0f;
    int countdown = 0;
    int steps = 0;
    void setTarget(float value);
    float next();
    void finish() {
      current = target;
      countdown = 0;
    }
  };

  void updateTargets();

  float params_[6] = {0.5f, 0.5f, 0.33f, 0.4f, 1.0f, 0.0f};
  float inputGain_ = 0.015f;  // 0 while frozen, so the tail neither grows nor decays
  int numInputs_ = 0;
  Comb combs_[2][kNumCombs];
  AllPass allPasses_[2][kNumAllPasses];
  Ramp damping_, feedback_, dryGain_, wetGain1_, wetGain2_;
  std::vector<float> lines_;  // every comb and allpass buffer, back to back
  // maxBlock frames each: the combs' mono input and per-frame ramp values, the two wet sums, and
  // zeros standing in for a missing input.
  std::vector<float> scratch_;
  float* input_ = nullptr;
  float* damp_ = nullptr;
  float* roomFeedback_ = nullptr;
  float* wetL_ = nullptr;
  float* wetR_ = nullptr;
  float* silence_ = nullptr;
};

}  // namespace wd
