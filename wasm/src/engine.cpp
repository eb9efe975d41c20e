#include "engine.h"

#include "heap_bytes.h"
#include "processors/external.h"

#include <algorithm>
#include <limits>
#include <cstring>

#include "dsp/finite.h"
#include "dsp/wavetable.h"

namespace wd {

Engine::Engine(double sampleRate, int blockSize)
    : sampleRate_(sampleRate), blockSize_(std::clamp(blockSize, 1, kMaxBlockSize)) {
  // The oscillators' band-limited tables, shared by every engine in this module instance: built
  // here, on the control thread, so no graph edit or render ever builds them.
  wavetables();
}

ErrorCode Engine::fail(ErrorCode code, std::string message) {
  lastError_ = std::move(message);
  return code;
}

// ---------------------------------------------------------------------------------------------
// Graph edits (control thread)

void Engine::clear() {
  nodes_.clear();
  order_.clear();
  feedbackNodes_.clear();
  plan_.clear();
  planSteps_ = 0;
  fusedNodes_ = 0;
  addingNodes_ = 0;
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
  node.params = type->params;
  node.numParams = type->numParams;
  node.processor = type->create();
  node.processor->setTempoTimeline(&tempo_);
  node.baseParams.resize(type->numParams);
  for (int p = 0; p < type->numParams; ++p) {
    node.baseParams[p] = type->params[p].defaultValue;
    node.processor->setParam(p, node.baseParams[p]);
  }
  node.paramValues = node.baseParams;
  nodes_.push_back(std::move(node));
  prepared_ = false;
  return static_cast<int>(nodes_.size()) - 1;
}

namespace {
// Externals are not in the processor registry (they are not built-in node types), but every node
// needs a type: this one accepts any number of inputs.
const ProcessorType kExternalType{"external", "External", nullptr, 0, -1, nullptr};
}  // namespace

int Engine::addExternalNode(int hostId, int numOutputs, int numParams) {
  if (numOutputs < 0 || numOutputs > kMaxChannels || numParams < 0 || numParams > 4096) {
    fail(kErrBadArgument, "an external node needs 0.." + std::to_string(kMaxChannels) + " outputs and 0..4096 parameters");
    return -1;
  }
  Node node;
  node.type = &kExternalType;
  node.externalParams.assign(numParams, ParamSpec{"", "", "", -3.4e38f, 3.4e38f, 0.0f, false, nullptr});
  node.params = node.externalParams.data();
  node.numParams = numParams;
  node.processor = std::make_unique<External>(hostId, numOutputs);
  node.baseParams.assign(numParams, 0.0f);
  node.paramValues = node.baseParams;
  nodes_.push_back(std::move(node));
  prepared_ = false;
  return static_cast<int>(nodes_.size()) - 1;
}

ErrorCode Engine::setExternalParamRange(int node, int param, float min, float max, float defaultValue, bool discrete) {
  if (!validNode(node) || nodes_[node].type != &kExternalType) {
    return fail(kErrUnknownNode, "node " + std::to_string(node) + " is not an external node");
  }
  Node& n = nodes_[node];
  if (param < 0 || param >= n.numParams) return fail(kErrUnknownParam, "unknown parameter " + std::to_string(param));
  ParamSpec& spec = n.externalParams[param];
  spec.min = min;
  spec.max = max;
  spec.defaultValue = defaultValue;
  spec.discrete = discrete;
  n.baseParams[param] = defaultValue;
  return kOk;
}

ErrorCode Engine::addInput(int node, int source) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  if (!validNode(source)) return fail(kErrUnknownNode, "unknown input node " + std::to_string(source));
  nodes_[node].inputs.push_back(source);
  prepared_ = false;
  return kOk;
}

ErrorCode Engine::setCapture(int node, bool on) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  nodes_[node].capture = on;
  prepared_ = false;
  return kOk;
}

ErrorCode Engine::setRecordParams(int node, bool on) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  nodes_[node].recordParams = on;
  prepared_ = false;
  return kOk;
}

void Engine::applyParam(void* context, int param, float value) {
  // A NaN is no value: the parameter keeps the one it has (std::clamp would pass NaN through, and
  // a NaN frequency or coefficient would poison the processor's state). ±Inf clamps to the range.
  if (value != value) return;
  Node& n = *static_cast<Node*>(context);
  const ParamSpec& spec = n.params[param];
  value = std::clamp(value, spec.min, spec.max);
  if (spec.discrete) value = static_cast<float>(static_cast<int>(value + (value >= 0 ? 0.5f : -0.5f)));
  n.paramValues[param] = value;
  n.processor->setParam(param, value);
}

ErrorCode Engine::setBaseParam(int node, int param, float value) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  Node& n = nodes_[node];
  if (param < 0 || param >= n.numParams) {
    return fail(kErrUnknownParam, "node " + std::to_string(node) + " has no parameter " + std::to_string(param));
  }
  n.baseParams[param] = value;
  applyParam(&n, param, value);
  return kOk;
}

