#include "reverb.h"

#include <cmath>
#include <cstring>
#include <initializer_list>

#include "../dsp/finite.h"

namespace wd {

// Ranges and defaults are juce::Reverb::Parameters' (DawDreamer's make_reverb_processor defaults).
const ParamSpec kReverbParams[] = {
    // Room size 0..1 (0 small, 1 big), default 0.5: comb feedback = room_size * 0.28 + 0.7, so
    // 0.7..0.98 per pass.
    {"room_size", "Room size", "", 0.0f, 1.0f, 0.5f, false, nullptr},
    // High-frequency damping 0..1 (0 none, 1 most), default 0.5: the combs' one-pole lowpass
    // coefficient = damping * 0.4.
    {"damping", "Damping", "", 0.0f, 1.0f, 0.5f, false, nullptr},
    // Reverberated signal level 0..1 (linear), default 0.33; scaled by 3 inside (JUCE's
    // wetScaleFactor) and split between the channels by width.
    {"wet_level", "Wet level", "", 0.0f, 1.0f, 0.33f, false, nullptr},
    // Direct signal level 0..1 (linear), default 0.4; scaled by 2 inside (JUCE's dryScaleFactor),
    // so dry_level 1 with wet_level 0 outputs exactly twice the input.
    {"dry_level", "Dry level", "", 0.0f, 1.0f, 0.4f, false, nullptr},
    // Stereo width 0..1, default 1: 1 keeps the left and right tails apart, 0 sends both tails to
    // both outputs (mono reverb).
    {"width", "Width", "", 0.0f, 1.0f, 1.0f, false, nullptr},
    // Freeze 0/1, default off: on, the combs stop taking input and loop forever (feedback 1, no
    // damping). JUCE's freezeMode is a float where >= 0.5 freezes; here it is a switch.
    {"freeze", "Freeze", "", 0.0f, 1.0f, 0.0f, true, "off|on"},
};
const int kReverbParamCount = sizeof(kReverbParams) / sizeof(kReverbParams[0]);

namespace {

// FreeVerb's tunings (Jezar at Dreampoint, 2000), in frames at 44.1 kHz, as in juce::Reverb.
constexpr int kCombTunings[Reverb::kNumCombs] = {1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617};
constexpr int kAllPassTunings[Reverb::kNumAllPasses] = {556, 441, 341, 225};
constexpr int kStereoSpread = 23;  // extra frames on every right-channel delay
constexpr int kTuningRate = 44100;

// juce::Reverb::setParameters / updateDamping constants.
constexpr float kFixedGain = 0.015f;  // input gain into the combs
constexpr float kWetScale = 3.0f;
constexpr float kDryScale = 2.0f;
constexpr float kDampScale = 0.4f;
constexpr float kRoomScale = 0.28f;
constexpr float kRoomOffset = 0.7f;
constexpr float kAllPassFeedback = 0.5f;
constexpr double kRampSeconds = 0.01;  // juce::Reverb::setSampleRate smoothTime

// JUCE_UNDENORMALISE on Intel: rounds through 0.1f, which flushes anything below ~4e-9 to zero.
// Not an identity, so the compiler keeps it (no -ffast-math).
inline float undenormalise(float x) {
  x += 0.1f;
  x -= 0.1f;
  return x;
}

// JUCE computes (sampleRate * tuning) / 44100 in int arithmetic on the truncated rate.
int scaledLength(int sampleRate, int tuning) {
  const int length = static_cast<int>((static_cast<long long>(sampleRate) * tuning) / kTuningRate);
  return length < 1 ? 1 : length;  // a rate below 196 Hz would give JUCE an empty buffer
}

}  // namespace

void Reverb::Ramp::setTarget(float value) {
  if (value == target) return;
  if (steps <= 0) {
    target = current = value;
    countdown = 0;
    return;
  }
  target = value;
  countdown = steps;
  step = (target - current) / static_cast<float>(countdown);
}

float Reverb::Ramp::next() {
  if (countdown <= 0) return target;
  --countdown;
  if (countdown > 0) {
    current += step;
  } else {
    current = target;
  }
  return current;
}

namespace {
// Floats of every comb and allpass line together, at `rate`.
size_t lineFloats(int rate) {
  size_t total = 0;
  for (int ch = 0; ch < 2; ++ch) {
    const int spread = ch == 0 ? 0 : kStereoSpread;
    for (int tuning : kCombTunings) total += scaledLength(rate, tuning + spread);
    for (int tuning : kAllPassTunings) total += scaledLength(rate, tuning + spread);
  }
  return total;
}

// Scratch rows of maxBlock frames: the combs' mono input, two ramp rows, the two wet sums, silence.
constexpr int kScratchRows = 6;
}  // namespace

PreparePlan Reverb::planPrepare(double sampleRate, int maxBlock, int) const {
  const uint64_t block = static_cast<uint64_t>(maxBlock < 1 ? 1 : maxBlock);
  return {2, (lineFloats(static_cast<int>(sampleRate)) + kScratchRows * block) * sizeof(float)};
}

void Reverb::prepare(double sampleRate, int maxBlock, int numInputs) {
  numInputs_ = numInputs;
  const int rate = static_cast<int>(sampleRate);
  size_t total = 0;
  for (int ch = 0; ch < 2; ++ch) {
    const int spread = ch == 0 ? 0 : kStereoSpread;
    for (int j = 0; j < kNumCombs; ++j) {
      combs_[ch][j].size = scaledLength(rate, kCombTunings[j] + spread);
      total += combs_[ch][j].size;
    }
    for (int j = 0; j < kNumAllPasses; ++j) {
      allPasses_[ch][j].size = scaledLength(rate, kAllPassTunings[j] + spread);
      total += allPasses_[ch][j].size;
    }
  }
  lines_.assign(total, 0.0f);  // lineFloats(rate)
  float* p = lines_.data();
  for (int ch = 0; ch < 2; ++ch) {
    for (Comb& c : combs_[ch]) {
      c.buffer = p;
      p += c.size;
    }
    for (AllPass& a : allPasses_[ch]) {
      a.buffer = p;
      p += a.size;
    }
  }

  const size_t block = static_cast<size_t>(maxBlock < 1 ? 1 : maxBlock);
  scratch_.assign(kScratchRows * block, 0.0f);
  input_ = scratch_.data();
  damp_ = input_ + block;
  roomFeedback_ = damp_ + block;
  wetL_ = roomFeedback_ + block;
  wetR_ = wetL_ + block;
  silence_ = wetR_ + block;

  const int steps = static_cast<int>(std::floor(kRampSeconds * sampleRate));
  for (Ramp* r : {&damping_, &feedback_, &dryGain_, &wetGain1_, &wetGain2_}) r->steps = steps;
  reset();
}

void Reverb::reset() {
  std::memset(lines_.data(), 0, sizeof(float) * lines_.size());
  for (auto& channel : combs_) {
    for (Comb& c : channel) {
      c.index = 0;
      c.last = 0.0f;
    }
  }
  for (auto& channel : allPasses_) {
    for (AllPass& a : channel) a.index = 0;
  }
  for (Ramp* r : {&damping_, &feedback_, &dryGain_, &wetGain1_, &wetGain2_}) r->finish();
}

void Reverb::setParam(int index, float value) {
  if (index < 0 || index >= kReverbParamCount) return;
  params_[index] = value;
  updateTargets();
}

// juce::Reverb::setParameters and updateDamping.
void Reverb::updateTargets() {
  const float wet = params_[kWetLevel] * kWetScale;
  const float width = params_[kWidth];
  dryGain_.setTarget(params_[kDryLevel] * kDryScale);
  wetGain1_.setTarget(0.5f * wet * (1.0f + width));
  wetGain2_.setTarget(0.5f * wet * (1.0f - width));
  const bool frozen = params_[kFreeze] >= 0.5f;
  inputGain_ = frozen ? 0.0f : kFixedGain;
  if (frozen) {
    damping_.setTarget(0.0f);
    feedback_.setTarget(1.0f);
  } else {
    damping_.setTarget(params_[kDamping] * kDampScale);
    feedback_.setTarget(params_[kRoomSize] * kRoomScale + kRoomOffset);
  }
}

namespace {

// Comb j of both channels over a block, adding each output into its channel's sum. Same
// arithmetic as JUCE's CombFilter::process per frame. Looping per filter instead of per frame
// keeps the state in registers, and running the two channels' independent recurrences in one loop
// overlaps their latencies (measured: 9.2 -> 5.6 us per 128-frame quantum). The order of the
// additions into each sum (comb 0 first) is JUCE's. A template only so that it can take Reverb's
// private Comb.
template <typename Comb>
void runCombPair(Comb& l, Comb& r, const float* input, const float* damp, const float* feedback,
                 float* sumL, float* sumR, int n) {
  float* const bufL = l.buffer;
  float* const bufR = r.buffer;
  int il = l.index;
  int ir = r.index;
  float lastL = l.last;
  float lastR = r.last;
  for (int i = 0; i < n; ++i) {
    const float outL = bufL[il];
    const float outR = bufR[ir];
    const float d = damp[i];
    const float keep = 1.0f - d;
    lastL = undenormalise(outL * keep + lastL * d);
    lastR = undenormalise(outR * keep + lastR * d);
    bufL[il] = undenormalise(input[i] + lastL * feedback[i]);
    bufR[ir] = undenormalise(input[i] + lastR * feedback[i]);
    if (++il == l.size) il = 0;
    if (++ir == r.size) ir = 0;
    sumL[i] += outL;
    sumR[i] += outR;
  }
  l.index = il;
  r.index = ir;
  l.last = lastL;
  r.last = lastR;
}

// JUCE's AllPassFilter::process over a block, in place.
void runAllPass(float* buffer, int size, int& indexRef, float* io, int n) {
  int index = indexRef;
  for (int i = 0; i < n; ++i) {
    const float buffered = buffer[index];
    const float input = io[i];
    buffer[index] = undenormalise(input + buffered * kAllPassFeedback);
    if (++index == size) index = 0;
    io[i] = buffered - input;
  }
  indexRef = index;
}

}  // namespace

void Reverb::process(const AudioBlock& block) {
  const int n = block.frames;
  const float* inL = block.numInputs >= 1 ? block.inputs[0] : silence_;
  const float* inR = block.numInputs >= 2 ? block.inputs[1] : inL;
  float* outL = block.outputs[0];
  float* outR = block.outputs[1];

  for (int i = 0; i < n; ++i) {
    input_[i] = (inL[i] + inR[i]) * inputGain_;
    damp_[i] = damping_.next();
    roomFeedback_[i] = feedback_.next();
    wetL_[i] = 0.0f;
    wetR_[i] = 0.0f;
  }
  for (int j = 0; j < kNumCombs; ++j) {
    runCombPair(combs_[0][j], combs_[1][j], input_, damp_, roomFeedback_, wetL_, wetR_, n);
  }
  for (int j = 0; j < kNumAllPasses; ++j) {
    AllPass& l = allPasses_[0][j];
    AllPass& r = allPasses_[1][j];
    runAllPass(l.buffer, l.size, l.index, wetL_, n);
    runAllPass(r.buffer, r.size, r.index, wetR_, n);
  }
  // The input is read again here, after the combs, so the outputs may not alias it; the engine
  // gives every node its own output buffers.
  for (int i = 0; i < n; ++i) {
    const float dry = dryGain_.next();
    const float wet1 = wetGain1_.next();
    const float wet2 = wetGain2_.next();
    const float l = wetL_[i];
    const float r = wetR_[i];
    outL[i] = l * wet1 + r * wet2 + inL[i] * dry;
    outR[i] = r * wet1 + l * wet2 + inR[i] * dry;
  }
  // A NaN or infinity that reached the combs (from the input, or a sum that overflowed) would
  // circulate in their lines and the allpasses forever. Every comb output passes through its
  // lowpass state, and nothing reaches the allpasses but comb outputs, so the sixteen states tell
  // whether one got in during this block; if so the tail starts again from silence.
  float probe = 0.0f;
  for (const auto& channel : combs_) {
    for (const Comb& c : channel) probe += c.last;
  }
  if (!isFiniteSample(probe)) reset();
}

}  // namespace wd
