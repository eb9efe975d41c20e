#include "mixer.h"

#include <algorithm>
#include <numeric>

namespace wd {

namespace {

// The 256 input gain ids and names ("input_gain_17", "Input 17 gain"), written by constexpr code so
// that the table is constant data: no static-initialisation order to worry about, nothing to type.
constexpr int kLabelSize = 16;
struct Labels {
  char id[kMixerInputGains][kLabelSize];
  char name[kMixerInputGains][kLabelSize];
};

constexpr int appendText(char* dst, int at, const char* text) {
  while (*text) dst[at++] = *text++;
  return at;
}

constexpr int appendNumber(char* dst, int at, int value) {
  char digits[4] = {};
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  while (count > 0) dst[at++] = digits[--count];
  return at;
}

constexpr Labels makeLabels() {
  Labels labels{};
  for (int i = 0; i < kMixerInputGains; ++i) {
    appendNumber(labels.id[i], appendText(labels.id[i], 0, "input_gain_"), i);
    appendText(labels.name[i], appendNumber(labels.name[i], appendText(labels.name[i], 0, "Input "), i),
               " gain");
  }
  return labels;
}

constexpr Labels kLabels = makeLabels();

struct ParamTable {
  ParamSpec specs[1 + kMixerInputGains];
};

constexpr ParamTable makeParamTable() {
  ParamTable table{};
  // Master gain (linear), applied to every input: -1000..1000 like the gain node (negative
  // inverts polarity).
  table.specs[0] = {"gain", "Gain", "", -1000.0f, 1000.0f, 1.0f, false, nullptr};
  for (int i = 0; i < kMixerInputGains; ++i) {
    // Gain of input i (linear), -1000..1000, default 1.
    table.specs[1 + i] = {kLabels.id[i], kLabels.name[i], "", -1000.0f, 1000.0f, 1.0f, false, nullptr};
  }
  return table;
}

constexpr ParamTable kParamTable = makeParamTable();

// out += gain * in. Kept as its own loop so that it vectorises; __restrict because the engine
// never hands a node its own output as input.
inline void accumulate(float* __restrict out, const float* __restrict in, float gain, int n) {
  for (int i = 0; i < n; ++i) out[i] += gain * in[i];
}

// Four inputs in one pass: the output is loaded and stored once instead of four times (a bus of
// 256 sources is bound by those loads and stores). The additions keep the one-by-one order, so the
// sum is bit-identical to four accumulate() calls.
inline void accumulate4(float* __restrict out, const float* __restrict a, const float* __restrict b,
                        const float* __restrict c, const float* __restrict d, const float* gains, int n) {
  const float ga = gains[0], gb = gains[1], gc = gains[2], gd = gains[3];
  for (int i = 0; i < n; ++i) out[i] = (((out[i] + ga * a[i]) + gb * b[i]) + gc * c[i]) + gd * d[i];
}

// out += gain * (in * scale): a folded gain's output (in * scale, as Gain::process computes it)
// added as accumulate() adds it, without the gain's own pass over a buffer.
// A gain of 1 (the mixer's default) skips its multiply: 1 * y is y.
inline void accumulateScaled(float* __restrict out, const float* __restrict in, float scale, float gain, int n) {
  if (gain == 1.0f) {
    for (int i = 0; i < n; ++i) out[i] += in[i] * scale;
  } else {
    for (int i = 0; i < n; ++i) out[i] += gain * (in[i] * scale);
  }
}

}  // namespace

const ParamSpec* const kMixerParams = kParamTable.specs;
const int kMixerParamCount = 1 + kMixerInputGains;

Mixer::Mixer() { std::fill(gains_, gains_ + kMixerInputGains, 1.0f); }

// Control thread, before prepare(): copying the layout may allocate, which is safe here (the
// audio thread is not running this node yet).
void Mixer::setInputLayout(const int* channelsPerInput, int numInputs) {
  layout_.assign(channelsPerInput, channelsPerInput + numInputs);
}

bool Mixer::layoutMatches(int numInputs) const {
  return std::accumulate(layout_.begin(), layout_.end(), 0) == numInputs;
}

// The layout is held from setInputLayout() (or made in prepare()), so it is counted here.
PreparePlan Mixer::planPrepare(double, int, int numInputs) const {
  if (!layoutMatches(numInputs)) return {1, static_cast<uint64_t>(numInputs) * sizeof(int)};
  const int widest = layout_.empty() ? 1 : *std::max_element(layout_.begin(), layout_.end());
  return {std::max(1, widest), static_cast<uint64_t>(layout_.size()) * sizeof(int)};
}

void Mixer::prepare(double, int, int numInputs) {
  // Without a layout that matches the input channels (a host that never called setInputLayout),
  // every channel is taken as a mono input: a sum of mono sources still comes out right.
  if (!layoutMatches(numInputs)) layout_.assign(numInputs, 1);
  // No inputs still gives one (silent) channel, so an empty bus can be a graph output.
  channels_ = std::max(1, layout_.empty() ? 1 : *std::max_element(layout_.begin(), layout_.end()));
}

void Mixer::setParam(int index, float value) {
  if (index == kGain) {
    master_ = value;
  } else if (index >= kInputGain0 && index < kInputGain0 + kMixerInputGains) {
    gains_[index - kInputGain0] = value;
  }
}

bool Mixer::inputGainFactors(int input, const float** inputFactor, const float** masterFactor) const {
  static constexpr float kOne = 1.0f;  // inputGain's factor past the first kMixerInputGains
  *inputFactor = input < kMixerInputGains ? &gains_[input] : &kOne;
  *masterFactor = &master_;
  return true;
}

void Mixer::process(const AudioBlock& block) {
  accumulateInputs(block, 0, static_cast<int>(layout_.size()), 0, 1.0f);
}

void Mixer::accumulateInputs(const AudioBlock& block, int from, int to, int channel, float lastScale) {
  const int n = block.frames;
  if (from == 0) {
    for (int c = 0; c < block.numOutputs; ++c) std::fill(block.outputs[c], block.outputs[c] + n, 0.0f);
  }
  to = std::min(to, static_cast<int>(layout_.size()));
  // A folded gain's input (the range's last, mono) is added apart, scaled first.
  const int plain = lastScale != 1.0f && to > from && layout_[to - 1] == 1 ? to - 1 : to;
  for (int i = from; i < plain; ++i) {
    // Runs of four mono inputs (a bus of sources) take the four-at-a-time path.
    if (i + 4 <= plain && layout_[i] == 1 && layout_[i + 1] == 1 && layout_[i + 2] == 1 && layout_[i + 3] == 1) {
      float gains[4];
      for (int k = 0; k < 4; ++k) gains[k] = inputGain(i + k);
      const float* const* in = block.inputs + channel;
      for (int c = 0; c < block.numOutputs; ++c) accumulate4(block.outputs[c], in[0], in[1], in[2], in[3], gains, n);
      channel += 4;
      i += 3;
      continue;
    }
    const int width = layout_[i];
    const float gain = inputGain(i);
    if (width == 1) {
      for (int c = 0; c < block.numOutputs; ++c) accumulate(block.outputs[c], block.inputs[channel], gain, n);
    } else {
      for (int c = 0; c < width; ++c) accumulate(block.outputs[c], block.inputs[channel + c], gain, n);
    }
    channel += width;
  }
  if (plain < to) {
    const float gain = inputGain(plain);
    for (int c = 0; c < block.numOutputs; ++c) accumulateScaled(block.outputs[c], block.inputs[channel], lastScale, gain, n);
  }
}

}  // namespace wd