// Depth-first search from the output node, following inputs. A node met again while still on the
// stack closes a cycle: if a feedback-capable node (a delay) lies on it, that node is marked as a
// feedback node, which renders as a source and absorbs its inputs after the rest of the graph,
// and the search starts over; otherwise the cycle is an error that names its nodes.
ErrorCode Engine::findOrder() {
  enum State : uint8_t { kUnseen, kOnStack, kDone };
  for (Node& n : nodes_) n.feedback = false;
  while (true) {
    std::vector<State> state(nodes_.size(), kUnseen);
    std::vector<int> roots{outputNode_};
    order_.clear();
    bool restart = false;
    for (size_t r = 0; r < roots.size() && !restart; ++r) {
      if (state[roots[r]] != kUnseen) continue;
      struct Frame {
        int node;
        size_t next;
      };
      std::vector<Frame> stack{{roots[r], 0}};
      state[roots[r]] = kOnStack;
      while (!stack.empty() && !restart) {
        Frame& f = stack.back();
        Node& n = nodes_[f.node];
        if (n.feedback && f.next == 0) {
          // A feedback node's inputs are rendered later in the same pass; search them as roots.
          for (int in : n.inputs) roots.push_back(in);
          f.next = n.inputs.size();
        }
        if (f.next < n.inputs.size()) {
          const int in = n.inputs[f.next++];
          if (state[in] == kOnStack) {
            auto first = std::find_if(stack.begin(), stack.end(), [in](const Frame& s) { return s.node == in; });
            auto breaker = std::find_if(first, stack.end(), [this](const Frame& s) {
              return nodes_[s.node].type->feedbackCapable && !nodes_[s.node].feedback;
            });
            if (breaker == stack.end()) {
              std::string cycle;
              for (auto it = first; it != stack.end(); ++it) cycle += std::to_string(it->node) + " -> ";
              return fail(kErrCycle, "cycle " + cycle + std::to_string(in));
            }
            nodes_[breaker->node].feedback = true;
            restart = true;
          } else if (state[in] == kUnseen) {
            state[in] = kOnStack;
            stack.push_back({in, 0});
          }
        } else {
          state[f.node] = kDone;
          order_.push_back(f.node);
          stack.pop_back();
        }
      }
    }
    if (!restart) break;
  }
  feedbackNodes_.clear();
  for (Node& n : nodes_) n.reachable = false;
  for (int index : order_) {
    nodes_[index].reachable = true;
    if (nodes_[index].feedback) feedbackNodes_.push_back(index);
  }
  return kOk;
}

// Channel counts flow from sources to the output: `visit(node, index, numInputs)` prepares (or plans)
// one node and returns the channels it writes, and `outputs` ends with each node's count. A feedback
// node's inputs may come later in order_, so the counts are settled first, repeating while one still
// changes.
template <typename Visit>
ErrorCode Engine::flowChannels(std::vector<int>& outputs, Visit visit) {
  outputs.assign(nodes_.size(), 0);
  std::vector<int> layout;
  for (int pass = 0; pass < 2 + static_cast<int>(feedbackNodes_.size()); ++pass) {
    bool changed = false;
    for (int index : order_) {
      Node& n = nodes_[index];
      layout.clear();
      int numInputs = 0;
      if (n.type->maxInputs != 0) {
        for (int in : n.inputs) {
          layout.push_back(outputs[in]);
          numInputs += outputs[in];
        }
      }
      if (numInputs > kMaxChannels) {
        return fail(kErrTooManyChannels, "node " + std::to_string(index) + " has " + std::to_string(numInputs) +
                                             " input channels (max " + std::to_string(kMaxChannels) + ")");
      }
      n.processor->setInputLayout(layout.data(), static_cast<int>(layout.size()));
      const int count = visit(n, index, numInputs);
      if (count > kMaxChannels || count < 0) {
        return fail(kErrTooManyChannels, "node " + std::to_string(index) + " writes " + std::to_string(count) +
                                             " channels (max " + std::to_string(kMaxChannels) + ")");
      }
      changed = changed || count != outputs[index];
      outputs[index] = count;
    }
    if (!changed && pass > 0) break;
  }
  return kOk;
}

