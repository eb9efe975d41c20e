// Compressor: feed-forward, log-domain design of Giannoulis, Massberg & Reiss, "Digital Dynamic
// Range Compressor Design: A Tutorial and Analysis" (JAES 60(6), 2012): a gain computer with a
// quadratic soft knee (their eq. 4) followed by the smooth branching peak detector (eq. 17) acting
// on the gain reduction in dB, then makeup gain.
//
// Stereo-linked: the detector sees the largest |x| over all channels, and one gain is applied to
// every channel, so the stereo image does not shift when one side is louder. Any channel count.
#pragma once

#include <vector>

#include "../processor.h"

namespace wd {

extern const ParamSpec kCompressorParams[];
extern const int kCompressorParamCount;

class Compressor final : public Processor {
 public:
  enum Param { kThreshold, kRatio, kAttack, kRelease, kKnee, kMakeup };

  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  PreparePlan planPrepare(double sampleRate, int maxBlock, int numInputs) const override;
  int numOutputs() const override { return channels_; }
  void reset() override { reductionDb_ = 0.0; }
  void process(const AudioBlock& block) override;
  void setParam(int index, float value) override;

 private:
  void updateCoefficients();
  double gainReductionDb(double levelDb) const;  // static curve: input level -> reduction >= 0

  double sampleRate_ = 48000.0;
  float thresholdDb_ = 0.0f;
  float ratio_ = 2.0f;
  float attackMs_ = 2.0f;
  float releaseMs_ = 50.0f;
  float kneeDb_ = 0.0f;
  float makeupDb_ = 0.0f;
  double attackCoef_ = 0.0;   // exp(-1 / (tau * fs)): the one-pole pole for attack
  double releaseCoef_ = 0.0;  // ... and for release
  double slope_ = 0.5;        // 1 / ratio - 1: dB of reduction per dB above threshold (negated)
  float kneeStart_ = 1.0f;    // linear level below which the reduction is 0 (skips the log)
  double reductionDb_ = 0.0;  // detector state: the smoothed gain reduction in dB, >= 0
  int channels_ = 0;
  std::vector<float> gain_;   // per frame of a block: the linked peak level, then the linear gain
};

}  // namespace wd
