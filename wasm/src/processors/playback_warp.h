// Warped playback (DawDreamer's PlaybackWarp): plays audio held by the engine on the transport
// timeline, time-stretched and pitch-shifted independently.
//
// Algorithm: WSOLA (waveform-similarity overlap-add) for time, a Kaiser-windowed sinc resampler for
// pitch, and transient protection (onsets found when the graph is prepared are played exactly once,
// at their warped time, by a run of unmodified overlap-add segments around them). See
// docs/processors.md for the figures that chose it.
//
// Where the audio is read from is a function of the transport frame (`locate`): the parameters (start
// marker, time ratio, end and loop markers); or warp markers (buffer slot 2: audio frame, clip beat)
// and clip positions (slot 3: start, end, offset in beats) read through the engine's tempo
// (tempo_timeline.h), so the clip follows whatever tempo the engine plays, a live change included; or
// a warp map baked for one tempo and rate (slot 1, src/contracts/warp-map.ts's warpMapChannels). The stretcher runs on its
// own grid of hops from the frame it (re)started at, so the output is the same for any block size;
// a seek restarts it at the new frame.
//
// Memory: rings, window, sinc table, onset list and warp map are taken in prepare(); process() only
// reads and writes them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../processor.h"

namespace wd {

extern const ParamSpec kPlaybackWarpParams[];
extern const int kPlaybackWarpParamCount;

class PlaybackWarp final : public Processor {
 public:
  enum Param { kTimeRatio, kTranspose, kStartMarker, kEndMarker, kLoop, kLoopStart, kLoopEnd, kGain };

  // Overlap-add segment length and hop, in frames of the audio (21 ms / 10.7 ms at 48 kHz).
  static constexpr int kSegment = 1024;
  static constexpr int kHop = kSegment / 2;
  // How far a segment may move from its nominal place to continue the waveform (WSOLA tolerance).
  static constexpr int kTolerance = 256;
  // Frames after an onset played unmodified (the attack).
  static constexpr int kProtect = 256;
  // Onset detection block.
  static constexpr int kOnsetBlock = 64;

  void prepare(double sampleRate, int maxBlock, int numInputs) override;
  PreparePlan planPrepare(double sampleRate, int maxBlock, int numInputs) const override;
  int numOutputs() const override { return buffer_ ? buffer_->numChannels : 1; }
  void reset() override { started_ = false; }
  void process(const AudioBlock& block) override;
  void setParam(int index, float value) override;
  void setBuffer(int slot, const SampleBuffer* buffer) override;
  void setTempoTimeline(const TempoTimeline* tempo) override { tempo_ = tempo; }
  bool followsTimeline() const override { return true; }

 private:
  struct MapSegment {
    double t0, t1, s0, s1;  // timeline frames [t0, t1) read audio frames s0 .. s1 linearly
    int region;             // segments that join without a jump share a region
  };
  struct Marker {
    double frame, beat;  // a frame of the audio and the clip beat it lands on
  };
  struct Clip {
    double start, end, offset;  // timeline beats [start, end) play the clip from its beat `offset`
    int region;
  };
  struct Where {
    bool sounding;
    double source;  // frame of the audio
    int region;     // changes where the read position jumps (a loop, another clip)
  };

  Where locate(double frame) const;
  void restart(int64_t frame);
  void makeHop();
  void addSegment(int64_t hop, int64_t start, bool fadeIn);
  int64_t searchSegment(int64_t natural, int64_t lo, int64_t hi);
  void updateRate();
  void detectOnsets();
  void readMap();
  void readMarkers();
  bool followsMarkers() const;
  Where locateByMarkers(double frame) const;
  float sampleAt(int channel, int64_t frame) const;
  int64_t readableEnd() const;

  const SampleBuffer* buffer_ = nullptr;
  const SampleBuffer* map_ = nullptr;
  const SampleBuffer* markersBuffer_ = nullptr;
  const SampleBuffer* clipsBuffer_ = nullptr;
  const TempoTimeline* tempo_ = nullptr;
  double sampleRate_ = 48000.0;
  float params_[8] = {1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f};
  double rate_ = 1.0;  // frames of the stretched signal read per output frame (pitch x rate change)

  // Prepared state.
  int channels_ = 0;
  std::vector<float> rings_;   // channels_ x kRing: the overlap-added stretched signal
  std::vector<float> window_;  // periodic Hann, kSegment
  std::vector<float> sinc_;    // Kaiser-windowed sinc, kSincZeros * kSincResolution + 2
  std::vector<float> scratch_; // mono mix for the similarity search
  std::vector<int64_t> onsets_;
  std::vector<MapSegment> segments_;
  const SampleBuffer* onsetsFor_ = nullptr;
  const SampleBuffer* segmentsFor_ = nullptr;
  std::vector<Marker> markers_;
  std::vector<Clip> clips_;
  const SampleBuffer* markersFor_ = nullptr;
  const SampleBuffer* clipsFor_ = nullptr;

  // Running state.
  bool started_ = false;
  int64_t frame_ = 0;        // next output frame (transport)
  double u_ = 0.0;           // its read position in the stretched signal
  int64_t nextHop_ = 0;      // where the next segment starts in the stretched signal
  int64_t previous_ = 0;     // source frame where the last segment started
  bool havePrevious_ = false;
  int region_ = -1;
  int64_t floor_ = 0;        // no segment starts before this (an onset already played)
  int64_t protectEnd_ = 0;   // segments continue unmodified until this source frame
  size_t pending_ = 0;       // the next onset to play
  mutable size_t segmentHint_ = 0;
  mutable size_t clipHint_ = 0;
};

}  // namespace wd