ErrorCode Engine::prepare(int outputNode) {
  prepared_ = false;
  if (!validNode(outputNode)) return fail(kErrUnknownNode, "unknown output node " + std::to_string(outputNode));
  outputNode_ = outputNode;
  if (ErrorCode e = findOrder(); e != kOk) return e;
  std::vector<int> outputs;
  const ErrorCode flowed = flowChannels(outputs, [this](Node& n, int, int numInputs) {
    n.processor->prepare(sampleRate_, blockSize_, numInputs);
    return n.processor->numOutputs();
  });
  if (flowed != kOk) return flowed;

  for (int index : order_) {
    Node& n = nodes_[index];
    n.numOutputs = outputs[index];
    n.followsTimeline = n.processor->followsTimeline();
  }
  for (int index : order_) {
    Node& n = nodes_[index];
    n.buffer.assign(static_cast<size_t>(n.numOutputs) * blockSize_, 0.0f);
    n.outputPtrs.resize(n.numOutputs);
    for (int c = 0; c < n.numOutputs; ++c) n.outputPtrs[c] = n.buffer.data() + static_cast<size_t>(c) * blockSize_;
    n.subOutputPtrs.resize(n.numOutputs);
    n.captureBuffer.assign(n.capture ? static_cast<size_t>(n.numOutputs) * kMaxRenderFrames : 0, 0.0f);
    n.paramRecord.assign(n.recordParams ? static_cast<size_t>(n.numParams) * kMaxRenderFrames : 0, 0.0f);
  }
  for (int index : order_) {
    Node& n = nodes_[index];
    n.inputPtrs.clear();
    if (n.type->maxInputs != 0) {
      for (int in : n.inputs) {
        for (float* p : nodes_[in].outputPtrs) n.inputPtrs.push_back(p);
      }
    }
    n.subInputPtrs.resize(n.inputPtrs.size());
  }
  // Taken with the first graph (so that an engine's estimate of its first graph counts it).
  if (scratch_.empty()) scratch_.assign(scratchFloats() + kScratchAlignFloats, 0.0f);
  plan_.assign(order_.size(), Step{});
  planFusion();
  outputChannels_ = nodes_[outputNode_].numOutputs;
  output_.assign(static_cast<size_t>(outputChannels_) * kMaxRenderFrames, 0.0f);
  prepared_ = true;
  reset();
  return kOk;
}

void Engine::planFusion() {
  fusionStale_ = false;
  const int count = static_cast<int>(order_.size());
  for (int p = 0; p < count; ++p) {
    Node& n = nodes_[order_[p]];
    n.position = p;
    n.consumers = 0;
    n.scratch = -1;
    n.accumulateInto = -1;
    n.accumulating = false;
    n.folded = false;
  }
  nodes_[outputNode_].consumers++;
  for (int index : order_) {
    const Node& n = nodes_[index];
    if (n.type->maxInputs == 0) continue;
    for (int in : n.inputs) nodes_[in].consumers++;
  }
  // A node whose one channel only one read in the graph sees, and which nothing else looks at.
  const auto readOnce = [this](const Node& x, int index) {
    return x.consumers == 1 && x.numOutputs == 1 && index != outputNode_ && !x.capture && !x.feedback &&
           x.type != &kExternalType && !x.accumulating;
  };
  // Mixers: input k adds itself right after it renders when it is read once and every input before
  // it has rendered by then (inputs rendered later, as through a cycle, wait for the mixer's turn).
  for (int p = 0; p < count; ++p) {
    const int index = order_[p];
    Node& m = nodes_[index];
    if (m.feedback || !m.timeline.empty() || m.type->maxInputs == 0 || !m.processor->accumulatesInputs()) continue;
    int from = 0, fromChannel = 0, channel = 0, lastBefore = -1;
    for (int k = 0; k < static_cast<int>(m.inputs.size()); ++k) {
      const int in = m.inputs[k];
      Node& x = nodes_[in];
      if (readOnce(x, in) && x.position > lastBefore && x.position < p) {
        x.accumulateInto = index;
        x.accumulateFrom = from;
        x.accumulateTo = k + 1;
        x.accumulateChannel = fromChannel;
        x.scratch = kScratchAccumulate;
        // A gain of one mono channel with no automation: the mixer scales its input itself.
        x.folded = x.processor->inputScale() != nullptr && x.timeline.empty() && x.inputs.size() == 1 &&
                   x.type->maxInputs != 0 && nodes_[x.inputs[0]].numOutputs == 1;
        m.accumulating = true;
        from = k + 1;
        fromChannel = channel + 1;
      }
      lastBefore = std::max(lastBefore, x.position);
      channel += x.numOutputs;
    }
    m.restFrom = from;
    m.restChannel = fromChannel;
  }
  // Chains: a node read once, by the next node in the order, writes a scratch block the next node
  // does not write; walked backwards so each knows its reader's block.
  for (int p = count - 2; p >= 0; --p) {
    const int index = order_[p];
    Node& x = nodes_[index];
    const Node& reader = nodes_[order_[p + 1]];
    if (x.scratch >= 0 || !readOnce(x, index) || reader.feedback || reader.type->maxInputs == 0 ||
        reader.type == &kExternalType ||
        std::find(reader.inputs.begin(), reader.inputs.end(), index) == reader.inputs.end()) {
      continue;
    }
    x.scratch = reader.scratch == 1 ? 2 : 1;
  }
  fusedNodes_ = 0;
  for (int index : order_) {
    Node& n = nodes_[index];
    if (n.scratch >= 0) ++fusedNodes_;
    for (int c = 0; c < n.numOutputs; ++c) n.outputPtrs[c] = n.buffer.data() + static_cast<size_t>(c) * blockSize_;
    if (n.scratch >= 0) n.outputPtrs[0] = scratchBlock(n.scratch);
  }
  for (int index : order_) {
    Node& n = nodes_[index];
    if (n.type->maxInputs == 0) continue;
    size_t at = 0;
    for (int in : n.inputs) {
      // A folded gain's reader (its mixer) reads what the gain would have scaled.
      const Node& source = nodes_[in].folded ? nodes_[nodes_[in].inputs[0]] : nodes_[in];
      for (float* p : source.outputPtrs) n.inputPtrs[at++] = p;
    }
  }
  for (int p = 0; p < count && p < static_cast<int>(plan_.size()); ++p) {
    const int index = order_[p];
    Node& n = nodes_[index];
    Step& s = plan_[p];
    s = Step{};
    s.node = index;
    s.processor = n.processor.get();
    s.inputs = n.inputPtrs.data();
    s.numInputs = static_cast<int>(n.inputPtrs.size());
    s.outputs = n.outputPtrs.data();
    s.numOutputs = n.numOutputs;
    const bool plain = n.paramRecord.empty() && !n.capture && !n.feedback;
    if (plain && n.accumulating) {
      s.how = Step::kRest;
      s.from = n.restFrom;
      s.to = static_cast<int>(n.inputs.size());
      s.channel = n.restChannel;
    } else if (plain && n.folded) {
      s.how = Step::kFolded;
    } else if (plain && !n.accumulating && !n.folded && n.timeline.empty()) {
      s.how = Step::kProcess;
    }
    if (s.how != Step::kNode && n.accumulateInto >= 0) {
      Node& m = nodes_[n.accumulateInto];
      s.into = m.processor.get();
      s.intoInputs = m.inputPtrs.data();
      s.intoNumInputs = static_cast<int>(m.inputPtrs.size());
      s.intoOutputs = m.outputPtrs.data();
      s.intoNumOutputs = m.numOutputs;
      s.intoFrom = n.accumulateFrom;
      s.intoTo = n.accumulateTo;
      s.intoChannel = n.accumulateChannel;
    }
  }
  planAdding();
}

