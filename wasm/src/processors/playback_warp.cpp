#include "playback_warp.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "../last_at_or_before.h"
#include "../tempo_timeline.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace wd {

namespace {

constexpr int kRing = 4096;  // holds the segment being added, the hop before it and the sinc's reach
constexpr int kRingMask = kRing - 1;
// Search scratch: the reference (kHop), the candidates (span + kHop) and their energies (span + 1),
// with span at most 2 * kTolerance.
constexpr int kScratch = 3 * PlaybackWarp::kHop + 4 * PlaybackWarp::kTolerance + 8;
constexpr int kSincZeros = 16;  // half-width of the resampling kernel, in zero crossings
constexpr int kSincResolution = 256;
constexpr double kPi = 3.14159265358979323846;

// Modified Bessel function of the first kind, order 0 (the Kaiser window).
double besselI0(double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 40; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
  }
  return sum;
}

float dot(const float* a, const float* b, int n) {
#ifdef __wasm_simd128__
  v128_t acc = wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  float sum = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) +
              wasm_f32x4_extract_lane(acc, 3);
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
#else
  float sum = 0.0f;
  for (int i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
#endif
}

}  // namespace

const ParamSpec kPlaybackWarpParams[] = {
    // Output duration / audio duration without a warp map: 2 plays twice as long (slower), 0.5 twice as fast.
    {"time_ratio", "Time ratio", "", 0.25f, 4.0f, 1.0f, false, nullptr},
    // Pitch change, independent of time; fractional semitones allowed.
    {"transpose", "Transpose", "semitones", -24.0f, 24.0f, 0.0f, false, nullptr},
    // Where in the audio transport frame 0 reads, in seconds of the audio.
    {"start_marker", "Start marker", "s", 0.0f, 86400.0f, 0.0f, false, nullptr},
    // Where the audio stops, in seconds of the audio; 0 (or past the end) is its end.
    {"end_marker", "End marker", "s", 0.0f, 86400.0f, 0.0f, false, nullptr},
    // Off: silence after the end marker. On: after the loop end the audio continues from the loop start.
    {"loop", "Loop", "", 0.0f, 1.0f, 0.0f, true, "off|on"},
    {"loop_start", "Loop start", "s", 0.0f, 86400.0f, 0.0f, false, nullptr},
    // 0 (or past the end marker) is the end marker.
    {"loop_end", "Loop end", "s", 0.0f, 86400.0f, 0.0f, false, nullptr},
    {"gain", "Gain", "", 0.0f, 16.0f, 1.0f, false, nullptr},
};
const int kPlaybackWarpParamCount = sizeof(kPlaybackWarpParams) / sizeof(kPlaybackWarpParams[0]);

PreparePlan PlaybackWarp::planPrepare(double, int, int) const {
  const uint64_t channels = static_cast<uint64_t>(numOutputs());
  uint64_t bytes = channels * kRing * sizeof(float) + kSegment * sizeof(float) +
                   (kSincZeros * kSincResolution + 2) * sizeof(float) +
                   kScratch * sizeof(float);
  if (buffer_ && buffer_->frames > 0) bytes += (static_cast<uint64_t>(buffer_->frames) / kOnsetBlock + 1) * sizeof(int64_t);
  if (map_ && map_->frames > 0) bytes += static_cast<uint64_t>(map_->frames) * sizeof(MapSegment);
  if (markersBuffer_ && markersBuffer_->frames > 0) bytes += static_cast<uint64_t>(markersBuffer_->frames) * sizeof(Marker);
  // Without clip positions, one clip plays the markers from beat 0.
  bytes += static_cast<uint64_t>(clipsBuffer_ && clipsBuffer_->frames > 0 ? clipsBuffer_->frames : 1) * sizeof(Clip);
  return {numOutputs(), bytes};
}

