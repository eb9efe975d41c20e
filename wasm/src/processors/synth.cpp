#include "synth.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "../dsp/fast_sin.h"
#include "voice_filter_params.h"

namespace wd {

const ParamSpec kSynthParams[] = {
    // Oscillator 1's waveform: band-limited saw, square and triangle, or a pure sine.
    {"osc1_waveform", "Oscillator 1 waveform", "", 0.0f, 3.0f, 1.0f, true, "sine|saw|square|triangle"},
    {"osc2_waveform", "Oscillator 2 waveform", "", 0.0f, 3.0f, 1.0f, true, "sine|saw|square|triangle"},
    // Oscillator 2's pitch relative to the note: coarse, in whole semitones, and fine, in cents.
    {"osc2_semitones", "Oscillator 2 semitones", "semitones", -24.0f, 24.0f, 0.0f, true, nullptr},
    {"osc2_detune", "Oscillator 2 detune", "cents", -100.0f, 100.0f, 0.0f, false, nullptr},
    // 0: oscillator 1 alone, 1: oscillator 2 alone; osc1 x (1 - mix) + osc2 x mix.
    {"osc_mix", "Oscillator mix", "", 0.0f, 1.0f, 0.0f, false, nullptr},
    // White noise added before the filter, linear amplitude (uniform in [-level, level]).
    {"noise", "Noise level", "", 0.0f, 1.0f, 0.0f, false, nullptr},
    WD_VOICE_FILTER_PARAMS(1.0f),
    // Amplitude envelope: linear attack, exponential decay and release (dsp/envelope.h).
    {"attack", "Attack", "ms", 0.0f, 10000.0f, 2.0f, false, nullptr},
    {"decay", "Decay", "ms", 0.0f, 10000.0f, 100.0f, false, nullptr},
    {"sustain", "Sustain", "", 0.0f, 1.0f, 1.0f, false, nullptr},
    {"release", "Release", "ms", 0.0f, 10000.0f, 100.0f, false, nullptr},
    {"lfo_waveform", "LFO waveform", "", 0.0f, 3.0f, 0.0f, true, "sine|triangle|saw|square"},
    {"lfo_rate", "LFO rate", "Hz", 0.01f, 50.0f, 5.0f, false, nullptr},
    // LFO depths: pitch in cents (peak), cutoff in octaves (peak), amplitude as the dip at the
    // LFO's trough (gain 1 - depth x (1 - lfo) / 2).
    {"lfo_to_pitch", "LFO to pitch", "cents", 0.0f, 1200.0f, 0.0f, false, nullptr},
    {"lfo_to_cutoff", "LFO to cutoff", "octaves", 0.0f, 8.0f, 0.0f, false, nullptr},
    {"lfo_to_amp", "LFO to amplitude", "", 0.0f, 1.0f, 0.0f, false, nullptr},
    // Velocity v (1..127): gain 1 - amount x (1 - v / 127); cutoff moved amount x (v / 127 - 1) octaves.
    {"velocity_to_amp", "Velocity to amplitude", "", 0.0f, 1.0f, 1.0f, false, nullptr},
    {"velocity_to_filter", "Velocity to filter", "octaves", 0.0f, 8.0f, 0.0f, false, nullptr},
    // Portamento time from the last note played to the new one, whatever the interval.
    {"glide", "Glide", "ms", 0.0f, 10000.0f, 0.0f, false, nullptr},
    // Notes sounding at once; 1 is mono with legato.
    {"voices", "Voices", "", 1.0f, 64.0f, 8.0f, true, nullptr},
    {"bend_range", "Pitch bend range", "semitones", 0.0f, 48.0f, 2.0f, false, nullptr},
    // Linear output gain.
    {"gain", "Gain", "", 0.0f, 16.0f, 1.0f, false, nullptr},
};
const int kSynthParamCount = sizeof(kSynthParams) / sizeof(kSynthParams[0]);
static_assert(sizeof(kSynthParams) / sizeof(kSynthParams[0]) == Synth::kParamCount, "one spec per Param");

// Named presets: the parameters each one changes from the defaults (see processor_registry.h).
// Each sets `gain` so that one note at full velocity peaks near -6 dBFS: room for a chord before
// the output clips (at gain 1, single notes peaked from -3 to +6 dBFS).
const char* const kSynthPresets =
    "Init:gain=0.4"
    "|Bass:osc1_waveform=saw,osc2_waveform=square,osc2_semitones=-12,osc_mix=0.4,filter_cutoff=180,"
    "filter_resonance=2,filter_env_amount=3.5,filter_decay=250,filter_sustain=0.1,filter_release=120,"
    "filter_key_tracking=0.5,attack=1,decay=400,sustain=0.7,release=80,velocity_to_filter=1.5,voices=1,glide=40,gain=0.35"
    "|Pad:osc1_waveform=saw,osc2_waveform=saw,osc2_detune=9,osc_mix=0.5,filter_cutoff=900,filter_resonance=1,"
    "filter_env_amount=1.5,filter_attack=1200,filter_decay=2000,filter_sustain=0.5,filter_release=1500,"
    "filter_key_tracking=0.3,attack=600,decay=1000,sustain=0.8,release=1500,lfo_rate=0.3,lfo_to_cutoff=0.5,"
    "velocity_to_amp=0.5,gain=0.7"
    "|Lead:osc1_waveform=square,osc2_waveform=saw,osc2_detune=6,osc_mix=0.5,filter_cutoff=1500,"
    "filter_resonance=3,filter_env_amount=2,filter_decay=300,filter_sustain=0.4,filter_key_tracking=1,"
    "attack=5,decay=200,sustain=0.9,release=150,lfo_rate=5.5,lfo_to_pitch=15,voices=1,glide=60,gain=0.25"
    "|Pluck:osc1_waveform=saw,osc2_waveform=triangle,osc2_semitones=12,osc_mix=0.3,filter_cutoff=300,"
    "filter_resonance=1.5,filter_env_amount=5,filter_decay=180,filter_sustain=0,filter_release=180,"
    "filter_key_tracking=0.7,attack=0.5,decay=350,sustain=0,release=250,velocity_to_filter=2,gain=0.5";

namespace {

inline float nextNoise(uint32_t& state) {
  // xorshift32, as the oscillator's noise: deterministic in every host.
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return static_cast<float>(state) * (2.0f / 4294967296.0f) - 1.0f;
}

inline double noteFrequency(double note) { return 440.0 * std::exp2((note - 69.0) / 12.0); }

// Renders one oscillator into out[0..n) (times `amplitude`), advancing its phase.
inline void renderOscillator(int waveform, const WavetableMix& mix, float* out, int n, uint32_t& phase,
                             uint32_t increment, float amplitude) {
  switch (waveform) {
    case Synth::kSine: renderSine(out, n, phase, increment, amplitude); break;
    case Synth::kSquare: renderWavetable<TableShape::kSquare>(mix, out, n, phase, increment, amplitude); break;
    default: renderWavetable<TableShape::kDirect>(mix, out, n, phase, increment, amplitude); break;
  }
}

inline WavetableMix mixFor(int waveform, uint32_t increment) {
  const Wavetables& tables = wavetables();
  return waveform == Synth::kTriangle ? tables.triangle.mixFor(increment) : tables.saw.mixFor(increment);
}

}  // namespace

Synth::Synth() {
  for (int i = 0; i < kParamCount; ++i) params_[i] = kSynthParams[i].defaultValue;
}

void Synth::prepare(double sampleRate, int, int) {
  wavetables();  // already built by the engine; never first built on the audio thread
  sampleRate_ = sampleRate;
  updateRates();
  reset();
}

void Synth::reset() {
  for (Voice& v : voices_) v = Voice{};
  lfoPhase_ = 0;
  lfo_ = 0.0f;
  bend_ = 0.0f;
  clock_ = 0;
  noteCount_ = 0;
  lastNote_ = -1;
  heldCount_ = 0;
  dirty_ = true;
}

void Synth::updateRates() {
  const float* p = params_;
  ampRates_.set(p[kAttack], p[kDecay], p[kSustain], p[kRelease], sampleRate_);
  filterRates_.set(p[kFilterAttack], p[kFilterDecay], p[kFilterSustain], p[kFilterRelease], sampleRate_);
  fadeSamples_ = std::max(1, static_cast<int>(std::lround(kStealFadeMs * sampleRate_ / 1000.0)));
  lfoIncrement_ = phaseIncrement(p[kLfoRate], sampleRate_);
}

void Synth::setParam(int index, float value) {
  if (index < 0 || index >= kParamCount) return;
  params_[index] = value;
  updateRates();
  if (index == kVoices) limitVoices();
  dirty_ = true;
}

void Synth::midi(const MidiMessage& m) {
  const int type = m.status & 0xF0;
  if (type == 0x90 && m.data2 > 0) {
    noteOn(m.data1, m.data2);
  } else if (type == 0x80 || type == 0x90) {
    noteOff(m.data1);
  } else if (type == 0xE0) {
    bend_ = static_cast<float>((m.data2 << 7 | m.data1) - 8192) / 8192.0f;
  } else if (type == 0xB0 && m.data1 == 120) {
    for (Voice& v : voices_) v.active = false;  // all sound off: silence now
    heldCount_ = 0;
  } else if (type == 0xB0 && m.data1 == 123) {
    heldCount_ = 0;  // all notes off: each note releases as on note-off
    for (Voice& v : voices_) {
      if (v.active && !v.fading && v.held) {
        v.held = false;
        v.amp.release();
        v.filter.release();
      }
    }
  }
  dirty_ = true;
}

int Synth::soundingCount() const {
  int count = 0;
  for (const Voice& v : voices_) count += v.active && !v.fading ? 1 : 0;
  return count;
}

// The voice a new note takes over: the oldest released voice, else the oldest.
Synth::Voice* Synth::victim() {
  Voice* released = nullptr;
  Voice* oldest = nullptr;
  for (Voice& v : voices_) {
    if (!v.active || v.fading) continue;
    if (!oldest || v.age < oldest->age) oldest = &v;
    if (v.amp.isReleased() && (!released || v.age < released->age)) released = &v;
  }
  return released ? released : oldest;
}

Synth::Voice* Synth::freeSlot() {
  Voice* quietest = nullptr;
  for (Voice& v : voices_) {
    if (!v.active) return &v;
    if (v.fading && (!quietest || v.fadeRemaining < quietest->fadeRemaining)) quietest = &v;
  }
  return quietest;  // only when every slot fades (more note-ons than slots within one fade)
}

void Synth::fadeOut(Voice& v) {
  v.fading = true;
  v.held = false;
  v.fadeRemaining = fadeSamples_;
}

void Synth::limitVoices() {
  const int limit = static_cast<int>(params_[kVoices]);
  for (int sounding = soundingCount(); sounding > limit; --sounding) fadeOut(*victim());
}

void Synth::retarget(Voice& v, float note) {
  v.glideFrom = v.pitch;
  v.target = note;
  v.glideElapsed = 0;
  v.glideSamples = static_cast<int64_t>(std::llround(params_[kGlide] * sampleRate_ / 1000.0));
}

void Synth::startVoice(Voice& v, int note, int velocity, float glideFrom) {
  v = Voice{};
  v.active = true;
  v.note = static_cast<uint8_t>(note);
  v.pitch = glideFrom;
  retarget(v, static_cast<float>(note));
  ++noteCount_;
  v.noise = static_cast<uint32_t>(noteCount_ * 2654435761ull) ^ 0x6C8E9CF5u;
  if (v.noise == 0) v.noise = 1;
  const float vel = static_cast<float>(velocity) / 127.0f;
  v.velocityGain = 1.0f - params_[kVelocityToAmp] * (1.0f - vel);
  v.velocityOctaves = params_[kVelocityToFilter] * (vel - 1.0f);
}

void Synth::noteOn(int note, int velocity) {
  // Held notes, in order; a note played again moves to the end.
  int w = 0;
  for (int i = 0; i < heldCount_; ++i) {
    if (held_[i] != note) held_[w++] = held_[i];
  }
  heldCount_ = w;
  if (heldCount_ == kMaxHeld) {
    std::memmove(held_, held_ + 1, kMaxHeld - 1);
    --heldCount_;
  }
  held_[heldCount_++] = static_cast<uint8_t>(note);

  const bool glides = params_[kGlide] > 0.0f && lastNote_ >= 0;
  const float from = glides ? static_cast<float>(lastNote_) : static_cast<float>(note);
  lastNote_ = note;
  const bool mono = params_[kVoices] < 1.5f;
  Voice* v = nullptr;
  if (mono) {
    for (Voice& candidate : voices_) {
      if (candidate.active && !candidate.fading) v = &candidate;
    }
    if (v && v->held) {
      // Legato: the sounding voice glides (or jumps) to the new note; the envelopes go on.
      v->note = static_cast<uint8_t>(note);
      retarget(*v, static_cast<float>(note));
      if (params_[kGlide] <= 0.0f) v->pitch = v->target;
      return;
    }
  } else {
    for (Voice& candidate : voices_) {
      if (candidate.active && !candidate.fading && candidate.note == note) v = &candidate;
    }
  }
  if (v) {
    // The same voice starts again: envelopes restart from their level, oscillators keep their phase.
    const float vel = static_cast<float>(velocity) / 127.0f;
    v->velocityGain = 1.0f - params_[kVelocityToAmp] * (1.0f - vel);
    v->velocityOctaves = params_[kVelocityToFilter] * (vel - 1.0f);
    if (v->note != note) {
      v->note = static_cast<uint8_t>(note);
      v->pitch = from;
      retarget(*v, static_cast<float>(note));
    }
  } else {
    if (soundingCount() >= static_cast<int>(params_[kVoices])) fadeOut(*victim());
    v = freeSlot();
    startVoice(*v, note, velocity, from);
  }
  v->held = true;
  v->age = ++noteCount_;
  v->amp.trigger();
  v->filter.trigger();
}

void Synth::noteOff(int note) {
  int w = 0;
  for (int i = 0; i < heldCount_; ++i) {
    if (held_[i] != note) held_[w++] = held_[i];
  }
  heldCount_ = w;
  for (Voice& v : voices_) {
    if (!v.active || v.fading || !v.held || v.note != note) continue;
    if (params_[kVoices] < 1.5f && heldCount_ > 0) {
      // Mono legato: back to the last note still held.
      v.note = held_[heldCount_ - 1];
      lastNote_ = v.note;
      retarget(v, static_cast<float>(v.note));
      if (params_[kGlide] <= 0.0f) v.pitch = v.target;
      continue;
    }
    v.held = false;
    v.amp.release();
    v.filter.release();
  }
}

float Synth::lfoValue(uint32_t phase) const {
  const float x = static_cast<float>(phaseToCycles(phase));  // [0, 1)
  switch (static_cast<int>(params_[kLfoWaveform])) {
    case 1: return x < 0.25f ? 4.0f * x : x < 0.75f ? 2.0f - 4.0f * x : 4.0f * x - 4.0f;  // triangle
    case 2: return 2.0f * x - 1.0f;                                                       // saw, rising
    case 3: return x < 0.5f ? 1.0f : -1.0f;                                               // square
    default: return sinFixed(phase);
  }
}

// The pitch (in MIDI notes) the voice's glide has reached, before bend and LFO.
float Synth::currentPitch(const Voice& v) const {
  if (v.glideElapsed >= v.glideSamples) return v.target;
  const float t = static_cast<float>(v.glideElapsed) / static_cast<float>(v.glideSamples);
  return v.glideFrom + (v.target - v.glideFrom) * t;
}

// At a control point `intoTick` samples past the last multiple of kControlInterval: the LFO's value
// at that multiple (and at the next, for the amplitude ramp), then every voice's pitch and filter.
void Synth::updateControl(int intoTick) {
  const uint32_t tickPhase = lfoPhase_ - lfoIncrement_ * static_cast<uint32_t>(intoTick);
  lfo_ = lfoValue(tickPhase);
  const float next = lfoValue(tickPhase + lfoIncrement_ * static_cast<uint32_t>(kControlInterval));
  const float depth = params_[kLfoToAmp];
  ampLfoFrom_ = 1.0f - depth * (1.0f - lfo_) * 0.5f;
  ampLfoTo_ = 1.0f - depth * (1.0f - next) * 0.5f;
  for (Voice& v : voices_) {
    if (v.active) updateVoice(v);
  }
}

void Synth::updateVoice(Voice& v) {
  const float* p = params_;
  v.pitch = currentPitch(v);
  const double pitch = static_cast<double>(v.pitch) + static_cast<double>(bend_) * p[kBendRange];
  const double note1 = pitch + static_cast<double>(lfo_) * p[kLfoToPitch] / 100.0;
  const double note2 = note1 + p[kOsc2Semitones] + p[kOsc2Detune] / 100.0;
  const double nyquist = 0.5 * sampleRate_;
  v.increment1 = phaseIncrement(std::min(noteFrequency(note1), nyquist), sampleRate_);
  v.increment2 = phaseIncrement(std::min(noteFrequency(note2), nyquist), sampleRate_);
  const int wave1 = static_cast<int>(p[kOsc1Waveform]);
  const int wave2 = static_cast<int>(p[kOsc2Waveform]);
  if (wave1 != kSine) v.mix1 = mixFor(wave1, v.increment1);
  if (wave2 != kSine) v.mix2 = mixFor(wave2, v.increment2);
  const auto mode = static_cast<SvfMode>(static_cast<int>(p[kFilterMode]));
  if (mode != SvfMode::kOff) {
    const double octaves = static_cast<double>(p[kFilterEnvAmount]) * v.filter.level() +
                           p[kFilterKeyTracking] * (pitch - kKeyTrackingReference) / 12.0 + v.velocityOctaves +
                           static_cast<double>(p[kLfoToCutoff]) * lfo_;
    v.coefficients = svfCoefficients(mode, modulatedCutoff(p[kFilterCutoff], octaves), p[kFilterResonance],
                                     sampleRate_);
  } else {
    v.coefficients.mode = SvfMode::kOff;
  }
}

void Synth::renderVoice(Voice& v, float* out, int n, int intoTick) {
  const float* p = params_;
  float osc[kControlInterval];
  float osc2[kControlInterval];
  const float mix = p[kOscMix];
  renderOscillator(static_cast<int>(p[kOsc1Waveform]), v.mix1, osc, n, v.phase1, v.increment1, 1.0f - mix);
  if (mix > 0.0f) {
    renderOscillator(static_cast<int>(p[kOsc2Waveform]), v.mix2, osc2, n, v.phase2, v.increment2, mix);
    for (int i = 0; i < n; ++i) osc[i] += osc2[i];
  } else {
    v.phase2 += v.increment2 * static_cast<uint32_t>(n);  // keep the phase as if it had played
  }
  const float noise = p[kNoise];
  if (noise > 0.0f) {
    for (int i = 0; i < n; ++i) osc[i] += noise * nextNoise(v.noise);
  }
  const float gain = p[kGain] * v.velocityGain;
  const float lfoSlope = (ampLfoTo_ - ampLfoFrom_) / static_cast<float>(kControlInterval);
  const float fadeStep = 1.0f / static_cast<float>(fadeSamples_);
  for (int i = 0; i < n; ++i) {
    const float env = v.amp.next(ampRates_);
    v.filter.next(filterRates_);
    float g = gain * env * (ampLfoFrom_ + lfoSlope * static_cast<float>(intoTick + i));
    if (v.fading) g *= static_cast<float>(v.fadeRemaining--) * fadeStep;
    out[i] += v.svf.process(v.coefficients, osc[i]) * g;
    if (v.amp.isIdle() || (v.fading && v.fadeRemaining <= 0)) {
      v.active = false;
      return;
    }
  }
  v.glideElapsed += n;
  // At control points only: where the state is flushed must not depend on the block partition.
  if (intoTick + n == kControlInterval) v.svf.flush();
}

void Synth::process(const AudioBlock& block) {
  float* out = block.outputs[0];
  const int n = block.frames;
  std::memset(out, 0, sizeof(float) * static_cast<size_t>(n));
  for (int i = 0; i < n;) {
    const int intoTick = static_cast<int>(clock_ % kControlInterval);
    const int len = std::min(n - i, kControlInterval - intoTick);
    if (intoTick == 0 || dirty_) {
      updateControl(intoTick);
      dirty_ = false;
    }
    for (Voice& v : voices_) {
      if (v.active) renderVoice(v, out + i, len, intoTick);
    }
    clock_ += static_cast<uint64_t>(len);
    lfoPhase_ += lfoIncrement_ * static_cast<uint32_t>(len);
    i += len;
  }
  for (int c = 1; c < block.numOutputs; ++c) std::memcpy(block.outputs[c], out, sizeof(float) * n);
}

}  // namespace wd
