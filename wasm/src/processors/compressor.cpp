#include "compressor.h"

#include <algorithm>
#include <cmath>

#include "../dsp/finite.h"

namespace wd {

const ParamSpec kCompressorParams[] = {
    // Level in dB (re full scale, |x| = 1) above which the gain is reduced, -60..0.
    {"threshold", "Threshold", "dB", -60.0f, 0.0f, 0.0f, false, nullptr},
    // Input dB above threshold per output dB above threshold, 1..100 (1 = no compression).
    {"ratio", "Ratio", "", 1.0f, 100.0f, 2.0f, false, nullptr},
    // Attack time constant in ms, 0.01..1000: a step up in gain reduction reaches 1 - 1/e (63%) of
    // its final value after this time.
    {"attack", "Attack", "ms", 0.01f, 1000.0f, 2.0f, false, nullptr},
    // Release time constant in ms, 1..5000, the same definition for a step down.
    {"release", "Release", "ms", 1.0f, 5000.0f, 50.0f, false, nullptr},
    // Soft-knee width in dB, 0..24, centred on the threshold (0 = hard knee).
    {"knee", "Knee", "dB", 0.0f, 24.0f, 0.0f, false, nullptr},
    // Gain in dB applied after compression, -24..48.
    {"makeup", "Makeup gain", "dB", -24.0f, 48.0f, 0.0f, false, nullptr},
};
const int kCompressorParamCount = sizeof(kCompressorParams) / sizeof(kCompressorParams[0]);

namespace {

constexpr double kLn10Over20 = 2.302585092994045684 / 20.0;
// A release decays towards 0 dB forever; below this (1e-10 in amplitude, far under float
// resolution) it snaps to 0, which keeps the state out of subnormals and skips the exp.
constexpr double kReductionFloorDb = 1e-9;

}  // namespace

PreparePlan Compressor::planPrepare(double, int maxBlock, int numInputs) const {
  return {numInputs, static_cast<uint64_t>(maxBlock) * sizeof(float)};
}

void Compressor::prepare(double sampleRate, int maxBlock, int numInputs) {
  sampleRate_ = sampleRate;
  channels_ = numInputs;
  gain_.assign(static_cast<size_t>(maxBlock), 0.0f);
  updateCoefficients();
  reset();
}

void Compressor::setParam(int index, float value) {
  switch (index) {
    case kThreshold: thresholdDb_ = value; break;
    case kRatio: ratio_ = value; break;
    case kAttack: attackMs_ = value; break;
    case kRelease: releaseMs_ = value; break;
    case kKnee: kneeDb_ = value; break;
    case kMakeup: makeupDb_ = value; break;
    default: return;
  }
  updateCoefficients();
}

void Compressor::updateCoefficients() {
  // Giannoulis et al. eq. 7: alpha = exp(-1 / (tau * fs)), tau the time to reach 1 - 1/e.
  attackCoef_ = std::exp(-1000.0 / (static_cast<double>(attackMs_) * sampleRate_));
  releaseCoef_ = std::exp(-1000.0 / (static_cast<double>(releaseMs_) * sampleRate_));
  slope_ = 1.0 - 1.0 / static_cast<double>(ratio_);
  kneeStart_ = static_cast<float>(std::pow(10.0, (thresholdDb_ - 0.5 * kneeDb_) / 20.0));
}

// Giannoulis et al. eq. 4, written as the reduction x_G - y_G (>= 0) rather than the output level.
double Compressor::gainReductionDb(double levelDb) const {
  const double over = levelDb - static_cast<double>(thresholdDb_);
  const double halfKnee = 0.5 * static_cast<double>(kneeDb_);
  if (over <= -halfKnee) return 0.0;
  if (over < halfKnee) {
    const double x = over + halfKnee;
    return slope_ * x * x / (2.0 * static_cast<double>(kneeDb_));
  }
  return std::max(0.0, slope_ * over);
}

void Compressor::process(const AudioBlock& block) {
  const int n = block.frames;
  float* gain = gain_.data();

  // Linked peak level: max |x| over channels (branch-free, vectorises).
  std::fill(gain, gain + n, 0.0f);
  for (int c = 0; c < block.numInputs; ++c) {
    const float* in = block.inputs[c];
    for (int i = 0; i < n; ++i) gain[i] = std::max(gain[i], std::fabs(in[i]));
  }

  // The detector is recursive, so this loop is scalar; the log is only taken above the knee.
  const double makeupDb = makeupDb_;
  const float makeup = static_cast<float>(std::exp(makeupDb * kLn10Over20));
  double reduction = reductionDb_;
  for (int i = 0; i < n; ++i) {
    const float level = gain[i];
    const double target = level > kneeStart_ ? gainReductionDb(20.0 * std::log10(level)) : 0.0;
    // Smooth branching peak detector (eq. 17): attack while the reduction grows, else release.
    const double coef = target > reduction ? attackCoef_ : releaseCoef_;
    reduction = coef * reduction + (1.0 - coef) * target;
    if (reduction < kReductionFloorDb) reduction = 0.0;
    gain[i] = reduction == 0.0 ? makeup
                               : static_cast<float>(std::exp((makeupDb - reduction) * kLn10Over20));
  }
  // An infinite input level makes the reduction infinite, and a release never brings it back:
  // the node would stay silent. Once per block, such a detector starts again from rest.
  reductionDb_ = isFiniteState(reduction) ? reduction : 0.0;

  for (int c = 0; c < block.numOutputs; ++c) {
    const float* in = block.inputs[c];
    float* out = block.outputs[c];
    for (int i = 0; i < n; ++i) out[i] = in[i] * gain[i];
  }
}

}  // namespace wd
