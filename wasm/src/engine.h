// The graph engine: a graph of processors rendered block by block on a transport timeline.
//
// Threading contract: graph edits (clear, addNode, addInput, setCapture, setBuffer, timeline
// additions, prepare) and buffer management run on the control thread, never while render() runs;
// render(), seek() and reset() run on the audio thread and never allocate. All memory is taken in
// prepare() and by the control calls.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "node_timeline.h"
#include "processor_registry.h"
#include "tempo_timeline.h"

namespace wd {

// Stable error codes shared with TypeScript (ENGINE_ERROR_CODES in src/engine/wasm-engine.ts).
enum ErrorCode : int {
  kOk = 0,
  kErrUnknownKind = 1,
  kErrUnknownNode = 2,
  kErrUnknownParam = 3,
  kErrCycle = 4,
  kErrTooManyChannels = 5,
  kErrNotPrepared = 6,
  kErrBadArgument = 7,
  kErrUnknownBuffer = 8,
};

constexpr int kMaxBlockSize = 4096;
constexpr int kMaxRenderFrames = 4096;
constexpr int kMaxChannels = 256;

class Engine {
 public:
  Engine(double sampleRate, int blockSize);

  // ---- control thread: graph ----
  void clear();
  int addNode(int typeIndex);                // node index, or -1
  // A node whose DSP is hosted outside the engine (processors/external.h), with its own parameter
  // table; set each parameter's range with setExternalParamRange before use.
  int addExternalNode(int hostId, int numOutputs, int numParams);
  ErrorCode setExternalParamRange(int node, int param, float min, float max, float defaultValue, bool discrete);
  ErrorCode addInput(int node, int source);  // appends `source` to `node`'s ordered inputs
  ErrorCode setCapture(int node, bool on);   // keep this node's output for capture (stems)
  // Record the value each of this node's parameters takes on every frame rendered (DawDreamer's
  // record_automation): after render(frames), parameterRecord(node, p)[0..frames) holds them.
  ErrorCode setRecordParams(int node, bool on);
  ErrorCode setBaseParam(int node, int param, float value);  // value before any automation
  ErrorCode prepare(int outputNode);         // orders the graph and takes all memory
  const std::string& lastError() const { return lastError_; }

  // ---- control thread: memory ----
  // The heap bytes prepare(outputNode) would take, without taking them: what each node's processor
  // would take (Processor::planPrepare), the engine's own buffers for the node (its output block, its
  // capture, its channel tables) and the output staging. Timelines are counted apart
  // (NodeTimeline::memoryEstimate), and so are the records addNode() made. Like prepare() it orders
  // the graph, so prepare before rendering again. For a graph prepare() rejects: minus the error code
  // (see lastError).
  double estimateMemory(int outputNode);
  // One node's part of the last estimateMemory(); 0 for a node the output does not depend on.
  double nodeMemoryEstimate(int node) const;

  // ---- control thread: timelines (frames are transport frames) ----
  ErrorCode addStep(int node, int param, int64_t frame, float value);
  ErrorCode addRamp(int node, int param, int64_t start, int64_t end, float v0, float v1, int curve);
  ErrorCode addArray(int node, int param, int64_t start, const float* values, int count);
  ErrorCode addMidi(int node, int64_t frame, int status, int data1, int data2);
  ErrorCode clearTimeline(int node);
  // A live lane replacement (control, between rendered pieces): laneBegin removes every timeline
  // entry of one parameter; add its new entries; laneEnd sets its value before automation to
  // `base` and positions the node's timeline at the current frame, re-applying that parameter
  // alone. Other parameters, MIDI and the processor's state are untouched.
  ErrorCode laneBegin(int node, int param);
  ErrorCode laneEnd(int node, int param, float base);
  // Room for this many more entries, taken at once (see NodeTimeline::reserve).
  ErrorCode reserveTimeline(int node, int steps, int segments, int midi, double values);

  // ---- control thread: sample buffers shared by nodes ----
  int createBuffer(int channels, int frames, double sampleRate);  // buffer id, or -1
  float* bufferChannel(int id, int channel);
  ErrorCode releaseBuffer(int id);
  int bufferChannels(int id) const;  // -1 for an unknown id
  int bufferFrames(int id) const;    // -1 for an unknown id
  ErrorCode setNodeBuffer(int node, int slot, int bufferId);  // bufferId -1 detaches

  // ---- audio thread ----
  void reset();              // clears processor state and seeks to frame 0
  void seek(int64_t frame);  // moves the transport; processor state is kept
  ErrorCode sendMidi(int node, int status, int data1, int data2);  // delivered before the next render
  // Renders `frames` (1..kMaxRenderFrames) into the output staging buffers (and the capture buffers
  // of captured nodes). Returns frames rendered, or 0 when the graph is not prepared.
  int render(int frames);
  // As render(), with the timeline held at the current position: monitoring while the transport is
  // stopped. Every processor runs (live MIDI sounds, tails ring out) except those that follow the
  // timeline (a clip's playback), which output silence; no timeline MIDI fires, every automated
  // parameter holds its value at the position (NodeTimeline::hold), and the position does not move.
  int renderHeld(int frames);
  // Note-offs, now, for every note the nodes' timelines turned on and did not turn off: a transport
  // stopping while the engine renders on must not leave the timeline's notes sounding.
  void releaseTimelineNotes();