void PlaybackWarp::prepare(double sampleRate, int, int) {
  sampleRate_ = sampleRate;
  channels_ = numOutputs();
  rings_.assign(static_cast<size_t>(channels_) * kRing, 0.0f);
  window_.resize(kSegment);
  for (int i = 0; i < kSegment; ++i) window_[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * kPi * i / kSegment));
  sinc_.resize(kSincZeros * kSincResolution + 2);
  const double beta = 8.0;
  const double norm = besselI0(beta);
  for (int i = 0; i < static_cast<int>(sinc_.size()); ++i) {
    const double x = static_cast<double>(i) / kSincResolution;
    const double r = std::min(1.0, x / kSincZeros);
    const double sinc = x == 0.0 ? 1.0 : std::sin(kPi * x) / (kPi * x);
    sinc_[i] = static_cast<float>(sinc * besselI0(beta * std::sqrt(1.0 - r * r)) / norm);
  }
  scratch_.assign(kScratch, 0.0f);
  detectOnsets();
  readMap();
  readMarkers();
  updateRate();
  started_ = false;
}

void PlaybackWarp::setBuffer(int slot, const SampleBuffer* buffer) {
  if (slot == 0) buffer_ = buffer;
  if (slot == 1) map_ = buffer;
  if (slot == 2) markersBuffer_ = buffer;
  if (slot == 3) clipsBuffer_ = buffer;
  updateRate();
}

void PlaybackWarp::setParam(int index, float value) {
  if (index < 0 || index >= kPlaybackWarpParamCount) return;
  params_[index] = value;
  if (index == kTranspose) updateRate();
}

void PlaybackWarp::updateRate() {
  const double q = buffer_ && buffer_->sampleRate > 0 ? buffer_->sampleRate / sampleRate_ : 1.0;
  const double semitones = params_[kTranspose];
  rate_ = (semitones == 0.0 ? 1.0 : std::exp2(semitones / 12.0)) * q;
}

// Onsets: a 64-frame block whose energy is 10x the mean of the 8 blocks before it (and above -60 dBFS).
// The onset is the block's first sample above a quarter of its peak: it lands on its warped frame.
void PlaybackWarp::detectOnsets() {
  onsets_.clear();
  onsetsFor_ = buffer_;
  if (!buffer_ || buffer_->frames <= 0) return;
  onsets_.reserve(static_cast<size_t>(buffer_->frames) / kOnsetBlock + 1);
  const int blocks = buffer_->frames / kOnsetBlock;
  double history[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int b = 0; b < blocks; ++b) {
    double energy = 0.0, peak = 0.0;
    for (int i = 0; i < kOnsetBlock; ++i) {
      double mono = 0.0;
      for (int c = 0; c < buffer_->numChannels; ++c) mono += buffer_->channels[c][b * kOnsetBlock + i];
      energy += mono * mono;
      peak = std::max(peak, std::fabs(mono));
    }
    double mean = 0.0;
    for (double h : history) mean += h;
    mean /= 8.0;
    if (energy > 10.0 * mean && energy > kOnsetBlock * 1e-6) {
      int first = 0;
      for (int i = 0; i < kOnsetBlock; ++i) {
        double mono = 0.0;
        for (int c = 0; c < buffer_->numChannels; ++c) mono += buffer_->channels[c][b * kOnsetBlock + i];
        if (std::fabs(mono) >= 0.25 * peak) {
          first = i;
          break;
        }
      }
      const int64_t onset = static_cast<int64_t>(b) * kOnsetBlock + first;
      if (onsets_.empty() || onset >= onsets_.back() + kProtect) onsets_.push_back(onset);
    }
    for (int h = 0; h < 7; ++h) history[h] = history[h + 1];
    history[7] = energy;
  }
}

// The warp map: channels t0, t1, s0, s1, one segment per frame, in timeline order.
void PlaybackWarp::readMap() {
  segments_.clear();
  segmentsFor_ = map_;
  segmentHint_ = 0;
  if (!map_ || map_->numChannels < 4 || map_->frames <= 0) return;
  segments_.reserve(static_cast<size_t>(map_->frames));
  int region = 0;
  for (int i = 0; i < map_->frames; ++i) {
    MapSegment s{map_->channels[0][i], map_->channels[1][i], map_->channels[2][i], map_->channels[3][i], 0};
    if (!(s.t1 > s.t0) || (!segments_.empty() && s.t0 < segments_.back().t1)) continue;  // not in order
    if (!segments_.empty()) {
      const MapSegment& last = segments_.back();
      if (s.t0 != last.t1 || std::fabs(s.s0 - last.s1) > 0.5) ++region;
    }
    s.region = region;
    segments_.push_back(s);
  }
}

