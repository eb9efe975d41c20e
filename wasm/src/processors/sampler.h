// Sampler: plays one sample (buffer slot 0) polyphonically from MIDI notes, repitched relative to a
// root note, shaped by a linear ADSR envelope. Responds on every MIDI channel.
#pragma once

#include <cstdint>

#include "../processor.h"

namespace wd {

extern const ParamSpec kSamplerParams[];
extern const int kSamplerParamCount;

class Sampler final : public Processor {
 public:
  enum Param { kRootNote, kAttack, kDecay, kSustain, kRelease, kGain, kBendRange, kVoices, kLoopMode, kLoopStart, kLoopEnd };
  // off: play the sample once. sustain: loop while the note is held, then play on to the sample's
  // end (SoundFont loop mode 3). continuous: loop until the envelope ends (SoundFont mode 1).
  enum LoopMode { kLoopOff, kLoopSustain, kLoopContinuous };
  static constexpr int kMaxVoices = 64;

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
  Voice voices_[kMaxVoices];
};

}  // namespace wd