  int outputChannels() const { return outputChannels_; }
  float* outputChannel(int ch) { return output_.data() + static_cast<size_t>(ch) * kMaxRenderFrames; }
  float* captureChannel(int node, int ch);
  // The values parameter `param` of a node with setRecordParams took on the frames of the last
  // render(), kMaxRenderFrames long; nullptr when the node does not record.
  float* parameterRecord(int node, int param);
  // The value a node's parameter has now: the one the processor was last given (its base value,
  // a live set, or the timeline's value on the last frame rendered). NaN for an unknown node or
  // parameter. Reads a float: no allocation, callable between renders on the audio thread.
  float paramValue(int node, int param) const;
  int64_t positionFrames() const { return position_; }

  // The tempo processors follow (tempo_timeline.h): a graph's map, set on the control thread before
  // it renders, changed live on the audio thread by the real-time transport's set_tempo.
  TempoTimeline& tempo() { return tempo_; }
  double sampleRate() const { return sampleRate_; }
  // Nodes that render into a scratch block or are folded into their mixer (planFusion; a timeline
  // edited since the last render is planned for at the next).
  int fusedNodes() const { return fusedNodes_; }
  // Of those, the sources that add themselves into their mixer's bus (planAdding).
  int addingNodes() const { return addingNodes_; }
  int nodeOutputChannels(int node) const;

  // Non-finite samples (NaN, ±Inf) replaced by 0 on their way into the output staging buffers
  // (node -1) or a captured node's capture buffers, since the last clearNonFinite(), and the first
  // frame that held one, counted in frames rendered since then (-1: none). Neither seek() nor
  // reset() clears them: a host reads and clears them when it needs a fresh count.
  double nonFiniteSamples(int node) const;
  double nonFiniteFirstFrame(int node) const;
  void clearNonFinite();

 private:
  // Non-finite samples replaced in one place where audio leaves the graph (see nonFiniteSamples).
  struct NonFinite {
    int64_t samples = 0;
    int64_t firstFrame = -1;
  };
  struct Node {
    const ProcessorType* type = nullptr;
    // The parameter table: the type's, or an external node's own (externalParams).
    const ParamSpec* params = nullptr;
    int numParams = 0;
    std::vector<ParamSpec> externalParams;
    std::unique_ptr<Processor> processor;
    std::vector<int> inputs;
    std::vector<float> baseParams;  // values before automation; seek() restores them
    std::vector<float> paramValues;  // the values the processor holds now (as applyParam set them)
    NodeTimeline timeline;
    std::vector<int> bufferBindings;  // slot -> buffer id (-1 none)
    bool capture = false;
    bool feedback = false;  // closes a cycle: rendered in two halves (see Processor)
    bool reachable = false;
    bool followsTimeline = false;  // Processor::followsTimeline(), read at prepare
    int numOutputs = 0;
    uint64_t memoryEstimate = 0;       // its part of the last estimateMemory()
    std::vector<float> buffer;         // numOutputs * blockSize, planar
    std::vector<float> captureBuffer;  // numOutputs * kMaxRenderFrames, when captured
    NonFinite captureNonFinite;        // replaced on the way into captureBuffer
    bool recordParams = false;
    std::vector<float> paramRecord;  // numParams * kMaxRenderFrames, when recordParams
    std::vector<const float*> inputPtrs;
    std::vector<float*> outputPtrs;
    std::vector<const float*> subInputPtrs;  // scratch for sub-block offsets
    std::vector<float*> subOutputPtrs;
    // Fusion (planFusion): where the node writes and what follows its turn.
    int position = 0;   // in order_
    int consumers = 0;  // reads of its output by nodes in order_ (and the engine's output)
    int scratch = -1;   // the scratch block it writes (kScratch*), or -1: its own buffer
    // A mixer adds inputs [accumulateFrom, accumulateTo) right after this node renders (its last
    // one is this node), their channels from accumulateChannel; -1: none.
    int accumulateInto = -1;
    int accumulateFrom = 0;
    int accumulateTo = 0;
    int accumulateChannel = 0;
    // A gain (Processor::inputScale) added by its mixer: not called; the mixer reads its input.
    bool folded = false;
    // A mixer whose inputs are added as they render: at its own turn it adds the rest, from this input.
    bool accumulating = false;
    int restFrom = 0;
    int restChannel = 0;
  };
  // One node's turn in the render order, with what its render reads in one place (planFusion): the
  // common turns (a node without automation, capture or records; a folded gain; a mixer adding its
  // last inputs) run from these alone, without reading the node's record.
  struct Step {
    // kNode: renderTurn does it all. kAdd: a source that adds itself into its mixer's bus
    // (Processor::processAdding): the mixer's input intoFrom, with the factors below.
    enum How : uint8_t { kProcess, kFolded, kRest, kNode, kAdd };
    How how = kNode;
    int node = 0;
    Processor* processor = nullptr;
    const float* const* inputs = nullptr;
    int numInputs = 0;
    float* const* outputs = nullptr;
    int numOutputs = 0;
    int from = 0, to = 0, channel = 0;  // kRest: the inputs the mixer adds at its turn
    // After the turn, a mixer adds inputs [intoFrom, intoTo) (see Node::accumulateInto); null: none.
    Processor* into = nullptr;
    const float* const* intoInputs = nullptr;
    int intoNumInputs = 0;
    float* const* intoOutputs = nullptr;
    int intoNumOutputs = 0;
    int intoFrom = 0, intoTo = 0, intoChannel = 0;
    // kAdd: the factors' addresses (read at every render: live parameter changes reach them).
    const float* scale = nullptr;  // a folded gain's (Processor::inputScale), or null: 1
    const float* inputFactor = nullptr;  // the mixer's (Processor::inputGainFactors)
    const float* masterFactor = nullptr;
  };
  struct Buffer {
    std::vector<float> data;
    std::vector<const float*> channels;
    SampleBuffer view;
  };

