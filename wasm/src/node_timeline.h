// What happens to one node over time: parameter steps, continuous parameter segments (ramps and
// audio-rate arrays) and MIDI messages, each on an exact frame of the transport.
//
// Threading contract: the add*() and clear() calls run on the control thread (they may allocate);
// seek(), applyAt() and nextChange() run on the audio thread and never allocate.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "processor.h"

namespace wd {

enum class Curve : int { kLinear = 0, kExponential = 1, kArray = 2 };

class NodeTimeline {
 public:
  void clear();
  bool empty() const { return steps_.empty() && segments_.empty() && midi_.empty(); }

  // Control thread. Frames are transport frames. Events at the same frame keep insertion order.
  void addStep(int param, int64_t frame, float value);
  // A continuous change over [start, end): linear or exponential from v0 to v1, holding v1 after.
  void addRamp(int param, int64_t start, int64_t end, float v0, float v1, Curve curve);
  // Audio-rate values: values[i] applies at frame start + i; the last value holds after.
  void addArray(int param, int64_t start, const float* values, int count);
  void addMidi(int64_t frame, MidiMessage message);

  // Control thread: room for this many more entries, taken now in one allocation per table, so the
  // add*() calls that follow allocate nothing and the timeline holds exactly memoryEstimate() bytes
  // (growing one entry at a time would hold up to twice that, and copy it on every growth).
  void reserve(size_t steps, size_t segments, size_t midi, size_t values);
  // The heap bytes a timeline of this many entries holds when they were reserved at once.
  static uint64_t memoryEstimate(uint64_t steps, uint64_t segments, uint64_t midi, uint64_t values);

  // Control (a live lane replacement, between rendered pieces): removes every step and segment of
  // `param`, keeping the other parameters' entries, MIDI and cursors' meaning; the values the
  // removed arrays held are compacted away (one new table: it may allocate). Call resync() after
  // adding the new lane.
  void removeParam(int param);
  // Control: positions the cursors for playback from `frame` after entries were removed or added,
  // as seek() does, but re-applies only `param` (from `base`, then its entries before `frame`): the
  // other parameters keep the values they have, and no processor state is touched.
  void resync(int64_t frame, int param, float base, void (*set)(void* ctx, int param, float value), void* ctx);

  // Audio thread: position the cursors for playback from `frame` and re-apply, in order, every
  // step and the end value of every segment that lies before it.
  void seek(int64_t frame, Processor& processor, const std::vector<float>& defaults,
            void (*set)(void* ctx, int param, float value), void* ctx);

  // Audio thread: apply everything due at `frame` (steps, MIDI, segment values) and return how many
  // frames from `frame` (at most `limit`) the node can render before something changes again.
  // While a segment is active that is 1: the parameter moves every frame.
  int applyAt(int64_t frame, int limit, Processor& processor,
              void (*set)(void* ctx, int param, float value), void* ctx);

  // Audio thread, while the timeline is held at `frame` (Engine::renderHeld): sets every parameter
  // the timeline moves at `frame` to its value there (a ramp under way, a step or a segment starting
  // on it), as applyAt(frame) would, but moves no cursor and delivers no MIDI, so playing from
  // `frame` later applies exactly what it would have.
  void hold(int64_t frame, void (*set)(void* ctx, int param, float value), void* ctx) const;

  // Audio thread: a note-off for every note this timeline's MIDI turned on and did not turn off yet
  // (per channel and key), delivered to `processor` now; they are then no longer on. A transport
  // stopping while the engine monitors (renders on) ends the timeline's notes, as a DAW's stop does.
  void releaseNotes(Processor& processor);
  // Audio thread: no note counts as on (the processor was reset: its voices are gone).
  void forgetNotes() { std::fill(notesOn_.begin(), notesOn_.end(), uint64_t{0}); }

 private:
  struct Step {
    int64_t frame;
    int param;
    float value;
  };
  struct Segment {
    int64_t start;
    int64_t end;  // exclusive
    int param;
    Curve curve;
    float v0;
    float v1;
    uint32_t arrayOffset;  // into arrays_, for kArray
  };
  struct Midi {
    int64_t frame;
    MidiMessage message;
  };

  // seek() and resync(): `only` < 0 re-applies every parameter, else that one alone.
  void position(int64_t frame, int only, void (*set)(void* ctx, int param, float value), void* ctx);
  static float valueAt(const Segment& s, int64_t frame, const std::vector<float>& arrays);

  std::vector<Step> steps_;        // sorted by frame
  std::vector<Segment> segments_;  // sorted by start
  std::vector<Midi> midi_;         // sorted by frame
  std::vector<float> arrays_;
  size_t nextStep_ = 0;
  size_t nextSegment_ = 0;  // first segment not yet started
  size_t nextMidi_ = 0;
  // Segments that have started and not yet ended; capacity reserved on the control thread so the
  // audio thread never grows it.
  std::vector<uint32_t> active_;
  // Notes the timeline's MIDI delivered a note-on for and no note-off since: bit (channel * 128 +
  // key). Kept as MIDI is delivered, read only by releaseNotes(): playback never looks at it. Taken
  // on the control thread with the first MIDI entry (a timeline without MIDI holds none).
  static constexpr size_t kNoteWords = 16 * 128 / 64;
  std::vector<uint64_t> notesOn_;
  void trackNote(const MidiMessage& message);
};

}  // namespace wd
