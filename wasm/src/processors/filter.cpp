#include "filter.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#include <algorithm>
#include <cmath>

#include "../dsp/finite.h"
#include "../dsp/sample_sink.h"

namespace wd {

const ParamSpec kFilterParams[] = {
    // Response shape. "bandpass" is the cookbook's constant 0 dB peak gain variant; "gain" only
    // affects peaking, lowshelf and highshelf.
    {"mode", "Mode", "", 0.0f, 7.0f, 0.0f, true,
     "lowpass|highpass|bandpass|notch|peaking|lowshelf|highshelf|allpass",
     // DawDreamer's labels for the same responses, so its graphs load unchanged.
     "low=lowpass|high=highpass|band=bandpass|low_shelf=lowshelf|high_shelf=highshelf"},
    // Cutoff, centre or shelf midpoint frequency in Hz, 10..24000. Clamped internally to just below
    // Nyquist (0.4999 * sample rate) so the poles stay inside the unit circle.
    {"frequency", "Frequency", "Hz", 10.0f, 24000.0f, 1000.0f, false, nullptr},
    // Quality factor (linear), 0.0001..40, default 1/sqrt(2) = 0.7071 (Butterworth for lowpass and
    // highpass, DawDreamer's default). For the shelves this is the cookbook's Q parameterisation
    // (alpha = sin(w0) / (2 Q)), which equals its slope form with S = 1 at Q = 1/sqrt(2).
    {"q", "Q", "", 0.0001f, 40.0f, 0.70710678f, false, nullptr},
    // Boost (+) or cut (-) in dB, -48..48, for peaking and shelves (A = 10^(gain / 40)).
    {"gain", "Gain", "dB", -48.0f, 48.0f, 0.0f, false, nullptr},
};
const int kFilterParamCount = sizeof(kFilterParams) / sizeof(kFilterParams[0]);

namespace {

constexpr double kPi = 3.14159265358979323846;
// A pole radius just below 1 at Nyquist still rings for a while; beyond it sin(w0) -> 0 and the
// biquad becomes marginally stable.
constexpr double kMaxFrequencyRatio = 0.4999;
// Below this the recursion has decayed to nothing audible; flushing it avoids subnormal doubles
// (slow on x86) and the zero-input limit cycles that rounding sustains in that range.
constexpr double kFlushBelow = 1e-200;

}  // namespace

PreparePlan Filter::planPrepare(double, int, int numInputs) const {
  return {numInputs, static_cast<uint64_t>(numInputs) * sizeof(State)};
}

void Filter::prepare(double sampleRate, int, int numInputs) {
  sampleRate_ = sampleRate;
  channels_ = numInputs;
  state_.assign(static_cast<size_t>(numInputs), State{});
  updateCoefficients();
}

void Filter::reset() { std::fill(state_.begin(), state_.end(), State{}); }

void Filter::setParam(int index, float value) {
  switch (index) {
    case kMode: mode_ = static_cast<int>(value); break;
    case kFrequency: frequency_ = value; break;
    case kQ: q_ = value; break;
    case kGain: gainDb_ = value; break;
    default: return;
  }
  updateCoefficients();
}

// Robert Bristow-Johnson, "Cookbook formulae for audio EQ biquad filter coefficients".
void Filter::updateCoefficients() {
  const double f0 = std::min(static_cast<double>(frequency_), kMaxFrequencyRatio * sampleRate_);
  const double w0 = 2.0 * kPi * f0 / sampleRate_;
  const double cw = std::cos(w0);
  const double alpha = std::sin(w0) / (2.0 * static_cast<double>(q_));
  const double A = std::pow(10.0, static_cast<double>(gainDb_) / 40.0);
  const double sqrtAalpha2 = 2.0 * std::sqrt(A) * alpha;
  struct {
    double b0, b1, b2, a0, a1, a2;
  } c;
  switch (mode_) {
    case kHighpass:
      c = {(1.0 + cw) / 2.0, -(1.0 + cw), (1.0 + cw) / 2.0, 1.0 + alpha, -2.0 * cw, 1.0 - alpha};
      break;
    case kBandpass: c = {alpha, 0.0, -alpha, 1.0 + alpha, -2.0 * cw, 1.0 - alpha}; break;
    case kNotch: c = {1.0, -2.0 * cw, 1.0, 1.0 + alpha, -2.0 * cw, 1.0 - alpha}; break;
    case kAllpass: c = {1.0 - alpha, -2.0 * cw, 1.0 + alpha, 1.0 + alpha, -2.0 * cw, 1.0 - alpha}; break;
    case kPeaking:
      c = {1.0 + alpha * A, -2.0 * cw, 1.0 - alpha * A, 1.0 + alpha / A, -2.0 * cw, 1.0 - alpha / A};
      break;
    case kLowShelf:
      c = {A * ((A + 1.0) - (A - 1.0) * cw + sqrtAalpha2),
           2.0 * A * ((A - 1.0) - (A + 1.0) * cw),
           A * ((A + 1.0) - (A - 1.0) * cw - sqrtAalpha2),
           (A + 1.0) + (A - 1.0) * cw + sqrtAalpha2,
           -2.0 * ((A - 1.0) + (A + 1.0) * cw),
           (A + 1.0) + (A - 1.0) * cw - sqrtAalpha2};
      break;
    case kHighShelf:
      c = {A * ((A + 1.0) + (A - 1.0) * cw + sqrtAalpha2),
           -2.0 * A * ((A - 1.0) + (A + 1.0) * cw),
           A * ((A + 1.0) + (A - 1.0) * cw - sqrtAalpha2),
           (A + 1.0) - (A - 1.0) * cw + sqrtAalpha2,
           2.0 * ((A - 1.0) - (A + 1.0) * cw),
           (A + 1.0) - (A - 1.0) * cw - sqrtAalpha2};
      break;
    default:  // kLowpass
      c = {(1.0 - cw) / 2.0, 1.0 - cw, (1.0 - cw) / 2.0, 1.0 + alpha, -2.0 * cw, 1.0 - alpha};
      break;
  }
  b0_ = c.b0 / c.a0;
  b1_ = c.b1 / c.a0;
  b2_ = c.b2 / c.a0;
  a1_ = c.a1 / c.a0;
  a2_ = c.a2 / c.a0;
}

template <typename Sink>
void Filter::filterChannel(State& s, const float* in, Sink into, int n) const {
  const Sink out = into;  // a local copy (dsp/sample_sink.h)
  const double b0 = b0_, b1 = b1_, b2 = b2_, a1 = a1_, a2 = a2_;
  // Look-ahead denominator D(z) D(-z) = 1 + e2 z^-2 + e4 z^-4; the numerator gains D(-z).
  const double e2 = 2.0 * a2 - a1 * a1;
  const double e4 = a2 * a2;
  double x1 = s.x1, x2 = s.x2;
  // The feed-forward part u = N(z) x of the two previous samples, from past inputs.
  double u1 = b0 * s.x1 + b1 * s.x2 + b2 * s.x3;
  double u2 = b0 * s.x2 + b1 * s.x3 + b2 * s.x4;
  double y1 = s.y1, y2 = s.y2, y3 = s.y3, y4 = s.y4;
  int i = 0;
#ifdef __wasm_simd128__
  // Samples n and n+1 depend on n-2.. and n-3.., never on each other: compute them as the two
  // lanes of f64x2 vectors, with exactly the scalar loop's operations in the same order, so the
  // result does not depend on where a block starts.
  {
    const v128_t vb0 = wasm_f64x2_splat(b0), vb1 = wasm_f64x2_splat(b1), vb2 = wasm_f64x2_splat(b2);
    const v128_t va1 = wasm_f64x2_splat(a1), va2 = wasm_f64x2_splat(a2);
    const v128_t ve2 = wasm_f64x2_splat(e2), ve4 = wasm_f64x2_splat(e4);
    v128_t xPrev = wasm_f64x2_make(x2, x1);  // (x[n-2], x[n-1])
    v128_t uPrev = wasm_f64x2_make(u2, u1);
    v128_t yPrev = wasm_f64x2_make(y2, y1);  // (y[n-2], y[n-1])
    v128_t yPrev2 = wasm_f64x2_make(y4, y3);
    for (; i + 2 <= n; i += 2) {
      const v128_t x = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(in + i));
      const v128_t xm1 = wasm_i64x2_shuffle(xPrev, x, 1, 2);  // (x[n-1], x[n])
      const v128_t u = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_mul(vb0, x), wasm_f64x2_mul(vb1, xm1)),
                                      wasm_f64x2_mul(vb2, xPrev));
      const v128_t um1 = wasm_i64x2_shuffle(uPrev, u, 1, 2);
      const v128_t v = wasm_f64x2_sub(
          wasm_f64x2_add(wasm_f64x2_sub(u, wasm_f64x2_mul(va1, um1)), wasm_f64x2_mul(va2, uPrev)),
          wasm_f64x2_mul(ve4, yPrev2));
      const v128_t y = wasm_f64x2_sub(v, wasm_f64x2_mul(ve2, yPrev));
      out.put2(i, wasm_f32x4_demote_f64x2_zero(y));
      xPrev = x;
      uPrev = u;
      yPrev2 = yPrev;
      yPrev = y;
    }
    x2 = wasm_f64x2_extract_lane(xPrev, 0);
    x1 = wasm_f64x2_extract_lane(xPrev, 1);
    u2 = wasm_f64x2_extract_lane(uPrev, 0);
    u1 = wasm_f64x2_extract_lane(uPrev, 1);
    y4 = wasm_f64x2_extract_lane(yPrev2, 0);
    y3 = wasm_f64x2_extract_lane(yPrev2, 1);
    y2 = wasm_f64x2_extract_lane(yPrev, 0);
    y1 = wasm_f64x2_extract_lane(yPrev, 1);
  }