// Warp markers: channels audio frame and clip beat, in increasing order of both (others are skipped;
// warpMarkerChannels refuses them). Clip positions: channels start, end and offset in timeline beats,
// in timeline order, not overlapping; without them one clip from beat 0 on, offset 0.
void PlaybackWarp::readMarkers() {
  markers_.clear();
  clips_.clear();
  markersFor_ = markersBuffer_;
  clipsFor_ = clipsBuffer_;
  clipHint_ = 0;
  if (markersBuffer_ && markersBuffer_->numChannels >= 2 && markersBuffer_->frames > 0) {
    markers_.reserve(static_cast<size_t>(markersBuffer_->frames));
    for (int i = 0; i < markersBuffer_->frames; ++i) {
      const Marker m{markersBuffer_->channels[0][i], markersBuffer_->channels[1][i]};
      if (!markers_.empty() && !(m.frame > markers_.back().frame && m.beat > markers_.back().beat)) continue;
      markers_.push_back(m);
    }
  }
  const bool given = clipsBuffer_ && clipsBuffer_->numChannels >= 3 && clipsBuffer_->frames > 0;
  clips_.reserve(given ? static_cast<size_t>(clipsBuffer_->frames) : 1);
  if (!given) {
    clips_.push_back({0.0, std::numeric_limits<double>::infinity(), 0.0, 0});
    return;
  }
  int region = 0;
  for (int i = 0; i < clipsBuffer_->frames; ++i) {
    Clip c{clipsBuffer_->channels[0][i], clipsBuffer_->channels[1][i], clipsBuffer_->channels[2][i], 0};
    if (!(c.end > c.start) || (!clips_.empty() && c.start < clips_.back().end)) continue;
    if (!clips_.empty()) {
      // A clip that goes on where the one before stopped, in the timeline and in the audio, is one run.
      const Clip& last = clips_.back();
      if (c.start != last.end || c.offset != last.offset + (last.end - last.start)) ++region;
    }
    c.region = region;
    clips_.push_back(c);
  }
}

bool PlaybackWarp::followsMarkers() const {
  return markersBuffer_ && markersFor_ == markersBuffer_ && markers_.size() >= 2 && tempo_ != nullptr;
}

// The beat the engine's tempo puts at `frame`, the clip playing there, the clip beat, and the audio
// frame the markers put at that beat (linear between markers, the nearest pair's slope beyond them).
// Before the audio's start or past its end nothing sounds.
PlaybackWarp::Where PlaybackWarp::locateByMarkers(double frame) const {
  const double beat = tempo_->beatAt(frame / sampleRate_);
  size_t i = clipHint_ < clips_.size() ? clipHint_ : 0;
  if (!(clips_[i].start <= beat && (i + 1 == clips_.size() || beat < clips_[i + 1].start))) {
    i = lastAtOrBefore(clips_.size(), beat, [this](size_t k) { return clips_[k].start; });
    clipHint_ = i;
  }
  const Clip& clip = clips_[i];
  if (beat < clip.start || beat >= clip.end) return {false, 0.0, 0};
  const double clipBeat = beat - clip.start + clip.offset;
  // The last pair starting at or before clipBeat (or the first).
  const size_t m = lastAtOrBefore(markers_.size() - 1, clipBeat, [this](size_t k) { return markers_[k].beat; });
  const Marker& a = markers_[m];
  const Marker& b = markers_[m + 1];
  const double source = a.frame + (clipBeat - a.beat) * (b.frame - a.frame) / (b.beat - a.beat);
  if (source < 0.0 || source >= buffer_->frames) return {false, 0.0, 0};
  return {true, source, clip.region};
}

