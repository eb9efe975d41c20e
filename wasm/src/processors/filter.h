// Filter: one RBJ Audio EQ Cookbook biquad per channel (outputs = inputs).
//
// Coefficients are computed in setParam() only, never per sample. The state is plain past input and
// output samples in double precision (as in Direct Form I), so a coefficient change between
// sub-blocks (sample-accurate automation) cannot make it inconsistent, and double precision keeps
// low-frequency, high-Q poles near z = 1 accurate.
//
// The recursion uses scattered look-ahead (Parhi & Messerschmitt 1989): numerator and denominator
// are multiplied by D(-z), so y[n] depends on y[n-2] and y[n-4] only. That breaks the one-sample
// multiply-add dependency chain that bounds a biquad's speed, and the added poles mirror the
// filter's own (same radius), so it stays stable; the response is the same biquad's.
#pragma once

#include <vector>

#include "../processor.h"

namespace wd {

extern const ParamSpec kFilterParams[];
extern const int kFilterParamCount;

class Filter final : public Processor {
 public:
  enum Param { kMode, kFrequency, kQ, kGain };
  enum Mode { kLowpass, kHighpass, kBandpass, kNotch, kPeaking, kLowShelf, kHighShelf, kAllpass };

  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  PreparePlan planPrepare(double sampleRate, int maxBlock, int numInputs) const override;
  int numOutputs() const override { return channels_; }
  void reset() override;
  void process(const AudioBlock& block) override;
  // A mono lowpass before a mixer adds itself into its bus (Processor::processAdding): W2's voices do.
  bool addsIntoBus() const override { return true; }
  void processAdding(const AudioBlock& block, float* bus, float gain, float scale) override;
  void setParam(int index, float value) override;

 private:
  // Past inputs x[n-1..n-4] and outputs y[n-1..n-4].
  struct State {
    double x1 = 0.0, x2 = 0.0, x3 = 0.0, x4 = 0.0;
    double y1 = 0.0, y2 = 0.0, y3 = 0.0, y4 = 0.0;
  };

  void updateCoefficients();
  // One channel's block: input `in`, output into a sink (dsp/sample_sink.h), stored or added.
  template <typename Sink>
  void filterChannel(State& s, const float* in, Sink out, int n) const;

  double sampleRate_ = 48000.0;
  int mode_ = kLowpass;
  float frequency_ = 1000.0f;
  float q_ = 0.70710678f;
  float gainDb_ = 0.0f;
  // Normalised by a0.
  double b0_ = 1.0, b1_ = 0.0, b2_ = 0.0, a1_ = 0.0, a2_ = 0.0;
  int channels_ = 0;
  std::vector<State> state_;
};

}  // namespace wd
