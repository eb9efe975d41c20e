// The processor interface every node type implements.
//
// Threading contract (JUCE style): prepare() runs on the control thread and is the only place a
// processor may allocate; reset() and process() run on the audio thread and never allocate, lock
// or wait.
#pragma once

#include <cstdint>

namespace wd {

// One parameter of a node type. The table is static data, so the TypeScript side can build a
// NodeDescriptor from the engine itself (one source of truth for built-in descriptors).
struct ParamSpec {
  const char* id;
  const char* name;
  const char* units;
  float min;
  float max;
  float defaultValue;
  // Discrete parameters (modes, booleans) round to integers; `choices` names each integer value,
  // separated by '|', or is nullptr for a plain number.
  bool discrete;
  const char* choices;
};

// The channels a processor reads and writes for one (sub-)block.
struct AudioBlock {
  const float* const* inputs;
  int numInputs;
  float* const* outputs;
  int numOutputs;
  int frames;
};

class Processor {
 public:
  virtual ~Processor() = default;

  // Control thread. Take every piece of memory the node will need; `numInputs` is fixed until the
  // next prepare.
  virtual void prepare(double sampleRate, int maxBlock, int numInputs) = 0;

  // Control thread, after prepare: how many channels this node writes.
  virtual int numOutputs() const = 0;

  // Audio thread: clear all state (phases, delay lines, envelopes) as if freshly prepared.
  virtual void reset() = 0;

  // Audio thread: render `block.frames` frames. Parameters are constant within one call; the engine
  // splits blocks where parameters change so automation lands on its exact frame.
  virtual void process(const AudioBlock& block) = 0;

  // Audio thread: a parameter changed (value already clamped to its spec's range).
  virtual void setParam(int index, float value) = 0;
};

}  // namespace wd