void Engine::planAdding() {
  addingNodes_ = 0;
  const int count = std::min(static_cast<int>(order_.size()), static_cast<int>(plan_.size()));
  for (int p = 0; p < count; ++p) {
    Step& s = plan_[p];
    // The mixer adds this turn's input alone (a range of one input), into its one channel.
    if (s.into == nullptr || s.intoTo - s.intoFrom != 1 || s.intoNumOutputs != 1) continue;
    Step* source = &s;
    if (s.how == Step::kFolded) {
      // A folded gain: its input, when that is the turn right before and read by the gain alone.
      const Node& gain = nodes_[s.node];
      const int in = gain.inputs[0];
      const Node& x = nodes_[in];
      if (p == 0 || plan_[p - 1].node != in || x.consumers != 1 || x.capture || x.feedback || in == outputNode_) {
        continue;
      }
      source = &plan_[p - 1];
      if (source->into != nullptr) continue;
    }
    if (source->how != Step::kProcess || source->numOutputs != 1 || !source->processor->addsIntoBus()) continue;
    const float* inputFactor = nullptr;
    const float* masterFactor = nullptr;
    if (!s.into->inputGainFactors(s.intoFrom, &inputFactor, &masterFactor)) continue;
    const Step into = s;
    if (source != &s) {
      s.into = nullptr;  // the folded gain's turn: its source adds for it
      source->scale = s.processor->inputScale();
    }
    source->inputFactor = inputFactor;
    source->masterFactor = masterFactor;
    source->how = Step::kAdd;
    source->into = into.into;
    source->intoInputs = into.intoInputs;
    source->intoNumInputs = into.intoNumInputs;
    source->intoOutputs = into.intoOutputs;
    source->intoNumOutputs = into.intoNumOutputs;
    source->intoFrom = into.intoFrom;
    source->intoTo = into.intoTo;
    source->intoChannel = into.intoChannel;
    ++addingNodes_;
  }
  // The turns that do nothing (a folded gain whose source adds for it) leave the render loop: W1's
  // 256 gains no longer cost a step each.
  planSteps_ = 0;
  for (int p = 0; p < count; ++p) {
    if (plan_[p].how != Step::kFolded || plan_[p].into != nullptr) plan_[planSteps_++] = plan_[p];
  }
}

