// The factory table: one row per node type. Adding a processor touches its own file and one line in
// processor_registry.cpp.
#pragma once

#include <memory>

#include "processor.h"

namespace wd {

struct ProcessorType {
  const char* kind;  // e.g. "oscillator"; the NodeDescriptor's node_id is "builtin:" + kind
  const char* name;  // human-readable
  const ParamSpec* params;
  int numParams;
  // Input channels a node of this type accepts: -1 means any number (the concatenation of its
  // inputs), 0 means it is a source.
  int maxInputs;
  std::unique_ptr<Processor> (*create)();
  // True for processors that may close a cycle in the graph (see Processor::feedbackLatency).
  bool feedbackCapable = false;
};

int processorTypeCount();
const ProcessorType* processorType(int index);

}  // namespace wd
