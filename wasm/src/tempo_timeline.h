// The tempo the engine plays: beats as a function of transport time, shared by every processor that
// follows the tempo (builtin:playback_warp's warp markers, which are in beats).
//
// It is a list of pieces, each starting at a time with a beat and a bpm:
// - a graph's tempo map (wd_tempo_begin / wd_tempo_point, from src/contracts/tempo-map.ts's segments):
//   constant, or a ramp linear in beats (bpm(b) = bpm0 + k b, so beats grow as bpm0 expm1(k t / 60) / k),
//   exactly as the TypeScript side computes beats, so a render lands on the same frames everywhere;
// - a live tempo change (wd_tempo_change, from the real-time transport's set_tempo): from its frame on,
//   a ramp linear in time (as the transport's) to the new bpm, then the new bpm. The pieces before
//   that frame stay, so the beat is continuous and seeking back plays the earlier tempo.
//
// Memory: the pieces are reserved on the control thread (the map's points plus kLivePieces); a live
// change only writes into that reserve and never allocates. When the reserve is full, the oldest
// pieces make room (the earliest piece left then also reaches back before its start). Before any
// map, the tempo is 120 bpm (the graph contract's default).
#pragma once

#include <cstdint>
#include <vector>

namespace wd {

class TempoTimeline {
 public:
  // Pieces kept for live changes beyond the map's own (each change takes at most two).
  static constexpr int kLivePieces = 256;

  // Nothing is reserved until begin(): an engine with no graph plays 120 bpm and takes no live change.
  TempoTimeline() = default;
  // Heap bytes begin(points) reserves (the graph's memory estimate counts them).
  static uint64_t bytesFor(int points);

  // Control: a new map of `points` pieces (then `addPoint` each, in time order).
  void begin(int points);
  // Control: a piece of the map starting at `seconds` and `beat`, at `bpm`, changing by `bpmPerBeat`
  // per beat until the next piece (0: constant).
  bool addPoint(double seconds, double beat, double bpm, double bpmPerBeat);
  // Audio: from `seconds` on, ramp linearly in time from the current bpm to `bpm` over `rampSeconds`
  // (0: at once), then hold it. Never allocates.
  void change(double seconds, double bpm, double rampSeconds);

  // Audio: the beat at `seconds` of transport time (before the first piece, the first one goes on).
  double beatAt(double seconds) const;
  double bpmAt(double seconds) const;
  int pieces() const { return static_cast<int>(pieces_.size()); }

 private:
  struct Piece {
    double seconds, beat, bpm;
    double slope;        // bpm per beat (a map's ramp) or bpm per second (a live ramp)
    bool linearInTime;   // a live ramp
  };
  const Piece& pieceAt(double seconds) const;
  static double beatsWithin(const Piece& p, double dt);
  static double bpmWithin(const Piece& p, double dt);
  void push(const Piece& piece);

  std::vector<Piece> pieces_;
};

}  // namespace wd
