#include "sampler.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "voice_filter_params.h"

namespace wd {

const ParamSpec kSamplerParams[] = {
    // The MIDI note at which the sample plays at its recorded pitch.
    {"root_note", "Root note", "", 0.0f, 127.0f, 60.0f, true, nullptr},
    // Envelope: linear rise from 0 to 1.
    {"attack", "Attack", "ms", 0.0f, 10000.0f, 0.0f, false, nullptr},
    // Envelope: linear fall from 1 to the sustain level.
    {"decay", "Decay", "ms", 0.0f, 10000.0f, 0.0f, false, nullptr},
    // Envelope: level held while the note is down.
    {"sustain", "Sustain", "", 0.0f, 1.0f, 1.0f, false, nullptr},
    // Envelope: linear fall to 0 after note-off.
    {"release", "Release", "ms", 0.0f, 10000.0f, 0.0f, false, nullptr},
    // Linear output gain; each note is also scaled by velocity / 127.
    {"gain", "Gain", "", 0.0f, 16.0f, 1.0f, false, nullptr},
    // Pitch bend range in semitones at full bend.
    {"bend_range", "Pitch bend range", "semitones", 0.0f, 48.0f, 2.0f, false, nullptr},
    // Simultaneous notes; a new note beyond this steals the oldest.
    {"voices", "Voices", "", 1.0f, 64.0f, 16.0f, true, nullptr},
    // Loop: off, sustain (while the note is held, then on to the end), continuous (until silent).
    {"loop_mode", "Loop mode", "", 0.0f, 2.0f, 0.0f, true, "off|sustain|continuous"},
    // Loop start, in seconds of the sample (rounded to its nearest frame).
    {"loop_start", "Loop start", "s", 0.0f, 86400.0f, 0.0f, false, nullptr},
    // Loop end (exclusive), in seconds of the sample; 0 (or anything past it) is the sample's end.
    {"loop_end", "Loop end", "s", 0.0f, 86400.0f, 0.0f, false, nullptr},
    // The voice filter, as the synth's (docs/processors.md).
    WD_VOICE_FILTER_PARAMS(0.0f),
    // Cutoff moved amount x (velocity / 127 - 1) octaves.
    {"velocity_to_filter", "Velocity to filter", "octaves", 0.0f, 8.0f, 0.0f, false, nullptr},
};
const int kSamplerParamCount = sizeof(kSamplerParams) / sizeof(kSamplerParams[0]);

void Sampler::prepare(double sampleRate, int, int) {
  sampleRate_ = sampleRate;
  updateRates();
}

void Sampler::reset() {
  for (Voice& v : voices_) v = Voice{};
  bend_ = 0.0f;
  bendRatio_ = 1.0;
  clock_ = 0;
  samples_ = 0;
  filterDirty_ = true;
}

void Sampler::setBuffer(int slot, const SampleBuffer* buffer) {
  if (slot == 0) {
    buffer_ = buffer;
    for (Voice& v : voices_) v.stage = Stage::kIdle;
  }
}

void Sampler::updateRates() {
  const auto samples = [this](float ms) { return static_cast<int>(std::lround(ms * sampleRate_ / 1000.0)); };
  attackSamples_ = samples(attackMs_);
  decaySamples_ = samples(decayMs_);
  releaseSamples_ = samples(releaseMs_);
  bendRatio_ = std::exp2(static_cast<double>(bend_) * bendRange_ / 12.0);
  filterRates_.set(filterAttackMs_, filterDecayMs_, filterSustain_, filterReleaseMs_, sampleRate_);
  filterDirty_ = true;
}

void Sampler::setParam(int index, float value) {
  switch (index) {
    case kRootNote: rootNote_ = value; break;
    case kAttack: attackMs_ = value; break;
    case kDecay: decayMs_ = value; break;
    case kSustain: sustain_ = value; break;
    case kRelease: releaseMs_ = value; break;
    case kGain: gain_ = value; break;
    case kBendRange: bendRange_ = value; break;
    case kLoopMode: loopMode_ = static_cast<int>(value); break;
    case kLoopStart: loopStartSeconds_ = value; break;
    case kLoopEnd: loopEndSeconds_ = value; break;
    case kFilterMode: filterMode_ = static_cast<int>(value); break;
    case kFilterCutoff: filterCutoff_ = value; break;
    case kFilterResonance: filterResonance_ = value; break;
    case kFilterEnvAmount: filterEnvAmount_ = value; break;
    case kFilterKeyTracking: filterKeyTracking_ = value; break;
    case kFilterAttack: filterAttackMs_ = value; break;
    case kFilterDecay: filterDecayMs_ = value; break;
    case kFilterSustain: filterSustain_ = value; break;
    case kFilterRelease: filterReleaseMs_ = value; break;
    case kVelocityToFilter: velocityToFilter_ = value; break;
    case kVoices:
      voiceCount_ = static_cast<int>(value);
      // Voices past the new count stop now rather than pausing until the count grows again.
      for (int i = voiceCount_; i < kMaxVoices; ++i) voices_[i].stage = Stage::kIdle;
      break;
    default: break;
  }
  updateRates();
}

void Sampler::midi(const MidiMessage& m) {
  const int type = m.status & 0xF0;
  if (type == 0x90 && m.data2 > 0) {
    noteOn(m.data1, m.data2);
  } else if (type == 0x80 || type == 0x90) {
    noteOff(m.data1);
  } else if (type == 0xE0) {
    const int value = (m.data2 << 7 | m.data1) - 8192;
    bend_ = static_cast<float>(value) / 8192.0f;
    updateRates();
  } else if (type == 0xB0 && m.data1 == 120) {
    for (Voice& v : voices_) v.stage = Stage::kIdle;  // all sound off: silence now
  } else if (type == 0xB0 && m.data1 == 123) {
    for (Voice& v : voices_) release(v);  // all notes off: each note releases as on note-off
  }
}

void Sampler::noteOn(int note, int velocity) {
  Voice* chosen = nullptr;
  for (int i = 0; i < voiceCount_ && !chosen; ++i) {
    if (voices_[i].stage == Stage::kIdle) chosen = &voices_[i];
  }
  if (!chosen) {
    chosen = &voices_[0];
    for (int i = 1; i < voiceCount_; ++i) {
      if (voices_[i].age < chosen->age) chosen = &voices_[i];
    }
  }
  *chosen = Voice{};
  chosen->stage = Stage::kAttack;
  chosen->note = static_cast<uint8_t>(note);
  chosen->velocityGain = static_cast<float>(velocity) / 127.0f;
  chosen->age = ++clock_;
  chosen->velocityOctaves = velocityToFilter_ * (static_cast<float>(velocity) / 127.0f - 1.0f);
  chosen->filterEnvelope.trigger();
  filterDirty_ = true;
}

void Sampler::release(Voice& v) {
  if (v.stage == Stage::kIdle || v.stage == Stage::kRelease) return;
  v.stage = Stage::kRelease;
  v.stagePos = 0;
  v.releaseFrom = v.level;
  v.filterEnvelope.release();
}

void Sampler::noteOff(int note) {
  for (Voice& v : voices_) {
    if (v.note == note) release(v);
  }
}

// The envelope level for the voice's next sample. Stages with no length are skipped, so a note with
// zero attack starts at full level on its first sample.
float Sampler::advanceEnvelope(Voice& v) {
  for (;;) {
    switch (v.stage) {
      case Stage::kAttack:
        if (v.stagePos < attackSamples_) {
          v.level = static_cast<float>(v.stagePos++) / static_cast<float>(attackSamples_);
          return v.level;
        }
        v.stage = Stage::kDecay;
        v.stagePos = 0;
        continue;
      case Stage::kDecay:
        if (v.stagePos < decaySamples_) {
          const float x = static_cast<float>(v.stagePos++) / static_cast<float>(decaySamples_);
          v.level = 1.0f - (1.0f - sustain_) * x;
          return v.level;
        }
        v.stage = Stage::kSustain;
        continue;
      case Stage::kSustain:
        v.level = sustain_;
        return v.level;
      case Stage::kRelease:
        if (v.stagePos < releaseSamples_) {
          const float x = static_cast<float>(v.stagePos++) / static_cast<float>(releaseSamples_);
          v.level = v.releaseFrom * (1.0f - x);
          return v.level;
        }
        v.stage = Stage::kIdle;
        v.level = 0.0f;
        return 0.0f;
      default:
        return 0.0f;
    }
  }
}

int64_t Sampler::loopStartFrame() const {
  return std::min<int64_t>(std::llround(static_cast<double>(loopStartSeconds_) * buffer_->sampleRate), buffer_->frames);
}

int64_t Sampler::loopEndFrame() const {
  const int64_t end = std::llround(static_cast<double>(loopEndSeconds_) * buffer_->sampleRate);
  return end <= 0 || end > buffer_->frames ? buffer_->frames : end;
}

bool Sampler::loops(const Voice& v) const {
  if (loopMode_ == kLoopOff || loopEndFrame() <= loopStartFrame()) return false;
  return loopMode_ == kLoopContinuous || v.stage != Stage::kRelease;
}

// The voice's filter coefficients from the filter envelope's current level, the note's distance from
// the root (with bend) and its velocity.
void Sampler::updateFilter(Voice& v) const {
  const double semitones = v.note - static_cast<double>(rootNote_) + static_cast<double>(bend_) * bendRange_;
  const double octaves = static_cast<double>(filterEnvAmount_) * v.filterEnvelope.level() +
                         filterKeyTracking_ * semitones / 12.0 + v.velocityOctaves;
  v.coefficients = svfCoefficients(static_cast<SvfMode>(filterMode_), modulatedCutoff(filterCutoff_, octaves),
                                   filterResonance_, sampleRate_);
}

void Sampler::process(const AudioBlock& block) {
  const int n = block.frames;
  for (int c = 0; c < block.numOutputs; ++c) std::memset(block.outputs[c], 0, sizeof(float) * n);
  const bool filtering = filterMode_ != 0;
  const uint64_t start = samples_;
  const bool dirty = filterDirty_;
  samples_ += static_cast<uint64_t>(n);
  filterDirty_ = false;
  if (!buffer_ || buffer_->frames == 0) return;
  const int filteredChannels = std::min(block.numOutputs, kMaxFilterChannels);
  const int64_t length = buffer_->frames;
  for (int vi = 0; vi < voiceCount_; ++vi) {
    Voice& v = voices_[vi];
    if (v.stage == Stage::kIdle) continue;
    const double rate = std::exp2((v.note - static_cast<double>(rootNote_)) / 12.0) * bendRatio_ *
                        (buffer_->sampleRate / sampleRate_);
    const int64_t loopStart = loopStartFrame();
    const int64_t loopEnd = loopEndFrame();
    for (int i = 0; i < n && v.stage != Stage::kIdle; ++i) {
      // A looping voice that reaches the loop's end goes back by the loop's length, keeping its
      // fraction, so the loop is seamless whatever the playback rate.
      const bool looping = loops(v);
      if (looping && v.position >= static_cast<double>(loopEnd) && v.position < static_cast<double>(length)) {
        v.position -= static_cast<double>(loopEnd - loopStart) *
                      std::floor((v.position - static_cast<double>(loopStart)) / static_cast<double>(loopEnd - loopStart));
      }
      const auto i0 = static_cast<int64_t>(v.position);
      if (i0 >= length) {
        v.stage = Stage::kIdle;  // the sample ended
        break;
      }
      const float frac = static_cast<float>(v.position - static_cast<double>(i0));
      const float amp = advanceEnvelope(v) * v.velocityGain * gain_;
      // The frame after i0: inside a loop, the one after the loop's last frame is its first.
      const int64_t i1 = looping && i0 + 1 == loopEnd ? loopStart : i0 + 1;
      if (!filtering) {
        for (int c = 0; c < block.numOutputs; ++c) {
          const float* src = buffer_->channels[c];
          const float a = src[i0];
          const float b = i1 < length ? src[i1] : 0.0f;
          block.outputs[c][i] += (frac == 0.0f ? a : a + (b - a) * frac) * amp;
        }
      } else {
        const bool controlPoint = (start + static_cast<uint64_t>(i)) % kControlInterval == 0;
        if (controlPoint || (i == 0 && dirty)) updateFilter(v);
        v.filterEnvelope.next(filterRates_);
        for (int c = 0; c < block.numOutputs; ++c) {
          const float* src = buffer_->channels[c];
          const float a = src[i0];
          const float b = i1 < length ? src[i1] : 0.0f;
          float x = frac == 0.0f ? a : a + (b - a) * frac;
          if (c < filteredChannels) {
            x = v.filter[c].process(v.coefficients, x);
            if (controlPoint) v.filter[c].flush();
          }
          block.outputs[c][i] += x * amp;
        }
      }
      v.position += rate;
    }
  }
}

}  // namespace wd