  ErrorCode fail(ErrorCode code, std::string message);
  bool validNode(int node) const { return node >= 0 && node < static_cast<int>(nodes_.size()); }
  ErrorCode findOrder();
  // Decides, without allocating, which nodes render into the scratch blocks instead of their own
  // buffers: a mono source read once, by a mixer (added at once: Processor::accumulateInputs) or by
  // the next node in the order (read at once). The graph's working set then stays in the cache:
  // W1's 256 sines use three 128-frame blocks where they used 512. Samples are unchanged: every node
  // computes the same operations in the same order, only where they are kept differs.
  void planFusion();
  // The last part of planFusion: a source added alone into a mono mixer right after it renders
  // (directly, or through a folded gain rendered right after it) adds itself into the mixer's bus
  // when its processor can (Processor::processAdding): one call and no block between them.
  void planAdding();
  // Renders a node's turn; for a fused source, its mixer then adds it.
  void renderTurn(Node& n, int offset, int frames, bool held);
  template <typename Visit>
  ErrorCode flowChannels(std::vector<int>& outputs, Visit visit);
  static void applyParam(void* node, int param, float value);
  // `offset`: where in the staging buffers this piece starts (for recorded parameters).
  void renderNode(Node& n, int64_t start, int frames, int offset);
  // Writes the node's current parameter values into its record for `frames` frames from `offset`.
  static void recordParams(Node& n, int offset, int frames);
  // `held`: the timeline held (renderHeld), else played (render).
  void renderPiece(int offset, int frames, bool held);
  int renderFrames(int frames, bool held);
  // Copies a piece into a staging buffer with copyFinite, counting what it replaced in `count`.
  void copyOut(float* dst, const float* src, int offset, int frames, NonFinite& count);

  double sampleRate_;
  int blockSize_;
  std::vector<Node> nodes_;
  std::vector<int> order_;          // render order of every node the output depends on
  std::vector<int> feedbackNodes_;  // nodes in order_ that close a cycle
  std::vector<Step> plan_;          // order_'s turns (planFusion), the first planSteps_ rendered
  int planSteps_ = 0;
  std::vector<std::unique_ptr<Buffer>> buffers_;
  int outputNode_ = -1;
  int outputChannels_ = 0;
  bool prepared_ = false;
  int64_t position_ = 0;
  TempoTimeline tempo_;
  std::vector<float> output_;  // outputChannels_ * kMaxRenderFrames, planar
  // Three blocks of blockSize_ frames (planFusion): kScratchAccumulate for a source a mixer adds
  // right after it renders, the two others alternating along a chain of sources each read by the next.
  static constexpr int kScratchAccumulate = 0;
  static constexpr int kScratchBlocks = 3;
  std::vector<float> scratch_;
  size_t scratchFloats() const { return static_cast<size_t>(kScratchBlocks) * blockSize_; }
  // Each block starts on a 64-byte cache line when blockSize_ is a multiple of 16 (as 128 is), so
  // no 16-byte load or store of the SIMD loops straddles two lines.
  static constexpr size_t kScratchAlignFloats = 16;
  float* scratchBlock(int block) {
    const uintptr_t start = (reinterpret_cast<uintptr_t>(scratch_.data()) + 63) & ~static_cast<uintptr_t>(63);
    return reinterpret_cast<float*>(start) + static_cast<size_t>(block) * blockSize_;
  }
  bool fusionStale_ = false;  // a timeline changed since planFusion: plan again before rendering
  int fusedNodes_ = 0;
  int addingNodes_ = 0;
  NonFinite outputNonFinite_;
  int64_t framesSinceClear_ = 0;  // frames rendered since clearNonFinite(): the frame counter above
  std::string lastError_;
};

}  // namespace wd
