#include "tempo_timeline.h"

#include <cmath>

#include "last_at_or_before.h"

namespace wd {

uint64_t TempoTimeline::bytesFor(int points) {
  return (static_cast<uint64_t>(points > 0 ? points : 1) + kLivePieces) * sizeof(Piece);
}

void TempoTimeline::begin(int points) {
  pieces_.clear();
  pieces_.reserve(static_cast<size_t>(points > 0 ? points : 1) + kLivePieces);
}

bool TempoTimeline::addPoint(double seconds, double beat, double bpm, double bpmPerBeat) {
  if (!(bpm > 0.0) || !std::isfinite(seconds) || !std::isfinite(beat) || !std::isfinite(bpmPerBeat)) return false;
  if (!pieces_.empty() && !(seconds > pieces_.back().seconds)) return false;
  if (pieces_.size() == pieces_.capacity()) return false;  // begin() reserved the map's points
  pieces_.push_back({seconds, beat, bpm, bpmPerBeat, false});
  return true;
}

void TempoTimeline::push(const Piece& piece) {
  if (pieces_.capacity() == 0) return;  // no map yet (begin() reserves): nothing to change
  if (pieces_.size() == pieces_.capacity()) pieces_.erase(pieces_.begin());  // no allocation
  pieces_.push_back(piece);
}

void TempoTimeline::change(double seconds, double bpm, double rampSeconds) {
  if (!(bpm > 0.0) || !std::isfinite(seconds) || pieces_.capacity() == 0) return;
  const double beat = beatAt(seconds);
  const double from = bpmAt(seconds);
  while (!pieces_.empty() && pieces_.back().seconds >= seconds) pieces_.pop_back();
  if (rampSeconds > 0.0) {
    const Piece ramp{seconds, beat, from, (bpm - from) / rampSeconds, true};
    push(ramp);
    push({seconds + rampSeconds, beat + beatsWithin(ramp, rampSeconds), bpm, 0.0, true});
  } else {
    push({seconds, beat, bpm, 0.0, true});
  }
}

const TempoTimeline::Piece& TempoTimeline::pieceAt(double seconds) const {
  // The last piece starting at or before `seconds` (the first one before them all).
  return pieces_[lastAtOrBefore(pieces_.size(), seconds, [this](size_t k) { return pieces_[k].seconds; })];
}

double TempoTimeline::beatsWithin(const Piece& p, double dt) {
  if (p.slope == 0.0) return p.bpm * dt / 60.0;
  if (p.linearInTime) return (p.bpm * dt + 0.5 * p.slope * dt * dt) / 60.0;
  return p.bpm * std::expm1(p.slope * dt / 60.0) / p.slope;
}

double TempoTimeline::bpmWithin(const Piece& p, double dt) {
  if (p.slope == 0.0) return p.bpm;
  if (p.linearInTime) return p.bpm + p.slope * dt;
  return p.bpm * std::exp(p.slope * dt / 60.0);
}

double TempoTimeline::beatAt(double seconds) const {
  if (pieces_.empty()) return seconds * 2.0;  // 120 bpm; begin() without points
  const Piece& p = pieceAt(seconds);
  return p.beat + beatsWithin(p, seconds - p.seconds);
}

double TempoTimeline::bpmAt(double seconds) const {
  if (pieces_.empty()) return 120.0;
  const Piece& p = pieceAt(seconds);
  return bpmWithin(p, seconds - p.seconds);
}

}  // namespace wd