PlaybackWarp::Where PlaybackWarp::locate(double frame) const {
  if (followsMarkers()) return locateByMarkers(frame);
  if (map_ && segmentsFor_ == map_) {
    if (segments_.empty()) return {false, 0.0, 0};
    size_t i = segmentHint_ < segments_.size() ? segmentHint_ : 0;
    if (!(segments_[i].t0 <= frame && frame < segments_[i].t1)) {
      // The last segment starting at or before `frame`.
      i = lastAtOrBefore(segments_.size(), frame, [this](size_t k) { return segments_[k].t0; });
      segmentHint_ = i;
    }
    const MapSegment& s = segments_[i];
    if (frame < s.t0 || frame >= s.t1) return {false, 0.0, 0};
    return {true, s.s0 + (frame - s.t0) * (s.s1 - s.s0) / (s.t1 - s.t0), s.region};
  }
  if (!buffer_ || frame < 0.0) return {false, 0.0, 0};
  const double rate = buffer_->sampleRate;
  const double length = buffer_->frames;
  double end = params_[kEndMarker] * rate;
  if (end <= 0.0 || end > length) end = length;
  const double q = rate / sampleRate_;
  const double source = params_[kStartMarker] * rate + frame * q / params_[kTimeRatio];
  if (params_[kLoop] >= 0.5f) {
    const double loopStart = params_[kLoopStart] * rate;
    double loopEnd = params_[kLoopEnd] * rate;
    if (loopEnd <= 0.0 || loopEnd > end) loopEnd = end;
    if (loopEnd > loopStart && source >= loopEnd) {
      const double span = loopEnd - loopStart;
      const double wraps = std::floor((source - loopEnd) / span) + 1.0;
      return {true, source - wraps * span, static_cast<int>(std::min(wraps, 1e9))};
    }
  }
  if (source >= end) return {false, 0.0, 0};
  return {true, source, 0};
}

int64_t PlaybackWarp::readableEnd() const {
  const int64_t length = buffer_->frames;
  if (followsMarkers() || (map_ && segmentsFor_ == map_) || params_[kLoop] >= 0.5f) return length;
  const int64_t end = static_cast<int64_t>(std::llround(params_[kEndMarker] * buffer_->sampleRate));
  return end > 0 && end < length ? end : length;
}

float PlaybackWarp::sampleAt(int channel, int64_t frame) const {
  return frame >= 0 && frame < buffer_->frames ? buffer_->channels[channel][frame] : 0.0f;
}

void PlaybackWarp::restart(int64_t frame) {
  started_ = true;
  frame_ = frame;
  u_ = 0.0;
  nextHop_ = -kHop;
  havePrevious_ = false;
  region_ = -1;
  std::fill(rings_.begin(), rings_.end(), 0.0f);
}

// The segment start in [lo, hi] whose first half best continues the waveform at `natural`
// (normalised cross-correlation of the channels' sum): a coarse pass every 2 frames, then its neighbours.
int64_t PlaybackWarp::searchSegment(int64_t natural, int64_t lo, int64_t hi) {
  lo = std::max(lo, hi - 2 * kTolerance);  // the scratch holds this many candidates
  const int span = static_cast<int>(hi - lo);
  float* reference = scratch_.data();
  float* candidates = reference + kHop;
  for (int i = 0; i < kHop; ++i) {
    float mono = 0.0f;
    for (int c = 0; c < channels_; ++c) mono += sampleAt(c, natural + i);
    reference[i] = mono;
  }
  for (int i = 0; i < span + kHop; ++i) {
    float mono = 0.0f;
    for (int c = 0; c < channels_; ++c) mono += sampleAt(c, lo + i);
    candidates[i] = mono;
  }
  // Each candidate's energy by a running sum (in double, so it does not drift), leaving one dot
  // product per candidate.
  float* energies = candidates + span + kHop;
  double energy = 0.0;
  for (int i = 0; i < kHop; ++i) energy += static_cast<double>(candidates[i]) * candidates[i];
  for (int offset = 0; offset <= span; ++offset) {
    energies[offset] = static_cast<float>(std::max(energy, 0.0));
    const double leaving = candidates[offset];
    const double entering = candidates[offset + kHop];
    energy += entering * entering - leaving * leaving;
  }
  auto score = [&](int offset) {
    return dot(reference, candidates + offset, kHop) / std::sqrt(energies[offset] + 1e-9f);
  };
  int best = 0;
  float bestScore = -std::numeric_limits<float>::infinity();
  for (int offset = 0; offset <= span; offset += 2) {
    const float s = score(offset);
    if (s > bestScore) {
      bestScore = s;
      best = offset;
    }
  }
  const int coarse = best;
  for (int offset : {coarse - 1, coarse + 1}) {
    if (offset < 0 || offset > span) continue;
    const float s = score(offset);
    if (s > bestScore) {
      bestScore = s;
      best = offset;
    }
  }
  return lo + best;
}