#endif
  for (; i < n; ++i) {
    const double x = in[i];
    const double u = b0 * x + b1 * x1 + b2 * x2;
    const double v = u - a1 * u1 + a2 * u2 - e4 * y4;
    const double y = v - e2 * y2;
    x2 = x1;
    x1 = x;
    u2 = u1;
    u1 = u;
    y4 = y3;
    y3 = y2;
    y2 = y1;
    y1 = y;
    out.put(i, static_cast<float>(y));
  }
  // Once per block is enough: a flushed value is far below anything a float input can add to,
  // so the output does not depend on where the block boundaries fall.
  if (std::fabs(y1) < kFlushBelow) y1 = 0.0;
  if (std::fabs(y2) < kFlushBelow) y2 = 0.0;
  if (std::fabs(y3) < kFlushBelow) y3 = 0.0;
  if (std::fabs(y4) < kFlushBelow) y4 = 0.0;
  // Past inputs: the last four samples seen, reaching back into the previous block when n < 4.
  double x3, x4;
  if (n >= 4) {
    x3 = in[n - 3];
    x4 = in[n - 4];
  } else {
    const double older[4] = {s.x1, s.x2, s.x3, s.x4};
    x3 = n >= 3 ? in[n - 3] : older[2 - n];
    x4 = older[3 - n];
  }
  s = State{x1, x2, x3, x4, y1, y2, y3, y4};
  // A NaN or infinity in the input (or a sum that overflowed) would stay in the recursion
  // forever; once per block, a state that holds one starts again from silence. One sum covers
  // all eight values: it is non-finite if any of them is.
  if (!isFiniteState(x1 + x2 + x3 + x4 + y1 + y2 + y3 + y4)) s = State{};
}

void Filter::process(const AudioBlock& block) {
  for (int c = 0; c < block.numOutputs; ++c) {
    filterChannel(state_[c], block.inputs[c], StoreSink{block.outputs[c]}, block.frames);
  }
}

void Filter::processAdding(const AudioBlock& block, float* bus, float gain, float scale) {
  withAddSink(bus, gain, scale,
              [this, &block](const auto& sink) { filterChannel(state_[0], block.inputs[0], sink, block.frames); });
}

}  // namespace wd
