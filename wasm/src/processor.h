// The processor interface every node type implements.
//
// Threading contract (JUCE style): setInputLayout(), prepare() and setBuffer() run on the control
// thread and are the only places a processor may allocate; everything else runs on the audio thread and never
// allocates, locks or waits. planPrepare() runs on the control thread and allocates nothing.
//
// Sample accuracy: the engine splits each node's block at the frames where one of its parameters
// changes or a MIDI event lands, so within one process() call every parameter is constant and
// events arrive (through midi()) exactly at the first frame of the call.
#pragma once

#include <cstdint>

namespace wd {

class TempoTimeline;  // tempo_timeline.h

// One parameter of a node type. The table is static data, so the TypeScript side builds the
// NodeDescriptor from the engine itself (one source of truth for built-in descriptors).
struct ParamSpec {
  const char* id;     // stable identifier, e.g. "frequency"
  const char* name;   // human-readable
  const char* units;  // "Hz", "dB", "ms", "" ...
  float min;
  float max;
  float defaultValue;
  // Discrete parameters (modes, booleans, counts) round to integers; `choices` names each integer
  // value in order, separated by '|', or is nullptr for a plain number.
  bool discrete;
  const char* choices;
  // Other labels a graph may use for a choice (DawDreamer's), as "alias=choice" pairs separated by
  // '|', e.g. "low=lowpass|high=highpass"; nullptr for none. An alias never shadows a real choice:
  // a label that is one of `choices` always means that choice.
  const char* choiceAliases = nullptr;
};

// The channels a processor reads and writes for one (sub-)block. Input channels are the output
// channels of the node's inputs, concatenated in input order.
struct AudioBlock {
  const float* const* inputs;
  int numInputs;
  float* const* outputs;
  int numOutputs;
  int frames;
  // Transport position of the first frame, in frames since the timeline's zero. Timeline-bound
  // processors (playback) derive their read position from it, so seeking needs no extra state.
  int64_t position;
};

// What prepare() would do, told without doing it (Processor::planPrepare).
struct PreparePlan {
  int numOutputs;  // what numOutputs() would return after the prepare
  uint64_t bytes;  // heap bytes the prepare would take (0 for a processor that takes none)
};

// A MIDI channel message: status byte (with channel in the low nibble) and two data bytes.
struct MidiMessage {
  uint8_t status;
  uint8_t data1;
  uint8_t data2;
};

// Audio held by the engine (playback and sampler data). Channels are planar, `frames` long.
struct SampleBuffer {
  const float* const* channels;
  int numChannels;
  int frames;
  double sampleRate;
};

class Processor {
 public:
  virtual ~Processor() = default;

  // Control thread, before prepare(): how many channels each input node delivers, in input order
  // (their concatenation is the block's inputs). Only processors that treat inputs separately,
  // like the mixer, need it.
  virtual void setInputLayout(const int* /*channelsPerInput*/, int /*numInputs*/) {}

  // Control thread. Take every piece of memory the node will need; `numInputs` (input channels) is
  // fixed until the next prepare. `maxBlock` is the largest `frames` process() will see.
  virtual void prepare(double sampleRate, int maxBlock, int numInputs) = 0;

  // Control thread, after setInputLayout() and instead of prepare(): what prepare() would do with the
  // same arguments, without allocating. The engine sums these with its own buffers to estimate a
  // graph's memory before taking any (Engine::estimateMemory), so a graph that cannot fit is refused
  // instead of failing halfway; keep each in step with its prepare()
  // (test/engine/memory-estimate.test.ts compares the sum with what prepare() really takes).
  virtual PreparePlan planPrepare(double sampleRate, int maxBlock, int numInputs) const = 0;

  // Control thread, after prepare: how many channels this node writes.
  virtual int numOutputs() const = 0;

  // Audio thread: clear all state (phases, delay lines, envelopes, voices) as if freshly prepared.
  virtual void reset() = 0;

  // Audio thread: render `block.frames` frames with the current parameters.
  virtual void process(const AudioBlock& block) = 0;

  // Audio thread: a parameter changed (already clamped to its spec's range, rounded if discrete).
  virtual void setParam(int index, float value) = 0;