double Engine::estimateMemory(int outputNode) {
  prepared_ = false;
  if (!validNode(outputNode)) {
    return -fail(kErrUnknownNode, "unknown output node " + std::to_string(outputNode));
  }
  outputNode_ = outputNode;
  if (ErrorCode e = findOrder(); e != kOk) return -e;
  std::vector<int> outputs;
  std::vector<uint64_t> planned(nodes_.size(), 0);
  const ErrorCode flowed = flowChannels(outputs, [this, &planned](Node& n, int index, int numInputs) {
    const PreparePlan plan = n.processor->planPrepare(sampleRate_, blockSize_, numInputs);
    planned[index] = plan.bytes;
    return plan.numOutputs;
  });
  if (flowed != kOk) return -flowed;

  // What prepare() takes beside the processors, node by node (see the second half of prepare()), and
  // the render order, as long as this fresh ordering made it.
  uint64_t total = heapBytes(order_.capacity() * sizeof(int)) + heapBytes(feedbackNodes_.capacity() * sizeof(int));
  if (scratch_.empty()) total += heapBytes((scratchFloats() + kScratchAlignFloats) * sizeof(float));
  total += heapBytes(order_.size() * sizeof(Step));
  for (Node& n : nodes_) n.memoryEstimate = 0;
  for (int index : order_) {
    Node& n = nodes_[index];
    const uint64_t outs = static_cast<uint64_t>(outputs[index]);
    uint64_t ins = 0;
    if (n.type->maxInputs != 0) {
      for (int in : n.inputs) ins += static_cast<uint64_t>(outputs[in]);
    }
    uint64_t bytes = heapBytes(planned[index]);
    bytes += heapBytes(outs * static_cast<uint64_t>(blockSize_) * sizeof(float));  // buffer
    bytes += 2 * heapBytes(outs * sizeof(float*)) + 2 * heapBytes(ins * sizeof(const float*));  // channel tables
    if (n.capture) bytes += heapBytes(outs * kMaxRenderFrames * sizeof(float));
    if (n.recordParams) bytes += heapBytes(static_cast<uint64_t>(n.numParams) * kMaxRenderFrames * sizeof(float));
    if (index == outputNode_) bytes += heapBytes(outs * kMaxRenderFrames * sizeof(float));  // output staging
    n.memoryEstimate = bytes;
    total += bytes;
  }
  return static_cast<double>(total);
}

double Engine::nodeMemoryEstimate(int node) const {
  return validNode(node) ? static_cast<double>(nodes_[node].memoryEstimate) : 0.0;
}

// ---------------------------------------------------------------------------------------------
// Timelines (control thread)

ErrorCode Engine::addStep(int node, int param, int64_t frame, float value) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  if (param < 0 || param >= nodes_[node].numParams) return fail(kErrUnknownParam, "unknown parameter");
  nodes_[node].timeline.addStep(param, frame, value);
  fusionStale_ = true;  // planFusion fuses only mixers and gains without automation
  return kOk;
}

ErrorCode Engine::addRamp(int node, int param, int64_t start, int64_t end, float v0, float v1, int curve) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  if (param < 0 || param >= nodes_[node].numParams) return fail(kErrUnknownParam, "unknown parameter");
  nodes_[node].timeline.addRamp(param, start, end, v0, v1, curve == 1 ? Curve::kExponential : Curve::kLinear);
  fusionStale_ = true;  // planFusion fuses only mixers and gains without automation
  return kOk;
}

ErrorCode Engine::addArray(int node, int param, int64_t start, const float* values, int count) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  if (param < 0 || param >= nodes_[node].numParams) return fail(kErrUnknownParam, "unknown parameter");
  nodes_[node].timeline.addArray(param, start, values, count);
  fusionStale_ = true;  // planFusion fuses only mixers and gains without automation
  return kOk;
}

ErrorCode Engine::addMidi(int node, int64_t frame, int status, int data1, int data2) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  fusionStale_ = true;
  nodes_[node].timeline.addMidi(
      frame, MidiMessage{static_cast<uint8_t>(status), static_cast<uint8_t>(data1), static_cast<uint8_t>(data2)});
  return kOk;
}

ErrorCode Engine::reserveTimeline(int node, int steps, int segments, int midi, double values) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  if (steps < 0 || segments < 0 || midi < 0 || !(values >= 0) || values > 1073741823.0) {
    return fail(kErrBadArgument, "timeline entry counts must be >= 0 (and at most 2^30 - 1 array values)");
  }
  nodes_[node].timeline.reserve(steps, segments, midi, static_cast<size_t>(values));
  return kOk;
}

ErrorCode Engine::laneBegin(int node, int param) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  if (param < 0 || param >= nodes_[node].numParams) return fail(kErrUnknownParam, "unknown parameter");
  nodes_[node].timeline.removeParam(param);
  fusionStale_ = true;  // planFusion fuses only mixers and gains without automation
  return kOk;
}

ErrorCode Engine::laneEnd(int node, int param, float base) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  Node& n = nodes_[node];
  if (param < 0 || param >= n.numParams) return fail(kErrUnknownParam, "unknown parameter");
  n.baseParams[param] = base;
  n.timeline.resync(position_, param, base, &Engine::applyParam, &n);
  return kOk;
}

