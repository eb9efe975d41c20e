// ADSR envelope shared by the synth (amplitude and filter) and the sampler's filter.
//
// Shape: the attack rises linearly from the level it starts at to 1 at a rate of 1 / attack (from 0
// it reaches 1 after exactly `attack`, rounded to whole samples). Decay and release are exponential
// (one-pole, the shape of an analogue ADSR): decay approaches the sustain level and is within
// -60 dB of the distance it started from (1 - sustain) after `decay`; release approaches 0 and is
// 60 dB below the level the note-off found after `release`. The sustain stage is the decay's tail,
// so changing the sustain level while a note is held glides to it at the decay rate instead of
// stepping. The envelope ends (isIdle) when the release is 80 dB below its starting level (at
// 4/3 x release), or when a decay towards a sustain of 0 is 80 dB below 1.
//
// The level is a double: in float, a decay towards a sustain of 0.5 stalls 2e-5 above it (the step
// falls below half a float ulp), and it snaps to the sustain level once within 1e-7 of it.
//
// Everything is a recursion per sample: no allocation, and the same samples whatever the block
// partition (the caller advances it once per sample).
#pragma once

#include <cmath>
#include <cstdint>

namespace wd {

// Rates computed from the times once per parameter change (control or audio thread: no allocation).
struct EnvelopeRates {
  double attackStep = 1.0;   // level added per sample during the attack; 1 for no attack
  double decayCoef = 0.0;    // distance to sustain kept per sample
  double releaseCoef = 0.0;  // level kept per sample
  double sustain = 1.0;

  // -60 dB (a factor 1000) over `ms`: coefficient exp(-ln(1000) / samples); 0 ms is an instant jump.
  static double decayCoefficient(float ms, double sampleRate) {
    const double samples = static_cast<double>(ms) * sampleRate / 1000.0;
    if (samples < 1.0) return 0.0;
    return std::exp(-6.907755278982137 / samples);
  }

  void set(float attackMs, float decayMs, float sustainLevel, float releaseMs, double sampleRate) {
    const double attackSamples = std::round(static_cast<double>(attackMs) * sampleRate / 1000.0);
    attackStep = attackSamples < 1.0 ? 1.0 : 1.0 / attackSamples;
    decayCoef = decayCoefficient(decayMs, sampleRate);
    releaseCoef = decayCoefficient(releaseMs, sampleRate);
    sustain = sustainLevel;
  }
};

class Envelope {
 public:
  enum class Stage : uint8_t { kIdle, kAttack, kDecay, kRelease };
  // Where the envelope stops: 80 dB below the release's starting level (or below 1 for a decay to 0).
  static constexpr double kEndRatio = 1e-4;
  static constexpr double kSnap = 1e-7;

  // Starts (or restarts, from the current level: no step) the attack.
  void trigger() { stage_ = Stage::kAttack; }
  // Enters the release from the current level; an idle envelope stays idle.
  void release() {
    if (stage_ == Stage::kIdle || stage_ == Stage::kRelease) return;
    stage_ = Stage::kRelease;
    releaseEnd_ = level_ * kEndRatio;
  }
  void clear() {
    stage_ = Stage::kIdle;
    level_ = 0.0;
  }
  bool isIdle() const { return stage_ == Stage::kIdle; }
  bool isReleased() const { return stage_ == Stage::kRelease; }
  Stage stage() const { return stage_; }
  float level() const { return static_cast<float>(level_); }

  // The level of the next sample.
  float next(const EnvelopeRates& r) {
    switch (stage_) {
      case Stage::kAttack:
        level_ += r.attackStep;
        if (level_ >= 1.0) {
          level_ = 1.0;
          stage_ = Stage::kDecay;
        }
        break;
      case Stage::kDecay: {
        const double distance = (level_ - r.sustain) * r.decayCoef;
        level_ = std::fabs(distance) < kSnap ? r.sustain : r.sustain + distance;
        if (r.sustain <= 0.0 && level_ < kEndRatio) clear();
        break;
      }
      case Stage::kRelease:
        level_ *= r.releaseCoef;
        if (level_ <= releaseEnd_) clear();
        break;
      default: break;
    }
    return static_cast<float>(level_);
  }

 private:
  Stage stage_ = Stage::kIdle;
  double level_ = 0.0;
  double releaseEnd_ = 0.0;
};

}  // namespace wd
