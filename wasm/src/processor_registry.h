// The factory table: one row per node type. Adding a processor touches its own file and one line in
// processor_registry.cpp; TypeScript reads every fact about a node type from here (through the C
// ABI), so nothing about it is written again on that side.
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
  // True for processors that play MIDI notes (NodeDescriptor.extensions.is_instrument).
  bool instrument = false;
  // The buffer slots, in slot order (slot i is what Processor::setBuffer receives as `slot`),
  // separated by '|'. Each slot lists the names a graph may address it by, separated by ','; the
  // first is the one NodeDescriptors list, e.g. "data,sample". nullptr: the processor takes no
  // buffers. A slot also answers to its number ("0").
  const char* bufferSlots = nullptr;
  // Named presets (NodeDescriptor.extensions.presets), nullptr for none: presets separated by '|',
  // each "Name:" followed by the parameters it sets, "id=value" pairs separated by ','. A value is a
  // number in the parameter's units or one of its choice labels; parameters a preset does not name
  // keep their defaults. The engine only stores the text: src/engine/processor-types.ts parses and
  // checks it (every id a parameter of the type, every value in range).
  const char* presets = nullptr;
  // True for a type the engine uses for itself (the latency compensation delay the graph compiler
  // inserts): no graph names it, and no catalog lists it.
  bool internal = false;
};

int processorTypeCount();
const ProcessorType* processorType(int index);

}  // namespace wd