// Adds the next segment to the stretched signal: where it reads from is the map's position for the
// segment's centre, moved within the tolerance to continue the previous segment's waveform, except
// around onsets, which are played by unmodified segments at their warped time.
void PlaybackWarp::makeHop() {
  const int64_t o = nextHop_;
  nextHop_ += kHop;
  // Clear what this segment's second half covers: nothing has been added there yet.
  for (int c = 0; c < channels_; ++c) {
    float* ring = rings_.data() + static_cast<size_t>(c) * kRing;
    for (int64_t j = o + kHop; j < o + kSegment; ++j) ring[j & kRingMask] = 0.0f;
  }
  auto frameOf = [&](double u) { return static_cast<double>(frame_) + (u - u_) / rate_; };
  Where centre = locate(frameOf(static_cast<double>(o + kHop)));
  bool last = false;
  if (!centre.sounding) {
    if (havePrevious_) {
      // The clip ended inside this segment's first half: one more segment, where it would continue
      // (within the audio), so its last frames keep their level; then stop.
      centre = {true, static_cast<double>(previous_ + kSegment), region_};
      last = true;
    } else {
      // A clip starting inside the segment's second half: read it so that its first frame lands on time.
      const Where end = locate(frameOf(static_cast<double>(o + kSegment - 1)));
      if (!end.sounding) return;
      centre = {true, end.source - (kHop - 1), end.region};
    }
  }
  const double a = centre.source;
  int64_t start;
  bool fadeIn = true;
  if (!havePrevious_) {
    // After silence: the segment starts at full level (no fade-in) so the clip starts on its frame.
    start = static_cast<int64_t>(std::floor(a)) - kHop;
    fadeIn = false;
    floor_ = static_cast<int64_t>(std::floor(a));
    protectEnd_ = std::numeric_limits<int64_t>::min() / 4;
    pending_ = static_cast<size_t>(std::lower_bound(onsets_.begin(), onsets_.end(), floor_ + 1) - onsets_.begin());
  } else {
    if (centre.region != region_) {
      // A jump (loop, next clip): crossfade into the new place; the onsets before it count as played.
      floor_ = std::numeric_limits<int64_t>::min() / 4;
      protectEnd_ = std::numeric_limits<int64_t>::min() / 4;
      pending_ = static_cast<size_t>(
          std::lower_bound(onsets_.begin(), onsets_.end(), static_cast<int64_t>(std::ceil(a))) - onsets_.begin());
    }
    const int64_t natural = previous_ + kHop;
    if (natural < protectEnd_) {
      start = natural;  // inside an onset's run: continue unmodified
    } else {
      const Where next = locate(frameOf(static_cast<double>(o + kSegment)));
      const double b = next.sounding && next.region == centre.region ? next.source : a;
      bool chained = false;
      while (pending_ < onsets_.size() && (onsets_[pending_] < floor_ || onsets_[pending_] < a)) ++pending_;
      if (pending_ < onsets_.size() && b > a && onsets_[pending_] < b) {
        // The onset's warped time falls in this segment's second half: place it there exactly.
        const double t = static_cast<double>(onsets_[pending_]);
        const double within = kHop + (t - a) / (b - a) * kHop;
        start = static_cast<int64_t>(std::llround(t - within));
        protectEnd_ = onsets_[pending_] + kProtect;
        floor_ = protectEnd_;
        ++pending_;
        chained = true;
      }
      if (!chained) {
        const int64_t nominal = static_cast<int64_t>(std::floor(a)) - kHop;
        int64_t lo = std::max(nominal - kTolerance, floor_);
        int64_t hi = nominal + kTolerance;
        // Before an onset's time no segment may reach it (it would sound early, then again).
        if (pending_ < onsets_.size()) hi = std::min(hi, onsets_[pending_] - kSegment);
        // Near the end, read earlier audio rather than the silence past it, so the last frames keep
        // their level.
        if (readableEnd() - kSegment < hi) {
          hi = readableEnd() - kSegment;
          lo = std::min(lo, hi - 2 * kTolerance);  // still a choice of phase, or the tail would beat
        }
        // These limits win over the floor: onsets closer than a segment (or to the end) cannot have
        // both, and sounding early is worse than repeating part of the attack before.
        if (hi < lo) lo = hi;
        start = searchSegment(natural, lo, hi);
      }
    }
  }
  region_ = centre.region;
  addSegment(o, start, fadeIn);
  previous_ = start;
  havePrevious_ = !last;
}