ErrorCode Engine::clearTimeline(int node) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  nodes_[node].timeline.clear();
  fusionStale_ = true;  // planFusion fuses only mixers and gains without automation
  return kOk;
}

// ---------------------------------------------------------------------------------------------
// Sample buffers (control thread)

int Engine::createBuffer(int channels, int frames, double sampleRate) {
  if (channels < 1 || channels > kMaxChannels || frames < 0) {
    fail(kErrBadArgument, "a buffer needs 1.." + std::to_string(kMaxChannels) + " channels and frames >= 0");
    return -1;
  }
  auto buffer = std::make_unique<Buffer>();
  buffer->data.assign(static_cast<size_t>(channels) * static_cast<size_t>(frames), 0.0f);
  for (int c = 0; c < channels; ++c) buffer->channels.push_back(buffer->data.data() + static_cast<size_t>(c) * frames);
  buffer->view = SampleBuffer{buffer->channels.data(), channels, frames, sampleRate};
  for (size_t i = 0; i < buffers_.size(); ++i) {
    if (!buffers_[i]) {
      buffers_[i] = std::move(buffer);
      return static_cast<int>(i);
    }
  }
  buffers_.push_back(std::move(buffer));
  return static_cast<int>(buffers_.size()) - 1;
}

float* Engine::bufferChannel(int id, int channel) {
  if (id < 0 || id >= static_cast<int>(buffers_.size()) || !buffers_[id]) return nullptr;
  Buffer& b = *buffers_[id];
  if (channel < 0 || channel >= b.view.numChannels) return nullptr;
  return b.data.data() + static_cast<size_t>(channel) * b.view.frames;
}

int Engine::bufferChannels(int id) const {
  if (id < 0 || id >= static_cast<int>(buffers_.size()) || !buffers_[id]) return -1;
  return buffers_[id]->view.numChannels;
}

int Engine::bufferFrames(int id) const {
  if (id < 0 || id >= static_cast<int>(buffers_.size()) || !buffers_[id]) return -1;
  return buffers_[id]->view.frames;
}

ErrorCode Engine::releaseBuffer(int id) {
  if (id < 0 || id >= static_cast<int>(buffers_.size()) || !buffers_[id]) {
    return fail(kErrUnknownBuffer, "unknown buffer " + std::to_string(id));
  }
  for (Node& n : nodes_) {
    for (size_t slot = 0; slot < n.bufferBindings.size(); ++slot) {
      if (n.bufferBindings[slot] == id) {
        n.bufferBindings[slot] = -1;
        n.processor->setBuffer(static_cast<int>(slot), nullptr);
      }
    }
  }
  buffers_[id].reset();
  return kOk;
}

ErrorCode Engine::setNodeBuffer(int node, int slot, int bufferId) {
  if (!validNode(node)) return fail(kErrUnknownNode, "unknown node " + std::to_string(node));
  if (slot < 0 || slot > 255) return fail(kErrBadArgument, "buffer slot must be 0..255");
  const SampleBuffer* view = nullptr;
  if (bufferId >= 0) {
    if (bufferId >= static_cast<int>(buffers_.size()) || !buffers_[bufferId]) {
      return fail(kErrUnknownBuffer, "unknown buffer " + std::to_string(bufferId));
    }
    view = &buffers_[bufferId]->view;
  }
  Node& n = nodes_[node];
  if (static_cast<int>(n.bufferBindings.size()) <= slot) n.bufferBindings.resize(slot + 1, -1);
  n.bufferBindings[slot] = bufferId;
  n.processor->setBuffer(slot, view);
  prepared_ = false;  // the node's channel count may follow its buffer
  return kOk;
}

// ---------------------------------------------------------------------------------------------
// Rendering (audio thread)

void Engine::seek(int64_t frame) {
  position_ = frame;
  for (Node& n : nodes_) {
    if (n.reachable) n.timeline.seek(frame, *n.processor, n.baseParams, &Engine::applyParam, &n);
  }
}

ErrorCode Engine::sendMidi(int node, int status, int data1, int data2) {
  if (!validNode(node)) return kErrUnknownNode;
  nodes_[node].processor->midi(
      MidiMessage{static_cast<uint8_t>(status), static_cast<uint8_t>(data1), static_cast<uint8_t>(data2)});
  return kOk;
}

void Engine::reset() {
  seek(0);
  for (Node& n : nodes_) {
    if (n.reachable) n.processor->reset();
    n.timeline.forgetNotes();
  }
}

void Engine::releaseTimelineNotes() {
  for (Node& n : nodes_) {
    if (n.reachable) n.timeline.releaseNotes(*n.processor);
  }
}

int Engine::nodeOutputChannels(int node) const { return validNode(node) ? nodes_[node].numOutputs : -1; }

