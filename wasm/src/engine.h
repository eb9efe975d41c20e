// The graph engine: a DAG of processors rendered block by block.
//
// Threading contract: graph edits (clear, addNode, addInput, prepare) run on the control thread and
// never while render() runs; render(), setParam() and reset() run on the audio thread and never
// allocate. All memory is taken in prepare().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "processor_registry.h"

namespace wd {

// Stable error codes shared with TypeScript (src/engine/engine-errors.ts mirrors them).
enum ErrorCode : int {
  kOk = 0,
  kErrUnknownKind = 1,
  kErrUnknownNode = 2,
  kErrUnknownParam = 3,
  kErrCycle = 4,
  kErrTooManyChannels = 5,
  kErrNotPrepared = 6,
  kErrBadArgument = 7,
};

constexpr int kMaxBlockSize = 4096;
constexpr int kMaxRenderFrames = 4096;
constexpr int kMaxChannels = 64;

class Engine {
 public:
  Engine(double sampleRate, int blockSize);

  // Control thread.
  void clear();
  int addNode(int typeIndex);                 // node index, or -1
  ErrorCode addInput(int node, int source);   // appends `source` to `node`'s ordered inputs
  ErrorCode prepare(int outputNode);          // orders the graph and takes all memory
  const std::string& lastError() const { return lastError_; }

  // Audio thread.
  ErrorCode setParam(int node, int param, float value);
  void reset();
  // Renders `frames` (1..kMaxRenderFrames) into the output staging buffers, in internal blocks of
  // blockSize frames. Returns frames rendered, or 0 when the graph is not prepared.
  int render(int frames);

  int outputChannels() const { return outputChannels_; }
  float* outputChannel(int ch) { return output_.data() + static_cast<size_t>(ch) * kMaxRenderFrames; }
  int64_t positionFrames() const { return position_; }
  int nodeOutputChannels(int node) const;

 private:
  struct Node {
    const ProcessorType* type = nullptr;
    std::unique_ptr<Processor> processor;
    std::vector<int> inputs;
    std::vector<float> params;
    int numOutputs = 0;
    std::vector<float> buffer;              // numOutputs * blockSize, planar
    std::vector<const float*> inputPtrs;    // concatenated input channels, in input order
    std::vector<float*> outputPtrs;
    std::vector<float*> blockOutputPtrs;    // scratch for sub-block offsets
    std::vector<const float*> blockInputPtrs;
  };

  ErrorCode fail(ErrorCode code, std::string message);
  ErrorCode findOrder();
  void renderBlock(int offset, int frames);

  double sampleRate_;
  int blockSize_;
  std::vector<Node> nodes_;
  std::vector<int> order_;  // topological order of the nodes that feed the output
  int outputNode_ = -1;
  int outputChannels_ = 0;
  bool prepared_ = false;
  int64_t position_ = 0;
  std::vector<float> output_;  // kMaxChannels * kMaxRenderFrames, planar
  std::vector<float> silence_;
  std::string lastError_;
};

}  // namespace wd
