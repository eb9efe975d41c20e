#include "delay.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "../dsp/finite.h"

namespace wd {

const ParamSpec kDelayParams[] = {
    // Delay time in ms, 0..10000 (the lines are sized for 10 s): D = time * sampleRate / 1000
    // frames. Default 10 ms, DawDreamer's delay default.
    {"time", "Time", "ms", 0.0f, 10000.0f, 10.0f, false, nullptr},
    // Linear gain of s[n - D] fed back into the line, 0..0.999 (below 1 so every echo train
    // decays). Default 0: single echo, like DawDreamer's delay, which has no feedback.
    {"feedback", "Feedback", "", 0.0f, 0.999f, 0.0f, false, nullptr},
    // Linear gain of the delayed line s[n - D] in the output, 0..1. Default 1.
    {"wet", "Wet level", "", 0.0f, 1.0f, 1.0f, false, nullptr},
    // Linear gain of the input x[n] in the output, 0..1. Default 0, so that a default node is a
    // pure 10 ms delay, the building block of graph cycles. DawDreamer's crossfading delay
    // (delay=d, wet=w) is time=d, wet=w, dry=1-w.
    {"dry", "Dry level", "", 0.0f, 1.0f, 0.0f, false, nullptr},
};
const int kDelayParamCount = sizeof(kDelayParams) / sizeof(kDelayParams[0]);

namespace {

// One channel of the line for `n` frames, W >= 1. `w` is the slot of s[n] for the first frame.
// Reading s[n - W] and s[n - W - 1] before writing s[n] is safe because W + 1 < size, so the
// three slots differ. kFractional = false keeps integer delays exact copies (and cheaper).
template <bool kFractional>
void runLine(const float* in, float* out, float* buf, int size, int w, int whole, float frac,
             float feedback, float wet, float dry, int n) {
  int r = w - whole;  // s[n - W]
  if (r < 0) r += size;
  int r1 = r - 1;  // s[n - W - 1]
  if (r1 < 0) r1 += size;
  for (int i = 0; i < n; ++i) {
    const float a = buf[r];
    const float delayed = kFractional ? a + frac * (buf[r1] - a) : a;
    const float x = in[i];
    buf[w] = x + feedback * delayed;
    out[i] = dry * x + wet * delayed;
    if (++w == size) w = 0;
    r1 = r;
    if (++r == size) r = 0;
  }
}

// One channel for 0 <= D < 1: s[n - D] = (1 - f) s[n] + f s[n - 1] involves s[n], so the line
// equation s[n] = x[n] + feedback * s[n - D] is solved for s[n]:
//   s[n] = (x[n] + feedback * f * s[n - 1]) / (1 - feedback * (1 - f)),
// finite because feedback <= 0.999. With feedback 0 this is s = x and plain interpolation.
void runSubFrame(const float* in, float* out, float* buf, int size, int w, float frac,
                 float feedback, float wet, float dry, int n) {
  const float pull = feedback * frac;
  const float norm = 1.0f / (1.0f - feedback * (1.0f - frac));
  float prev = buf[w == 0 ? size - 1 : w - 1];
  for (int i = 0; i < n; ++i) {
    const float x = in[i];
    const float s = (x + pull * prev) * norm;
    const float delayed = s + frac * (prev - s);
    buf[w] = s;
    out[i] = dry * x + wet * delayed;
    prev = s;
    if (++w == size) w = 0;
  }
}

}  // namespace

namespace {
// Frames of each channel's line: W + 1 <= floor(10 s * rate) history frames plus the slot being
// written. A line is sized for the longest time whatever the time parameter says, so that automating
// the time never allocates.
int lineFrames(double sampleRate) { return static_cast<int>(std::floor(Delay::kMaxSeconds * sampleRate)) + 2; }
}  // namespace

PreparePlan Delay::planPrepare(double sampleRate, int, int numInputs) const {
  return {numInputs, static_cast<uint64_t>(numInputs) * static_cast<uint64_t>(lineFrames(sampleRate)) * sizeof(float)};
}

void Delay::prepare(double sampleRate, int, int numInputs) {
  sampleRate_ = sampleRate;
  channels_ = numInputs;
  size_ = lineFrames(sampleRate);
  lines_.assign(static_cast<size_t>(channels_) * size_, 0.0f);
  write_ = 0;
  dirty_ = 0;
  updateDelay();
}

void Delay::reset() {
  for (int c = 0; c < channels_; ++c) std::memset(line(c), 0, sizeof(float) * dirty_);
  write_ = 0;
  dirty_ = 0;
}

void Delay::setParam(int index, float value) {
  switch (index) {
    case kTime:
      timeMs_ = value;
      updateDelay();
      break;
    case kFeedback: feedback_ = value; break;
    case kWet: wet_ = value; break;
    case kDry: dry_ = value; break;
    default: break;
  }
}

void Delay::updateDelay() {
  double d = static_cast<double>(timeMs_) * sampleRate_ / 1000.0;
  // `time` is a float, so its rounding moves D by up to D * 2^-24: a time meant as a whole number
  // of frames (1000/48 ms = 1 frame at 48 kHz) lands next to the integer. Snapping within twice
  // that keeps such delays exact copies; a genuinely fractional D is never that close.
  const double nearest = std::floor(d + 0.5);
  if (std::fabs(d - nearest) <= d * 0x1p-23) d = nearest;
  if (size_ >= 2) d = std::min(d, static_cast<double>(size_ - 2));
  whole_ = static_cast<int>(d);
  frac_ = static_cast<float>(d - whole_);
}

void Delay::advance(int frames) {
  keepLinesFinite(frames);
  write_ = static_cast<int>((static_cast<int64_t>(write_) + frames) % size_);
  dirty_ = static_cast<int>(std::min<int64_t>(size_, static_cast<int64_t>(dirty_) + frames));
}

// A NaN or infinity written into a line would come back every D frames for as long as there is
// feedback (with none, once, D frames later). The slots just written, from write_ on, are checked
// once per block (a vectorised pass, far cheaper than a test per sample in the recursion) and any
// such value becomes 0, so the line only ever holds finite audio.
void Delay::keepLinesFinite(int frames) {
  const int first = std::min(frames, size_ - write_);
  for (int c = 0; c < channels_; ++c) {
    float* buf = line(c);
    zeroNonFinite(buf + write_, first);
    zeroNonFinite(buf, frames - first);
  }
}

void Delay::process(const AudioBlock& block) {
  const int n = block.frames;
  for (int c = 0; c < block.numOutputs; ++c) {
    const float* in = block.inputs[c];
    float* out = block.outputs[c];
    if (whole_ == 0) {
      runSubFrame(in, out, line(c), size_, write_, frac_, feedback_, wet_, dry_, n);
    } else if (frac_ == 0.0f) {
      runLine<false>(in, out, line(c), size_, write_, whole_, 0.0f, feedback_, wet_, dry_, n);
    } else {
      runLine<true>(in, out, line(c), size_, write_, whole_, frac_, feedback_, wet_, dry_, n);
    }
  }
  advance(n);
}

// Feedback mode reads only s[n - D] with n - D before the block (the engine keeps blocks within
// feedbackLatency() = W frames), writes wet * s[n - D] and leaves the line alone; the matching
// processFeedbackInput() then writes s[n] for the same frames. If the time drops below one frame
// while the node closes a cycle, both halves act as if D were 1 so they never read a slot that
// has not been written yet.
void Delay::processFeedbackOutput(const AudioBlock& block) {
  const int whole = std::max(whole_, 1);
  const float frac = whole_ >= 1 ? frac_ : 0.0f;
  for (int c = 0; c < block.numOutputs; ++c) {
    if (frac == 0.0f) {
      readWhole(line(c), block.outputs[c], ringIndex(write_ - whole), block.frames);
    } else {
      readFractional(line(c), block.outputs[c], ringIndex(write_ - whole), frac, block.frames);
    }
  }
}

void Delay::processFeedbackInput(const AudioBlock& block) {
  const int whole = std::max(whole_, 1);
  const float frac = whole_ >= 1 ? frac_ : 0.0f;
  const int channels = std::min(block.numInputs, channels_);
  for (int c = 0; c < channels; ++c) {
    if (frac == 0.0f) {
      writeWhole(block.inputs[c], line(c), write_, ringIndex(write_ - whole), block.frames);
    } else {
      writeFractional(block.inputs[c], line(c), write_, ringIndex(write_ - whole), frac, block.frames);
    }
  }
  advance(block.frames);
}

// The feedback halves walk the line in runs that do not wrap, so that a whole-frame delay (the
// usual case: a time in ms at 48 kHz is most often a whole number of frames) is a loop the compiler
// vectorises: out = wet * s[n - W], and s[n] = x + feedback * s[n - W]. (Sample by sample with a
// wrap test each, W2's one feedback delay took 7% of its render, as long as two of its 32 voices.)
// The samples are the fractional formula's with frac = 0, but for the sign of a zero: a + 0 * (b - a)
// turns -0 into +0, which no sum downstream can tell apart from -0.

int Delay::ringIndex(int index) const { return index < 0 ? index + size_ : index; }

void Delay::readWhole(const float* buf, float* out, int r, int n) const {
  const float wet = wet_;
  for (int i = 0; i < n;) {
    const int run = std::min(n - i, size_ - r);
    const float* from = buf + r;
    float* to = out + i;
    for (int k = 0; k < run; ++k) to[k] = wet * from[k];
    i += run;
    r = 0;  // a run ends at the line's end, or at the block's
  }
}

void Delay::readFractional(const float* buf, float* out, int r, float frac, int n) const {
  int r1 = ringIndex(r - 1);
  for (int i = 0; i < n; ++i) {
    const float a = buf[r];
    out[i] = wet_ * (a + frac * (buf[r1] - a));
    r1 = r;
    if (++r == size_) r = 0;
  }
}

void Delay::writeWhole(const float* in, float* buf, int w, int r, int n) const {
  const float feedback = feedback_;
  for (int i = 0; i < n;) {
    const int run = std::min({n - i, size_ - w, size_ - r});
    // s[n] and s[n - W] are W >= 1 slots apart: a write lands where a later frame reads, and the
    // compiler's overlap check keeps the loop scalar when W is shorter than a vector.
    const float* from = buf + r;
    float* to = buf + w;
    const float* x = in + i;
    for (int k = 0; k < run; ++k) to[k] = x[k] + feedback * from[k];
    i += run;
    w += run;
    r += run;
    if (w == size_) w = 0;
    if (r == size_) r = 0;
  }
}

void Delay::writeFractional(const float* in, float* buf, int w, int r, float frac, int n) const {
  int r1 = ringIndex(r - 1);
  for (int i = 0; i < n; ++i) {
    const float a = buf[r];
    buf[w] = in[i] + feedback_ * (a + frac * (buf[r1] - a));
    if (++w == size_) w = 0;
    r1 = r;
    if (++r == size_) r = 0;
  }
}

}  // namespace wd