float* Engine::captureChannel(int node, int ch) {
  if (!validNode(node)) return nullptr;
  Node& n = nodes_[node];
  if (n.captureBuffer.empty() || ch < 0 || ch >= n.numOutputs) return nullptr;
  return n.captureBuffer.data() + static_cast<size_t>(ch) * kMaxRenderFrames;
}

float* Engine::parameterRecord(int node, int param) {
  if (!validNode(node)) return nullptr;
  Node& n = nodes_[node];
  if (n.paramRecord.empty() || param < 0 || param >= n.numParams) return nullptr;
  return n.paramRecord.data() + static_cast<size_t>(param) * kMaxRenderFrames;
}

float Engine::paramValue(int node, int param) const {
  if (!validNode(node)) return std::numeric_limits<float>::quiet_NaN();
  const Node& n = nodes_[node];
  if (param < 0 || param >= n.numParams || param >= static_cast<int>(n.paramValues.size()))
    return std::numeric_limits<float>::quiet_NaN();
  return n.paramValues[param];
}

void Engine::recordParams(Node& n, int offset, int frames) {
  if (n.paramRecord.empty()) return;
  for (int p = 0; p < n.numParams; ++p) {
    float* record = n.paramRecord.data() + static_cast<size_t>(p) * kMaxRenderFrames + offset;
    std::fill(record, record + frames, n.paramValues[p]);
  }
}

// Renders one node for `frames` frames starting at transport frame `start`, split wherever its
// timeline changes a parameter or delivers MIDI, so that every change lands on its exact frame.
void Engine::renderNode(Node& n, int64_t start, int frames, int offset) {
  AudioBlock block{n.inputPtrs.data(), static_cast<int>(n.inputPtrs.size()), n.outputPtrs.data(), n.numOutputs,
                   frames,           start};
  if (n.timeline.empty()) {
    recordParams(n, offset, frames);
    n.processor->process(block);
    return;
  }
  for (int done = 0; done < frames;) {
    const int step = std::min(frames - done, n.timeline.applyAt(start + done, frames - done, *n.processor,
                                                                 &Engine::applyParam, &n));
    recordParams(n, offset + done, step);
    for (size_t c = 0; c < n.inputPtrs.size(); ++c) n.subInputPtrs[c] = n.inputPtrs[c] + done;
    for (size_t c = 0; c < n.outputPtrs.size(); ++c) n.subOutputPtrs[c] = n.outputPtrs[c] + done;
    block.inputs = n.subInputPtrs.data();
    block.outputs = n.subOutputPtrs.data();
    block.frames = step;
    block.position = start + done;
    n.processor->process(block);
    done += step;
  }
}

void Engine::renderPiece(int offset, int frames, bool held) {
  if (held) {
    for (int index : order_) renderTurn(nodes_[index], offset, frames, held);
  } else {
    for (const Step* step = plan_.data(), *end = step + planSteps_; step != end; ++step) {
      const Step& s = *step;
      switch (s.how) {
        case Step::kProcess:
          s.processor->process(AudioBlock{s.inputs, s.numInputs, s.outputs, s.numOutputs, frames, position_});
          break;
        case Step::kRest:
          s.processor->accumulateInputs(AudioBlock{s.inputs, s.numInputs, s.outputs, s.numOutputs, frames, position_},
                                        s.from, s.to, s.channel, 1.0f);
          break;
        case Step::kFolded: break;  // its mixer applies it below
        case Step::kAdd: {
          float* bus = s.intoOutputs[0];
          // The mixer's first input: the mixer clears its output before adding it.
          if (s.intoFrom == 0) std::fill(bus, bus + frames, 0.0f);
          // The mixer's product: its input's factor times its master (Mixer::inputGain).
          const float gain = *s.inputFactor * *s.masterFactor;
          s.processor->processAdding(AudioBlock{s.inputs, s.numInputs, s.outputs, s.numOutputs, frames, position_},
                                     bus, gain, s.scale != nullptr ? *s.scale : 1.0f);
          continue;
        }
        case Step::kNode: renderTurn(nodes_[s.node], offset, frames, held); continue;
      }
      if (s.into != nullptr) {
        const float scale = s.how == Step::kFolded ? *s.processor->inputScale() : 1.0f;
        s.into->accumulateInputs(
            AudioBlock{s.intoInputs, s.intoNumInputs, s.intoOutputs, s.intoNumOutputs, frames, position_}, s.intoFrom,
            s.intoTo, s.intoChannel, scale);
      }
    }
  }
  for (int index : feedbackNodes_) {
    Node& n = nodes_[index];
    n.processor->processFeedbackInput(
        AudioBlock{n.inputPtrs.data(), static_cast<int>(n.inputPtrs.size()), nullptr, 0, frames, position_});
  }
  const Node& out = nodes_[outputNode_];
  for (int c = 0; c < outputChannels_; ++c) {
    copyOut(outputChannel(c), out.outputPtrs[c], offset, frames, outputNonFinite_);
  }
  if (!held) position_ += frames;
}

