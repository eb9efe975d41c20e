#include "constant.h"

#include <algorithm>
#include <cfloat>

namespace wd {

const ParamSpec kConstantParams[] = {
    // The output value. Web Audio's offset has the float range; so does this one.
    {"offset", "Offset", "", -FLT_MAX, FLT_MAX, 1.0f, false, nullptr},
};
const int kConstantParamCount = 1;

void Constant::process(const AudioBlock& block) {
  // The engine splits the block wherever `offset` changes, so one value fills each piece.
  std::fill(block.outputs[0], block.outputs[0] + block.frames, offset_);
}

}  // namespace wd