  // Audio thread: a MIDI message at the first frame of the next process() call.
  virtual void midi(const MidiMessage&) {}

  // True for a processor whose output is a function of the transport position (a clip's playback):
  // while the engine renders with the timeline held (Engine::renderHeld, monitoring while the
  // transport is stopped) it is not called and its outputs are silent, as a stopped clip is.
  virtual bool followsTimeline() const { return false; }

  // Control thread, when the node is added: the engine's tempo (beats at each transport time), which
  // lives as long as the engine. Processors that follow the tempo (warp markers in beats) keep it and
  // read it on the audio thread; it changes between renders (a new graph) and between pieces of a
  // live quantum (a set_tempo), never during a process() call.
  virtual void setTempoTimeline(const TempoTimeline* /*tempo*/) {}

  // Control thread: audio for buffer slot `slot` (0 = the main sample); nullptr detaches it. The
  // memory stays valid until the buffer is replaced or the graph is cleared.
  virtual void setBuffer(int /*slot*/, const SampleBuffer* /*buffer*/) {}

  // Feedback: a processor whose output at frame n depends only on its inputs up to frame
  // n - feedbackLatency() (a delay line) may close a cycle in the graph. When it does, the engine
  // calls processFeedbackOutput() in graph order and processFeedbackInput() after the rest of the
  // graph has rendered the same frames, and keeps sub-blocks no longer than the latency.
  // 0 means the processor cannot break a cycle.
  virtual int feedbackLatency() const { return 0; }
  virtual void processFeedbackOutput(const AudioBlock&) {}
  virtual void processFeedbackInput(const AudioBlock&) {}

  // Accumulation: a processor whose output is its inputs added up one after another in input order
  // (the mixer) can take them a few at a time, each as soon as it is rendered. The engine then
  // renders a source that feeds only this node into a scratch block that stays in the cache and adds
  // it at once, instead of keeping one buffer per source until this node's turn (Engine::planFusion).
  // accumulateInputs adds inputs [from, to) (input indices; input `from`'s first channel is
  // block.inputs[channel]) into block.outputs, clearing them first when from == 0. Called over
  // consecutive ranges from input 0 to the last, it must give what process() gives, bit for bit.
  // `lastScale`: the last input of the range is a mono input given before its scaling (a gain folded
  // in, see inputScale): add gain * (x * lastScale), what adding the gain's output would add.
  virtual bool accumulatesInputs() const { return false; }
  virtual void accumulateInputs(const AudioBlock&, int /*from*/, int /*to*/, int /*channel*/, float /*lastScale*/) {}

  // A processor whose output is its one input channel times a factor (the gain) may be folded into
  // the mixer that adds it: the mixer multiplies by the factor itself, and this processor is not
  // called (Engine::planFusion). For such a processor, the factor's address: a member, valid while
  // the processor lives, that every setParam updates, so the engine reads it without a call per
  // block. nullptr for the others.
  virtual const float* inputScale() const { return nullptr; }

  // Adding into a bus: a mono source added alone by a mixer right after it renders may add itself
  // into the mixer's one output channel (Engine::planFusion) instead of writing a block the mixer
  // then reads: processAdding does what process() does, except that each output sample y[i] is not
  // stored but added, bus[i] = bus[i] + gain * (y[i] * scale), the mixer's own arithmetic (a factor
  // of 1 may be left out: x * 1 is x). `gain` is the mixer's (inputGainFactors), `scale` a folded
  // gain's (inputScale; 1 without one). Only for a processor with one output channel; the block's
  // output is not written.
  virtual bool addsIntoBus() const { return false; }
  virtual void processAdding(const AudioBlock& /*block*/, float* /*bus*/, float /*gain*/, float /*scale*/) {}
  // A processor that accumulates its inputs: the addresses of the two factors whose product
  // (*inputFactor) * (*masterFactor) it multiplies mono input `input` by when it adds it (members,
  // as inputScale's). False for the others.
  virtual bool inputGainFactors(int /*input*/, const float** /*inputFactor*/, const float** /*masterFactor*/) const {
    return false;
  }
};

}  // namespace wd