void Engine::renderTurn(Node& n, int offset, int frames, bool held) {
  if (n.accumulating) {
    // Its inputs before restFrom added themselves as they rendered; the rest now. Its timeline is
    // empty (planFusion), so its parameters hold for the whole piece.
    n.processor->accumulateInputs(AudioBlock{n.inputPtrs.data(), static_cast<int>(n.inputPtrs.size()),
                                             n.outputPtrs.data(), n.numOutputs, frames, position_},
                                  n.restFrom, static_cast<int>(n.inputs.size()), n.restChannel, 1.0f);
    recordParams(n, offset, frames);
  } else if (n.folded) {
    recordParams(n, offset, frames);  // its mixer applies it below
  } else if (held && n.followsTimeline) {
    for (int c = 0; c < n.numOutputs; ++c) std::memset(n.outputPtrs[c], 0, sizeof(float) * frames);
  } else if (n.feedback) {
    // Its output depends only on past input; parameters change at piece boundaries only.
    if (!held && !n.timeline.empty()) {
      n.timeline.applyAt(position_, frames, *n.processor, &Engine::applyParam, &n);
    }
    n.processor->processFeedbackOutput(AudioBlock{nullptr, 0, n.outputPtrs.data(), n.numOutputs, frames, position_});
  } else if (held) {
    // The timeline stands still: its values were set once for the whole render (renderHeld).
    n.processor->process(AudioBlock{n.inputPtrs.data(), static_cast<int>(n.inputPtrs.size()), n.outputPtrs.data(),
                                    n.numOutputs, frames, position_});
  } else {
    renderNode(n, position_, frames, offset);
  }
  // The other paths hold their parameters for the whole piece (renderNode records its own).
  if (!n.accumulating && !n.folded && (held || n.feedback)) recordParams(n, offset, frames);
  if (n.capture) {
    for (int c = 0; c < n.numOutputs; ++c) {
      copyOut(n.captureBuffer.data() + static_cast<size_t>(c) * kMaxRenderFrames, n.outputPtrs[c], offset, frames,
              n.captureNonFinite);
    }
  }
  if (n.accumulateInto >= 0) {
    // A source read only by this mixer: added now, while its block is still in the cache.
    Node& m = nodes_[n.accumulateInto];
    const float scale = n.folded ? *n.processor->inputScale() : 1.0f;
    m.processor->accumulateInputs(AudioBlock{m.inputPtrs.data(), static_cast<int>(m.inputPtrs.size()),
                                             m.outputPtrs.data(), m.numOutputs, frames, position_},
                                  n.accumulateFrom, n.accumulateTo, n.accumulateChannel, scale);
  }
}

// Audio leaves the graph only through here, so nothing downstream of the engine (speakers, files,
// captures) ever sees a NaN or an infinity; the count says that it happened.
void Engine::copyOut(float* dst, const float* src, int offset, int frames, NonFinite& count) {
  const int replaced = copyFinite(dst + offset, src, frames);
  if (replaced == 0) return;
  const int64_t frame = framesSinceClear_ + offset + firstNonFinite(src, frames);
  if (count.firstFrame < 0 || frame < count.firstFrame) count.firstFrame = frame;
  count.samples += replaced;
}

double Engine::nonFiniteSamples(int node) const {
  if (node == -1) return static_cast<double>(outputNonFinite_.samples);
  return validNode(node) ? static_cast<double>(nodes_[node].captureNonFinite.samples) : 0.0;
}

double Engine::nonFiniteFirstFrame(int node) const {
  if (node == -1) return static_cast<double>(outputNonFinite_.firstFrame);
  return validNode(node) ? static_cast<double>(nodes_[node].captureNonFinite.firstFrame) : -1.0;
}

void Engine::clearNonFinite() {
  outputNonFinite_ = NonFinite{};
  for (Node& n : nodes_) n.captureNonFinite = NonFinite{};
  framesSinceClear_ = 0;
}

int Engine::render(int frames) { return renderFrames(frames, false); }

int Engine::renderHeld(int frames) {
  if (!prepared_ || frames <= 0) return 0;
  for (int index : order_) {
    Node& n = nodes_[index];
    if (!n.timeline.empty()) n.timeline.hold(position_, &Engine::applyParam, &n);
  }
  return renderFrames(frames, true);
}

int Engine::renderFrames(int frames, bool held) {
  if (!prepared_ || frames <= 0) return 0;
  if (fusionStale_) planFusion();
  frames = std::min(frames, kMaxRenderFrames);
  for (int done = 0; done < frames;) {
    int n = std::min(blockSize_, frames - done);
    // A cycle closed by a delay of D frames can only be rendered D frames at a time.
    for (int index : feedbackNodes_) n = std::min(n, std::max(1, nodes_[index].processor->feedbackLatency()));
    renderPiece(done, n, held);
    done += n;
  }
  framesSinceClear_ += frames;
  return frames;
}

}  // namespace wd
