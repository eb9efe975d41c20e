// Sampler: plays one sample (buffer slot 0) polyphonically from MIDI notes, repitched relative to a
// root note, shaped by a linear ADSR envelope. Responds on every MIDI channel.
//
// Each voice may pass through a TPT state-variable filter (dsp/svf.h, the synth's) with its own ADSR
// (dsp/envelope.h), key tracking relative to the root note and a velocity amount. Its cutoff is
// computed every kControlInterval samples of a clock counting samples since reset() (and at the
// first frame after a parameter change or MIDI message), so the output does not depend on the block
// partition. filter_mode off (the default) leaves the samples exactly as without the filter.
#pragma once

#include <cstdint>

#include "../dsp/envelope.h"
#include "../dsp/svf.h"
#include "../processor.h"

namespace wd {

extern const ParamSpec kSamplerParams[];
extern const int kSamplerParamCount;

class Sampler final : public Processor {
 public:
  enum Param { kRootNote, kAttack, kDecay, kSustain, kRelease, kGain, kBendRange, kVoices, kLoopMode, kLoopStart, kLoopEnd,
               // Appended after the loop parameters, so older graphs keep their indices.
               kFilterMode, kFilterCutoff, kFilterResonance, kFilterEnvAmount, kFilterKeyTracking,
               kFilterAttack, kFilterDecay, kFilterSustain, kFilterRelease, kVelocityToFilter };
  // off: play the sample once. sustain: loop while the note is held, then play on to the sample's
  // end (SoundFont loop mode 3). continuous: loop until the envelope ends (SoundFont mode 1).
  enum LoopMode { kLoopOff, kLoopSustain, kLoopContinuous };
  static constexpr int kMaxVoices = 64;
  static constexpr int kControlInterval = 16;
  // Channels of the sample the filter processes; channels past these play unfiltered.
  static constexpr int kMaxFilterChannels = 8;

  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  // The voices live inside the object: prepare() takes no memory whatever the polyphony.
  PreparePlan planPrepare(double, int, int) const override { return {numOutputs(), 0}; }
  int numOutputs() const override { return buffer_ ? buffer_->numChannels : 1; }
  void reset() override;
  void process(const AudioBlock& block) override;
  void setParam(int index, float value) override;
  void midi(const MidiMessage& message) override;
  void setBuffer(int slot, const SampleBuffer* buffer) override;

 private:
  enum class Stage : uint8_t { kIdle, kAttack, kDecay, kSustain, kRelease };
  struct Voice {
    Stage stage = Stage::kIdle;
    uint8_t note = 0;
    float velocityGain = 0.0f;
    double position = 0.0;  // in sample frames
    float level = 0.0f;     // envelope level of the last sample
    int stagePos = 0;       // samples since the stage began
    float releaseFrom = 0.0f;
    uint64_t age = 0;       // for stealing the oldest voice
    float velocityOctaves = 0.0f;
    Envelope filterEnvelope;
    SvfCoefficients coefficients;
    SvfState filter[kMaxFilterChannels];
  };

  // The loop as whole frames of the sample, [start, end); end <= start means no loop.
  bool loops(const Voice& v) const;
  int64_t loopStartFrame() const;
  int64_t loopEndFrame() const;
  void noteOn(int note, int velocity);
  void noteOff(int note);
  void release(Voice& v);
  void updateRates();
  float advanceEnvelope(Voice& v);
  void updateFilter(Voice& v) const;

  const SampleBuffer* buffer_ = nullptr;
  double sampleRate_ = 48000.0;
  float rootNote_ = 60.0f;
  float attackMs_ = 0.0f, decayMs_ = 0.0f, sustain_ = 1.0f, releaseMs_ = 0.0f;
  float gain_ = 1.0f;
  float bendRange_ = 2.0f;
  float bend_ = 0.0f;  // -1..1
  int voiceCount_ = 16;
  int loopMode_ = kLoopOff;
  float loopStartSeconds_ = 0.0f, loopEndSeconds_ = 0.0f;
  // Stage lengths in samples; the level is a linear function of the position in the stage, so it
  // lands exactly on 1, the sustain level and 0 (no accumulated rounding).
  int attackSamples_ = 0, decaySamples_ = 0, releaseSamples_ = 0;
  double bendRatio_ = 1.0;
  uint64_t clock_ = 0;
  // The voice filter.
  int filterMode_ = 0;  // SvfMode
  float filterCutoff_ = 20000.0f, filterResonance_ = 0.70710678f, filterEnvAmount_ = 0.0f;
  float filterKeyTracking_ = 0.0f, velocityToFilter_ = 0.0f;
  float filterAttackMs_ = 0.0f, filterDecayMs_ = 200.0f, filterSustain_ = 0.0f, filterReleaseMs_ = 200.0f;
  EnvelopeRates filterRates_;
  uint64_t samples_ = 0;  // since reset(): the filter's control points are multiples of kControlInterval
  bool filterDirty_ = true;
  Voice voices_[kMaxVoices];
};

}  // namespace wd
