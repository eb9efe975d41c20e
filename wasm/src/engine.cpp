#include "engine.h"

#include <algorithm>
#include <cstring>

namespace wd {

Engine::Engine(double sampleRate, int blockSize)
    : sampleRate_(sampleRate), blockSize_(std::clamp(blockSize, 1, kMaxBlockSize)) {}

ErrorCode Engine::fail(ErrorCode code, std::string message) {
  lastError_ = std::move(message);
  return code;
}

void Engine::clear() {
  nodes_.clear();
  order_.clear();
  outputNode_ = -1;
  outputChannels_ = 0;
  prepared_ = false;
}

int Engine::addNode(int typeIndex) {
  const ProcessorType* type = processorType(typeIndex);
  if (!type) {
    fail(kErrUnknownKind, "unknown processor type " + std::to_string(typeIndex));
    return -1;
  }
  Node node;
  node.type = type;
  node.processor = type->create();
  node.params.resize(type->numParams);
  for (int p = 0; p < type->numParams; ++p) {
    node.params[p] = type->params[p].defaultValue;
    node.processor->setParam(p, node.params[p]);
  }
  nodes_.push_back(std::move(node));
  prepared_ = false;
  return static_cast<int>(nodes_.size()) - 1;
}

ErrorCode Engine::addInput(int node, int source) {
  if (node < 0 || node >= static_cast<int>(nodes_.size())) {
    return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  }
  if (source < 0 || source >= static_cast<int>(nodes_.size())) {
    return fail(kErrUnknownNode, "unknown input node " + std::to_string(source));
  }
  nodes_[node].inputs.push_back(source);
  prepared_ = false;
  return kOk;
}

// Depth-first search from the output node; a node met again while still on the stack closes a cycle,
// which is reported with the node indices in it so the caller can name them.
ErrorCode Engine::findOrder() {
  enum State : uint8_t { kUnseen, kOnStack, kDone };
  std::vector<State> state(nodes_.size(), kUnseen);
  std::vector<int> stack;
  order_.clear();
  struct Frame {
    int node;
    size_t next;
  };
  std::vector<Frame> frames{{outputNode_, 0}};
  state[outputNode_] = kOnStack;
  stack.push_back(outputNode_);
  while (!frames.empty()) {
    Frame& f = frames.back();
    const Node& n = nodes_[f.node];
    if (f.next < n.inputs.size()) {
      const int in = n.inputs[f.next++];
      if (state[in] == kOnStack) {
        std::string cycle;
        auto it = std::find(stack.begin(), stack.end(), in);
        for (; it != stack.end(); ++it) cycle += std::to_string(*it) + " -> ";
        cycle += std::to_string(in);
        return fail(kErrCycle, "cycle " + cycle);
      }
      if (state[in] == kUnseen) {
        state[in] = kOnStack;
        stack.push_back(in);
        frames.push_back({in, 0});
      }
    } else {
      state[f.node] = kDone;
      order_.push_back(f.node);
      stack.pop_back();
      frames.pop_back();
    }
  }
  return kOk;
}

ErrorCode Engine::prepare(int outputNode) {
  prepared_ = false;
  if (outputNode < 0 || outputNode >= static_cast<int>(nodes_.size())) {
    return fail(kErrUnknownNode, "unknown output node " + std::to_string(outputNode));
  }
  outputNode_ = outputNode;
  if (ErrorCode e = findOrder(); e != kOk) return e;

  silence_.assign(blockSize_, 0.0f);
  // Dependencies come first in order_, so each node's input channel count is known when it is
  // prepared.
  for (int index : order_) {
    Node& n = nodes_[index];
    int numInputs = 0;
    for (int in : n.inputs) numInputs += nodes_[in].numOutputs;
    if (n.type->maxInputs == 0) numInputs = 0;
    if (numInputs > kMaxChannels) {
      return fail(kErrTooManyChannels, "node " + std::to_string(index) + " has " +
                                           std::to_string(numInputs) + " input channels (max " +
                                           std::to_string(kMaxChannels) + ")");
    }
    n.processor->prepare(sampleRate_, blockSize_, numInputs);
    n.numOutputs = n.processor->numOutputs();
    if (n.numOutputs > kMaxChannels) {
      return fail(kErrTooManyChannels, "node " + std::to_string(index) + " writes too many channels");
    }
    n.buffer.assign(static_cast<size_t>(n.numOutputs) * blockSize_, 0.0f);
    n.outputPtrs.resize(n.numOutputs);
    n.blockOutputPtrs.resize(n.numOutputs);
    for (int c = 0; c < n.numOutputs; ++c) n.outputPtrs[c] = n.buffer.data() + c * blockSize_;
    n.inputPtrs.clear();
    if (n.type->maxInputs != 0) {
      for (int in : n.inputs) {
        for (float* p : nodes_[in].outputPtrs) n.inputPtrs.push_back(p);
      }
    }
    n.blockInputPtrs.resize(n.inputPtrs.size());
  }
  outputChannels_ = nodes_[outputNode_].numOutputs;
  output_.assign(static_cast<size_t>(kMaxChannels) * kMaxRenderFrames, 0.0f);
  prepared_ = true;
  reset();
  return kOk;
}

ErrorCode Engine::setParam(int node, int param, float value) {
  if (node < 0 || node >= static_cast<int>(nodes_.size())) return kErrUnknownNode;
  Node& n = nodes_[node];
  if (param < 0 || param >= n.type->numParams) return kErrUnknownParam;
  const ParamSpec& spec = n.type->params[param];
  value = std::clamp(value, spec.min, spec.max);
  if (spec.discrete) value = static_cast<float>(static_cast<int>(value + 0.5f));
  n.params[param] = value;
  n.processor->setParam(param, value);
  return kOk;
}

void Engine::reset() {
  position_ = 0;
  for (Node& n : nodes_) n.processor->reset();
}

int Engine::nodeOutputChannels(int node) const {
  if (node < 0 || node >= static_cast<int>(nodes_.size())) return -1;
  return nodes_[node].numOutputs;
}

void Engine::renderBlock(int offset, int frames) {
  for (int index : order_) {
    Node& n = nodes_[index];
    AudioBlock block{n.inputPtrs.data(), static_cast<int>(n.inputPtrs.size()), n.outputPtrs.data(),
                     n.numOutputs, frames};
    n.processor->process(block);
  }
  const Node& out = nodes_[outputNode_];
  for (int c = 0; c < outputChannels_; ++c) {
    std::memcpy(outputChannel(c) + offset, out.outputPtrs[c], sizeof(float) * frames);
  }
  position_ += frames;
}

int Engine::render(int frames) {
  if (!prepared_ || frames <= 0) return 0;
  frames = std::min(frames, kMaxRenderFrames);
  for (int done = 0; done < frames;) {
    const int n = std::min(blockSize_, frames - done);
    renderBlock(done, n);
    done += n;
  }
  return frames;
}

}  // namespace wd
