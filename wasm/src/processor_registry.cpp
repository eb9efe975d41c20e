#include "processor_registry.h"

#include "processors/gain.h"
#include "processors/oscillator.h"
#include "processors/playback.h"

namespace wd {

namespace {

template <typename T>
std::unique_ptr<Processor> make() {
  return std::unique_ptr<Processor>(new T());
}

const ProcessorType kTypes[] = {
    {"oscillator", "Oscillator", kOscillatorParams, kOscillatorParamCount, 0, make<Oscillator>},
    {"gain", "Gain", kGainParams, kGainParamCount, -1, make<Gain>},
    {"playback", "Playback", kPlaybackParams, kPlaybackParamCount, 0, make<Playback>},
};

}  // namespace

int processorTypeCount() { return sizeof(kTypes) / sizeof(kTypes[0]); }

const ProcessorType* processorType(int index) {
  return index >= 0 && index < processorTypeCount() ? &kTypes[index] : nullptr;
}

}  // namespace wd