void PlaybackWarp::addSegment(int64_t o, int64_t start, bool fadeIn) {
  for (int c = 0; c < channels_; ++c) {
    float* ring = rings_.data() + static_cast<size_t>(c) * kRing;
    const float* source = buffer_->channels[c];
    for (int i = 0; i < kSegment; ++i) {
      const int64_t s = start + i;
      const float x = s >= 0 && s < buffer_->frames ? source[s] : 0.0f;
      const float w = (!fadeIn && i < kHop) ? 1.0f : window_[i];
      ring[(o + i) & kRingMask] += w * x;
    }
  }
}

void PlaybackWarp::process(const AudioBlock& block) {
  const int n = block.frames;
  for (int c = 0; c < block.numOutputs; ++c) std::memset(block.outputs[c], 0, sizeof(float) * n);
  if (!buffer_ || buffer_->frames == 0 || channels_ == 0 || onsetsFor_ != buffer_ ||
      (map_ && segmentsFor_ != map_) || markersFor_ != markersBuffer_ || clipsFor_ != clipsBuffer_) {
    return;  // not prepared for this audio yet (the engine prepares again before it plays)
  }
  if (!started_ || block.position != frame_) restart(block.position);
  const int channels = std::min(channels_, block.numOutputs);
  const float gain = params_[kGain];
  const bool exact = rate_ == 1.0;
  const double cutoff = std::min(1.0, 1.0 / rate_);
  const int reach = static_cast<int>(std::ceil(kSincZeros / cutoff));
  for (int i = 0; i < n; ++i) {
    const int64_t base = static_cast<int64_t>(std::floor(u_));
    while (nextHop_ <= base + reach + 1) makeHop();  // frames below nextHop_ are final
    if (locate(static_cast<double>(frame_)).sounding) {
      if (exact) {
        for (int c = 0; c < channels; ++c) block.outputs[c][i] = rings_[c * kRing + (base & kRingMask)] * gain;
      } else {
        const double fraction = u_ - static_cast<double>(base);
        for (int c = 0; c < channels; ++c) {
          const float* ring = rings_.data() + static_cast<size_t>(c) * kRing;
          double sum = 0.0;
          for (int j = -reach + 1; j <= reach; ++j) {
            const double x = std::fabs((fraction - j) * cutoff) * kSincResolution;
            const int index = static_cast<int>(x);
            if (index >= kSincZeros * kSincResolution) continue;
            const double f = x - index;
            const double k = sinc_[index] + (sinc_[index + 1] - sinc_[index]) * f;
            sum += k * ring[(base + j) & kRingMask];
          }
          block.outputs[c][i] = static_cast<float>(sum * cutoff) * gain;
        }
      }
    }
    ++frame_;
    u_ += rate_;
  }
}

}  // namespace wd
