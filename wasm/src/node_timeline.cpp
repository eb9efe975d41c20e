#include "node_timeline.h"

#include <algorithm>
#include <cmath>

#include "heap_bytes.h"

namespace wd {

void NodeTimeline::clear() {
  steps_.clear();
  segments_.clear();
  midi_.clear();
  arrays_.clear();
  active_.clear();
  nextStep_ = nextSegment_ = nextMidi_ = 0;
  std::vector<uint64_t>().swap(notesOn_);  // a timeline without MIDI holds no note table
}

void NodeTimeline::reserve(size_t steps, size_t segments, size_t midi, size_t values) {
  steps_.reserve(steps_.size() + steps);
  segments_.reserve(segments_.size() + segments);
  midi_.reserve(midi_.size() + midi);
  arrays_.reserve(arrays_.size() + values);
  active_.reserve(segments_.size() + segments);
  if (midi > 0 && notesOn_.empty()) notesOn_.assign(kNoteWords, 0);
}

uint64_t NodeTimeline::memoryEstimate(uint64_t steps, uint64_t segments, uint64_t midi, uint64_t values) {
  return heapBytes(steps * sizeof(Step)) + heapBytes(segments * sizeof(Segment)) +
         heapBytes(segments * sizeof(uint32_t)) + heapBytes(midi * sizeof(Midi)) + heapBytes(values * sizeof(float)) +
         (midi > 0 ? heapBytes(kNoteWords * sizeof(uint64_t)) : 0);
}

void NodeTimeline::addStep(int param, int64_t frame, float value) {
  auto at = std::upper_bound(steps_.begin(), steps_.end(), frame,
                             [](int64_t f, const Step& s) { return f < s.frame; });
  steps_.insert(at, Step{frame, param, value});
}

void NodeTimeline::addRamp(int param, int64_t start, int64_t end, float v0, float v1, Curve curve) {
  if (end <= start) {
    addStep(param, start, v1);
    return;
  }
  // An exponential curve needs both ends non-zero with the same sign; otherwise it is linear.
  if (curve == Curve::kExponential && !(v0 * v1 > 0.0f)) curve = Curve::kLinear;
  auto at = std::upper_bound(segments_.begin(), segments_.end(), start,
                             [](int64_t f, const Segment& s) { return f < s.start; });
  segments_.insert(at, Segment{start, end, param, curve, v0, v1, 0});
  active_.reserve(segments_.size());
}

void NodeTimeline::addArray(int param, int64_t start, const float* values, int count) {
  if (count <= 0) return;
  const auto offset = static_cast<uint32_t>(arrays_.size());
  arrays_.insert(arrays_.end(), values, values + count);
  auto at = std::upper_bound(segments_.begin(), segments_.end(), start,
                             [](int64_t f, const Segment& s) { return f < s.start; });
  segments_.insert(at, Segment{start, start + count, param, Curve::kArray, values[0], values[count - 1], offset});
  active_.reserve(segments_.size());
}

void NodeTimeline::addMidi(int64_t frame, MidiMessage message) {
  if (notesOn_.empty()) notesOn_.assign(kNoteWords, 0);
  auto at = std::upper_bound(midi_.begin(), midi_.end(), frame,
                             [](int64_t f, const Midi& m) { return f < m.frame; });
  midi_.insert(at, Midi{frame, message});
}

float NodeTimeline::valueAt(const Segment& s, int64_t frame, const std::vector<float>& arrays) {
  if (frame >= s.end) return s.v1;
  const int64_t i = frame - s.start;
  switch (s.curve) {
    case Curve::kArray:
      return arrays[s.arrayOffset + static_cast<size_t>(i)];
    case Curve::kExponential: {
      const double x = static_cast<double>(i) / static_cast<double>(s.end - s.start);
      return static_cast<float>(s.v0 * std::pow(static_cast<double>(s.v1) / s.v0, x));
    }
    default: {
      const double x = static_cast<double>(i) / static_cast<double>(s.end - s.start);
      return static_cast<float>(s.v0 + (static_cast<double>(s.v1) - s.v0) * x);
    }
  }
}

void NodeTimeline::seek(int64_t frame, Processor&, const std::vector<float>& defaults,
                        void (*set)(void* ctx, int param, float value), void* ctx) {
  for (size_t p = 0; p < defaults.size(); ++p) set(ctx, static_cast<int>(p), defaults[p]);
  position(frame, -1, set, ctx);
}

void NodeTimeline::resync(int64_t frame, int param, float base, void (*set)(void* ctx, int param, float value),
                          void* ctx) {
  set(ctx, param, base);
  position(frame, param, set, ctx);
}

void NodeTimeline::position(int64_t frame, int only, void (*set)(void* ctx, int param, float value), void* ctx) {
  // Replay history in time order so that the latest value before `frame` wins, whether it came
  // from a step or the end of a segment.
  nextStep_ = nextSegment_ = 0;
  active_.clear();
  while (true) {
    const bool stepDue = nextStep_ < steps_.size() && steps_[nextStep_].frame < frame;
    const bool segDue = nextSegment_ < segments_.size() && segments_[nextSegment_].start < frame;
    if (!stepDue && !segDue) break;
    if (stepDue && (!segDue || steps_[nextStep_].frame <= segments_[nextSegment_].start)) {
      const Step& s = steps_[nextStep_++];
      if (only < 0 || s.param == only) set(ctx, s.param, s.value);
    } else {
      const Segment& s = segments_[nextSegment_];
      if (s.end <= frame) {
        if (only < 0 || s.param == only) set(ctx, s.param, s.v1);
      } else {
        active_.push_back(static_cast<uint32_t>(nextSegment_));
      }
      ++nextSegment_;
    }
  }
  nextMidi_ = static_cast<size_t>(
      std::lower_bound(midi_.begin(), midi_.end(), frame, [](const Midi& m, int64_t f) { return m.frame < f; }) -
      midi_.begin());
}

void NodeTimeline::removeParam(int param) {
  steps_.erase(std::remove_if(steps_.begin(), steps_.end(), [param](const Step& s) { return s.param == param; }),
               steps_.end());
  bool hadArray = false;
  for (const Segment& s : segments_) hadArray = hadArray || (s.param == param && s.curve == Curve::kArray);
  segments_.erase(
      std::remove_if(segments_.begin(), segments_.end(), [param](const Segment& s) { return s.param == param; }),
      segments_.end());
  if (hadArray) {
    // The removed values go: the others move to a table of their own size, so a long session of
    // replacements holds what its lanes hold now, not everything they ever held.
    size_t kept = 0;
    for (const Segment& s : segments_) {
      if (s.curve == Curve::kArray) kept += static_cast<size_t>(s.end - s.start);
    }
    std::vector<float> arrays;
    arrays.reserve(kept);
    for (Segment& s : segments_) {
      if (s.curve != Curve::kArray) continue;
      const auto offset = static_cast<uint32_t>(arrays.size());
      const auto* from = arrays_.data() + s.arrayOffset;
      arrays.insert(arrays.end(), from, from + (s.end - s.start));
      s.arrayOffset = offset;
    }
    arrays_.swap(arrays);
  }
  // The cursors index the tables: resync() positions them again.
  nextStep_ = nextSegment_ = 0;
  active_.clear();
}

int NodeTimeline::applyAt(int64_t frame, int limit, Processor& processor,
                          void (*set)(void* ctx, int param, float value), void* ctx) {
  // Everything due at `frame`, in the order it was scheduled: segments already running give their
  // value now (one ending now gives its end value), then steps due now override them, then
  // segments starting now override both. A step on the frame where a ramp ends therefore wins, as
  // a later event should, and a ramp starting on a step's frame wins over the step.
  bool moving = false;
  const auto advanceActive = [&](size_t from) {
    for (size_t i = from; i < active_.size();) {
      const Segment& s = segments_[active_[i]];
      set(ctx, s.param, valueAt(s, frame, arrays_));
      if (frame >= s.end) {
        active_[i] = active_.back();  // ended: valueAt gave its end value, which now holds
        active_.pop_back();
      } else {
        moving = true;
        ++i;
      }
    }
  };
  advanceActive(0);
  while (nextStep_ < steps_.size() && steps_[nextStep_].frame <= frame) {
    const Step& s = steps_[nextStep_++];
    set(ctx, s.param, s.value);
  }
  const size_t running = active_.size();
  while (nextSegment_ < segments_.size() && segments_[nextSegment_].start <= frame) {
    active_.push_back(static_cast<uint32_t>(nextSegment_++));
  }
  advanceActive(running);
  while (nextMidi_ < midi_.size() && midi_[nextMidi_].frame <= frame) {
    const MidiMessage& message = midi_[nextMidi_++].message;
    trackNote(message);
    processor.midi(message);
  }
  if (moving) return 1;
  int64_t next = frame + limit;
  if (nextStep_ < steps_.size()) next = std::min(next, steps_[nextStep_].frame);
  if (nextSegment_ < segments_.size()) next = std::min(next, segments_[nextSegment_].start);
  if (nextMidi_ < midi_.size()) next = std::min(next, midi_[nextMidi_].frame);
  return static_cast<int>(std::max<int64_t>(1, next - frame));
}

void NodeTimeline::hold(int64_t frame, void (*set)(void* ctx, int param, float value), void* ctx) const {
  // The order of applyAt(): running segments, then steps due now, then segments starting now.
  for (uint32_t index : active_) {
    const Segment& s = segments_[index];
    set(ctx, s.param, valueAt(s, frame, arrays_));
  }
  for (size_t i = nextStep_; i < steps_.size() && steps_[i].frame <= frame; ++i) {
    set(ctx, steps_[i].param, steps_[i].value);
  }
  for (size_t i = nextSegment_; i < segments_.size() && segments_[i].start <= frame; ++i) {
    set(ctx, segments_[i].param, valueAt(segments_[i], frame, arrays_));
  }
}

void NodeTimeline::trackNote(const MidiMessage& message) {
  if (notesOn_.empty()) return;
  const int type = message.status & 0xF0;
  if (type == 0xB0 && (message.data1 == 120 || message.data1 == 123)) {
    // All sound off, all notes off: none of this channel's notes is on any more.
    const int channel = message.status & 0x0F;
    notesOn_[channel * 2] = notesOn_[channel * 2 + 1] = 0;
    return;
  }
  if (type != 0x80 && type != 0x90) return;
  const int bit = (message.status & 0x0F) * 128 + (message.data1 & 0x7F);
  const uint64_t mask = uint64_t{1} << (bit & 63);
  if (type == 0x90 && message.data2 > 0) {
    notesOn_[bit >> 6] |= mask;
  } else {
    notesOn_[bit >> 6] &= ~mask;
  }
}

void NodeTimeline::releaseNotes(Processor& processor) {
  for (size_t word = 0; word < notesOn_.size(); ++word) {
    for (uint64_t bits = notesOn_[word]; bits != 0; bits &= bits - 1) {
      const int bit = static_cast<int>(word) * 64 + __builtin_ctzll(bits);
      processor.midi(MidiMessage{static_cast<uint8_t>(0x80 | (bit >> 7)), static_cast<uint8_t>(bit & 127), 0});
    }
    notesOn_[word] = 0;
  }
}

}  // namespace wd
