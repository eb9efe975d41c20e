#include "panner.h"

#include <algorithm>
#include <cmath>

namespace wd {

const ParamSpec kPannerParams[] = {
    // Position, -1 (full left) .. 0 (centre) .. 1 (full right).
    {"pan", "Pan", "", -1.0f, 1.0f, 0.0f, false, nullptr},
    // Pan law, JUCE dsp::PannerRule order and names. Every rule gives unity gain on both sides at
    // the centre (JUCE's boost factor), and differs in how the level falls off towards the sides.
    // equalPower is Web Audio's StereoPannerNode: no boost, and a stereo input is panned by moving
    // one side into the other rather than by scaling each.
    {"rule", "Rule", "", 0.0f, 7.0f, 0.0f, true,
     "linear|balanced|sin3dB|sin4p5dB|sin6dB|squareRoot3dB|squareRoot4p5dB|equalPower"},
};
const int kPannerParamCount = sizeof(kPannerParams) / sizeof(kPannerParams[0]);

void Panner::setParam(int index, float value) {
  switch (index) {
    case kPan: pan_ = value; break;
    case kRule: rule_ = static_cast<int>(value); break;
    default: return;
  }
  updateGains();
}

// The formulas of juce::dsp::Panner<SampleType>::update() (JUCE 6-8,
// modules/juce_dsp/processors/juce_Panner.cpp), including the final multiplication by the
// rule's boost value. JUCE ramps the gains over 50 ms; here they change at the exact frame the
// engine applies the parameter.
void Panner::updateGains() {
  constexpr double kHalfPi = 0.5 * 3.14159265358979323846;
  if (rule_ == kEqualPower) {
    // The Web Audio spec's StereoPannerNode algorithm ("Stereo Panning"), with pan clamped to
    // [-1, 1]. Mono: x = (pan + 1) / 2. Stereo: x = pan + 1 for pan <= 0, else x = pan.
    const double pan = std::clamp(static_cast<double>(pan_), -1.0, 1.0);
    const double mono = (pan + 1.0) * 0.5 * kHalfPi;
    const double stereo = (pan <= 0.0 ? pan + 1.0 : pan) * kHalfPi;
    monoLeft_ = static_cast<float>(std::cos(mono));
    monoRight_ = static_cast<float>(std::sin(mono));
    stereoLeft_ = static_cast<float>(std::cos(stereo));
    stereoRight_ = static_cast<float>(std::sin(stereo));
    return;
  }
  const double p = 0.5 * (static_cast<double>(pan_) + 1.0);  // JUCE's normalisedPan, 0..1
  const double sinL = std::sin(kHalfPi * (1.0 - p));
  const double sinR = std::sin(kHalfPi * p);
  struct {
    double left, right, boost;
  } g;
  switch (rule_) {
    case kBalanced: g = {std::min(0.5, 1.0 - p), std::min(0.5, p), 2.0}; break;
    case kSin3dB: g = {sinL, sinR, std::sqrt(2.0)}; break;
    case kSin4p5dB: g = {std::pow(sinL, 1.5), std::pow(sinR, 1.5), std::pow(2.0, 3.0 / 4.0)}; break;
    case kSin6dB: g = {std::pow(sinL, 2.0), std::pow(sinR, 2.0), 2.0}; break;
    case kSquareRoot3dB: g = {std::sqrt(1.0 - p), std::sqrt(p), std::sqrt(2.0)}; break;
    case kSquareRoot4p5dB:
      g = {std::pow(std::sqrt(1.0 - p), 1.5), std::pow(std::sqrt(p), 1.5), std::pow(2.0, 3.0 / 4.0)};
      break;
    default: g = {1.0 - p, p, 2.0}; break;  // kLinear
  }
  left_ = static_cast<float>(g.left * g.boost);
  right_ = static_cast<float>(g.right * g.boost);
}

void Panner::process(const AudioBlock& block) {
  const int n = block.frames;
  float* outL = block.outputs[0];
  float* outR = block.outputs[1];
  if (block.numInputs == 0) {
    std::fill(outL, outL + n, 0.0f);
    std::fill(outR, outR + n, 0.0f);
    return;
  }
  if (rule_ == kEqualPower) {
    processEqualPower(block);
    return;
  }
  // Mono feeds both sides; otherwise the first two channels are left and right (as in JUCE,
  // which takes only mono or stereo; further channels are ignored here).
  const float* inL = block.inputs[0];
  const float* inR = block.numInputs >= 2 ? block.inputs[1] : inL;
  const float gl = left_, gr = right_;
  for (int i = 0; i < n; ++i) outL[i] = inL[i] * gl;
  for (int i = 0; i < n; ++i) outR[i] = inR[i] * gr;
}


// Web Audio's equal-power panning: a mono input goes to both sides with cos/sin gains; a stereo
// input panned left keeps its left channel and adds the right one into it (cos), keeping sin of the
// right; panned right, the mirror. At pan 0 a stereo input passes unchanged.
void Panner::processEqualPower(const AudioBlock& block) {
  const int n = block.frames;
  float* outL = block.outputs[0];
  float* outR = block.outputs[1];
  const float* inL = block.inputs[0];
  if (block.numInputs < 2) {
    const float gl = monoLeft_, gr = monoRight_;
    for (int i = 0; i < n; ++i) outL[i] = inL[i] * gl;
    for (int i = 0; i < n; ++i) outR[i] = inL[i] * gr;
    return;
  }
  const float* inR = block.inputs[1];
  const float gl = stereoLeft_, gr = stereoRight_;
  if (pan_ <= 0.0f) {
    for (int i = 0; i < n; ++i) outL[i] = inL[i] + inR[i] * gl;
    for (int i = 0; i < n; ++i) outR[i] = inR[i] * gr;
  } else {
    for (int i = 0; i < n; ++i) outL[i] = inL[i] * gl;
    for (int i = 0; i < n; ++i) outR[i] = inR[i] + inL[i] * gr;
  }
}

}  // namespace wd
