#include "gain.h"

namespace wd {

const ParamSpec kGainParams[] = {
    // Linear factor applied to every channel; negative values invert the phase.
    {"gain", "Gain", "", -1000.0f, 1000.0f, 1.0f, false, nullptr},
};
const int kGainParamCount = 1;

void Gain::process(const AudioBlock& block) {
  for (int c = 0; c < block.numOutputs; ++c) {
    const float* in = block.inputs[c];
    float* out = block.outputs[c];
    for (int i = 0; i < block.frames; ++i) out[i] = in[i] * gain_;
  }
}

}  // namespace wd
