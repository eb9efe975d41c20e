// Synth: a polyphonic subtractive synthesizer played by MIDI (every channel). Per voice: two
// band-limited oscillators (the mip-mapped wavetables of dsp/wavetable.h, or the fixed-point sine)
// with coarse and fine detune and a mix, white noise, a TPT state-variable filter (dsp/svf.h) with
// its own ADSR, key tracking and velocity amount, and an amplitude ADSR (dsp/envelope.h). One LFO,
// shared by the voices, modulates pitch, cutoff and amplitude. Glide is constant-time portamento
// from the last note played; voices = 1 is a mono synth with legato (a note played while another is
// held glides without retriggering the envelopes, and releasing it returns to the held note).
//
// Control rate: pitch (glide, LFO, bend), the wavetable levels and the filter coefficients are
// computed every kControlInterval samples of a clock that counts samples since reset(), and at the
// first frame of any call that follows a parameter change or MIDI message, so the output does not
// depend on the block partition. Within one of those chunks the phase increment is constant, so the
// wavetable levels chosen for it are exact (no aliasing from a stale level). Envelopes run per
// sample; the LFO's amplitude modulation is interpolated linearly between control points.
//
// Voice stealing: when `voices` notes sound and another starts, a released voice is taken first
// (the oldest note among them), else the oldest note. The stolen voice is not cut: it moves to a
// spare slot and fades out linearly over kStealFadeMs while the new note starts. The same note
// played again while its voice still sounds restarts that voice's envelopes from their current
// level (no click, no second voice).
//
// Output: one channel (mono).
#pragma once

#include <cstdint>

#include "../dsp/envelope.h"
#include "../dsp/svf.h"
#include "../dsp/wavetable.h"
#include "../processor.h"

namespace wd {

extern const ParamSpec kSynthParams[];
extern const int kSynthParamCount;
// The named presets of ProcessorType::presets (see processor_registry.h for the encoding).
extern const char* const kSynthPresets;

class Synth final : public Processor {
 public:
  enum Param {
    kOsc1Waveform,
    kOsc2Waveform,
    kOsc2Semitones,
    kOsc2Detune,
    kOscMix,
    kNoise,
    kFilterMode,
    kFilterCutoff,
    kFilterResonance,
    kFilterEnvAmount,
    kFilterKeyTracking,
    kFilterAttack,
    kFilterDecay,
    kFilterSustain,
    kFilterRelease,
    kAttack,
    kDecay,
    kSustain,
    kRelease,
    kLfoWaveform,
    kLfoRate,
    kLfoToPitch,
    kLfoToCutoff,
    kLfoToAmp,
    kVelocityToAmp,
    kVelocityToFilter,
    kGlide,
    kVoices,
    kBendRange,
    kGain,
    kParamCount
  };
  enum Waveform { kSine, kSaw, kSquare, kTriangle };
  static constexpr int kMaxVoices = 64;
  // Stolen voices fade out in spare slots while new notes start in their place.
  static constexpr int kSlots = 2 * kMaxVoices;
  static constexpr int kControlInterval = 16;
  static constexpr float kStealFadeMs = 3.0f;
  // Key tracking is relative to this note: at middle C the cutoff is the one set.
  static constexpr float kKeyTrackingReference = 60.0f;

  Synth();
  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  // The voices live inside the object: prepare() takes no memory.
  PreparePlan planPrepare(double, int, int) const override { return {1, 0}; }
  int numOutputs() const override { return 1; }
  void reset() override;
  void process(const AudioBlock& block) override;
  void setParam(int index, float value) override;
  void midi(const MidiMessage& message) override;

 private:
  struct Voice {
    bool active = false;
    bool held = false;   // note-on seen, note-off not yet
    bool fading = false;  // stolen: fading out, deaf to MIDI
    uint8_t note = 0;
    float velocityGain = 1.0f;
    float velocityOctaves = 0.0f;
    // Glide: pitch (in MIDI notes) goes linearly from glideFrom to `target` over glideSamples.
    float glideFrom = 0.0f;
    float target = 0.0f;
    float pitch = 0.0f;
    int64_t glideElapsed = 0;
    int64_t glideSamples = 0;
    int fadeRemaining = 0;
    uint64_t age = 0;
    uint32_t phase1 = 0, phase2 = 0;
    uint32_t increment1 = 0, increment2 = 0;
    WavetableMix mix1{}, mix2{};
    uint32_t noise = 1;
    Envelope amp, filter;
    SvfState svf;
    SvfCoefficients coefficients;
  };

  void noteOn(int note, int velocity);
  void noteOff(int note);
  void startVoice(Voice& v, int note, int velocity, float glideFrom);
  void retarget(Voice& v, float note);
  void fadeOut(Voice& v);
  Voice* victim();
  Voice* freeSlot();
  int soundingCount() const;
  void limitVoices();
  void updateRates();
  void updateControl(int intoTick);
  void updateVoice(Voice& v);
  void renderVoice(Voice& v, float* out, int n, int intoTick);
  float lfoValue(uint32_t phase) const;
  float currentPitch(const Voice& v) const;

  double sampleRate_ = 48000.0;
  float params_[kParamCount];
  EnvelopeRates ampRates_, filterRates_;
  int fadeSamples_ = 144;
  uint32_t lfoPhase_ = 0, lfoIncrement_ = 0;
  float lfo_ = 0.0f;  // the LFO at the last control point, -1..1
  float ampLfoFrom_ = 1.0f, ampLfoTo_ = 1.0f;
  float bend_ = 0.0f;  // -1..1
  uint64_t clock_ = 0;
  uint64_t noteCount_ = 0;
  int lastNote_ = -1;
  bool dirty_ = true;
  // Held notes in the order played (for mono legato): the last is the one sounding.
  static constexpr int kMaxHeld = 32;
  uint8_t held_[kMaxHeld];
  int heldCount_ = 0;
  Voice voices_[kSlots];
};

}  // namespace wd
