// The engine's C ABI: the only symbols the TypeScript loader calls (src/engine/wasm-engine.ts, and
// src/engine/processor-types.ts for the processor type table).
// Every function states its threading contract: "control" functions run when no render is in
// progress and may allocate; "audio" functions may run on the audio thread and never allocate.
// Frame positions are doubles: JavaScript numbers hold whole frames exactly up to 2^53.
#include <malloc.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "engine.h"

using wd::Engine;

namespace wd {
// allocation_counter.cpp
uint32_t allocationCount();
size_t allocationFailureBytes();
[[noreturn]] void allocationFailed(size_t bytes);
}  // namespace wd

namespace {
int64_t toFrame(double frame) { return static_cast<int64_t>(frame); }
}  // namespace

extern "C" {

// control: a new engine. blockSize is the internal processing block (1..4096).
Engine* wd_engine_create(double sampleRate, int blockSize) { return new Engine(sampleRate, blockSize); }

// control
void wd_engine_destroy(Engine* e) { delete e; }

// control: removes every node (buffers stay).
void wd_graph_clear(Engine* e) { e->clear(); }

// control: adds a node of processor type `typeIndex`; returns its index or -1.
int wd_node_add(Engine* e, int typeIndex) { return e->addNode(typeIndex); }

// control: adds a node hosted outside the engine (a Faust module, a WAM) whose calls go to the
// JavaScript object registered as `hostId`; returns its index or -1.
int wd_node_add_external(Engine* e, int hostId, int numOutputs, int numParams) {
  return e->addExternalNode(hostId, numOutputs, numParams);
}

// control: the range, default and rounding of an external node's parameter (for clamping).
int wd_external_param_range(Engine* e, int node, int param, float min, float max, float def, int discrete) {
  return e->setExternalParamRange(node, param, min, max, def, discrete != 0);
}

// control: appends `source` to the ordered inputs of `node`.
int wd_node_add_input(Engine* e, int node, int source) { return e->addInput(node, source); }

// control: keep (1) or stop keeping (0) a node's output for capture during render.
int wd_node_set_capture(Engine* e, int node, int on) { return e->setCapture(node, on != 0); }

// control: record the values the node's parameters take on each rendered frame (record_automation).
int wd_node_set_record_params(Engine* e, int node, int on) { return e->setRecordParams(node, on != 0); }

// control: a parameter's value before automation (clamped to its range).
int wd_node_set_param(Engine* e, int node, int param, float value) { return e->setBaseParam(node, param, value); }

// control: orders the graph, takes all memory; 0 or an error code (see wd_last_error).
int wd_graph_prepare(Engine* e, int outputNode) { return e->prepare(outputNode); }

// control: the heap bytes wd_graph_prepare(e, outputNode) would take, without taking any (see
// Engine::estimateMemory); minus an error code on error (see wd_last_error). Prepare again before
// rendering.
double wd_graph_estimate(Engine* e, int outputNode) { return e->estimateMemory(outputNode); }

// control: one node's part of the last wd_graph_estimate.
double wd_node_memory_estimate(Engine* e, int node) { return e->nodeMemoryEstimate(node); }

// any thread: the heap bytes a node's timeline holds when its entries were reserved with
// wd_timeline_reserve (NodeTimeline::memoryEstimate).
double wd_timeline_estimate(int steps, int segments, int midi, double values) {
  if (steps < 0 || segments < 0 || midi < 0 || !(values >= 0)) return -1;
  return static_cast<double>(wd::NodeTimeline::memoryEstimate(static_cast<uint64_t>(steps),
                                                              static_cast<uint64_t>(segments),
                                                              static_cast<uint64_t>(midi),
                                                              static_cast<uint64_t>(values)));
}

// control: room for this many more timeline entries of a node, taken at once; values = array values.
int wd_timeline_reserve(Engine* e, int node, int steps, int segments, int midi, double values) {
  return e->reserveTimeline(node, steps, segments, midi, values);
}

// control (reads the allocator's state; never while a control call runs): this instance's memory,
// in bytes. maximum: what the memory may grow to (wasm/build.sh); in use: heap bytes allocated, with
// the allocator's headers; available: what is left to allocate, the free bytes inside the heap and
// the room it can still grow by. Free bytes may be scattered, so one allocation of `available` bytes
// can still fail.
double wd_memory_maximum() { return WD_MEMORY_MAXIMUM; }
double wd_memory_in_use() { return static_cast<double>(mallinfo().uordblks); }
double wd_memory_available() {
  const double top = static_cast<double>(reinterpret_cast<uintptr_t>(sbrk(0)));
  return WD_MEMORY_MAXIMUM - top + static_cast<double>(mallinfo().fordblks);
}

// any thread, also after a trap: the size of the allocation that failed (0: none has). A failed
// allocation traps (allocation_counter.cpp); the instance must then be discarded.
double wd_allocation_failure_bytes() { return static_cast<double>(wd::allocationFailureBytes()); }

// control: the message of the last failed control call (NUL-terminated ASCII).
const char* wd_last_error(Engine* e) { return e->lastError().c_str(); }

// control: timeline entries of a node, on transport frames.
int wd_param_step(Engine* e, int node, int param, double frame, float value) {
  return e->addStep(node, param, toFrame(frame), value);
}
int wd_param_ramp(Engine* e, int node, int param, double start, double end, float v0, float v1, int curve) {
  return e->addRamp(node, param, toFrame(start), toFrame(end), v0, v1, curve);
}
int wd_param_array(Engine* e, int node, int param, double start, const float* values, int count) {
  return e->addArray(node, param, toFrame(start), values, count);
}
int wd_midi_event(Engine* e, int node, double frame, int status, int data1, int data2) {
  return e->addMidi(node, toFrame(frame), status, data1, data2);
}
int wd_timeline_clear(Engine* e, int node) { return e->clearTimeline(node); }

// control: a live replacement of one parameter's automation lane: wd_lane_begin removes its entries,
// wd_param_* add the new ones, wd_lane_end sets its base value and resumes the node's timeline at
// the current frame without touching other parameters or the processor's state.
int wd_lane_begin(Engine* e, int node, int param) { return e->laneBegin(node, param); }
int wd_lane_end(Engine* e, int node, int param, float base) { return e->laneEnd(node, param, base); }

// control: the tempo map processors follow (warp markers in beats): begin with the number of
// points, then each point in time order: where it starts (seconds, beat), its bpm and its change in
// bpm per beat until the next point (0: constant). Returns 0, or -1 for a point out of order or bad.
void wd_tempo_begin(Engine* e, int points) { e->tempo().begin(points); }
int wd_tempo_point(Engine* e, double seconds, double beat, double bpm, double bpmPerBeat) {
  return e->tempo().addPoint(seconds, beat, bpm, bpmPerBeat) ? 0 : -1;
}
// control: heap bytes wd_tempo_begin(points) reserves (for the graph's memory estimate).
double wd_tempo_estimate(int points) { return static_cast<double>(wd::TempoTimeline::bytesFor(points)); }
// audio: a live tempo change at transport frame `frame`: ramps linearly in time from the current
// bpm to `bpm` over `rampFrames` (0: at once). Never allocates.
void wd_tempo_change(Engine* e, double frame, double bpm, double rampFrames) {
  const double rate = e->sampleRate();
  e->tempo().change(frame / rate, bpm, rampFrames / rate);
}
// audio: the beat the engine's tempo puts at transport frame `frame` (tests compare it with the contract's).
double wd_tempo_beat_at(Engine* e, double frame) { return e->tempo().beatAt(frame / e->sampleRate()); }

// control: sample buffers. Create, then fill each channel through wd_buffer_channel.
int wd_buffer_create(Engine* e, int channels, int frames, double sampleRate) {
  return e->createBuffer(channels, frames, sampleRate);
}
float* wd_buffer_channel(Engine* e, int id, int channel) { return e->bufferChannel(id, channel); }
// control: a buffer's channel count, or -1 for an unknown id.
int wd_buffer_channels(Engine* e, int id) { return e->bufferChannels(id); }
int wd_buffer_frames(Engine* e, int id) { return e->bufferFrames(id); }
int wd_buffer_release(Engine* e, int id) { return e->releaseBuffer(id); }
int wd_node_set_buffer(Engine* e, int node, int slot, int id) { return e->setNodeBuffer(node, slot, id); }

// audio: clears all processor state and rewinds to frame 0.
void wd_engine_reset(Engine* e) { e->reset(); }

// audio: moves the transport to `frame`, keeping processor state.
void wd_engine_seek(Engine* e, double frame) { e->seek(toFrame(frame)); }

// audio: a MIDI message for `node`, delivered now (at the first frame of the next render).
int wd_node_midi_now(Engine* e, int node, int status, int data1, int data2) {
  return e->sendMidi(node, status, data1, data2);
}

// audio: executes an `unreachable` instruction. Only for tests of how hosts survive an engine trap.
void wd_trap_for_testing() { __builtin_trap(); }

// audio: renders `frames` frames into the output staging buffers; returns frames rendered.
int wd_render(Engine* e, int frames) { return e->render(frames); }

// audio: as wd_render with the timeline held at the current position (monitoring while the
// transport is stopped): processors run, clip playback is silent, timeline MIDI and automation stand
// still, the position does not move (Engine::renderHeld).
int wd_render_held(Engine* e, int frames) { return e->renderHeld(frames); }

// any thread: how many nodes of the graph last planned render into the engine's scratch blocks or
// are folded into their mixer (Engine::planFusion); tests and the bench tell a fused graph by it.
int wd_fused_nodes(Engine* e) { return e->fusedNodes(); }

// any thread: of those, the sources that add themselves into their mixer's bus (Engine::planAdding).
int wd_adding_nodes(Engine* e) { return e->addingNodes(); }

// audio: note-offs now for every note the timelines turned on and did not turn off.
void wd_release_timeline_notes(Engine* e) { e->releaseTimelineNotes(); }

// audio: output channel count and the staging buffer of one channel (kMaxRenderFrames floats).
int wd_output_channels(Engine* e) { return e->outputChannels(); }
float* wd_output_channel(Engine* e, int ch) { return e->outputChannel(ch); }
float* wd_capture_channel(Engine* e, int node, int ch) { return e->captureChannel(node, ch); }
// audio: a recording node's parameter values over the last render's frames (nullptr when not recording).
float* wd_parameter_record(Engine* e, int node, int param) { return e->parameterRecord(node, param); }
// audio or control: a node's parameter's value now (Engine::paramValue); NaN when unknown.
float wd_node_param_value(Engine* e, int node, int param) { return e->paramValue(node, param); }
double wd_position_frames(Engine* e) { return static_cast<double>(e->positionFrames()); }

// audio: NaN and ±Inf samples replaced by 0 on their way out of the graph since wd_non_finite_clear,
// at the output (node -1) or into a captured node's capture buffers; and the first frame that held
// one, counted in frames rendered since the clear (-1: none).
double wd_non_finite_samples(Engine* e, int node) { return e->nonFiniteSamples(node); }
double wd_non_finite_first_frame(Engine* e, int node) { return e->nonFiniteFirstFrame(node); }
void wd_non_finite_clear(Engine* e) { e->clearNonFinite(); }
int wd_node_output_channels(Engine* e, int node) { return e->nodeOutputChannels(node); }

// any thread: the processor type table (wd::ProcessorType), for NodeDescriptors and graph checks.
// It is static data: strings live as long as the module, and nullptr strings read as "".
int wd_type_count() { return wd::processorTypeCount(); }
const char* wd_type_kind(int t) { return wd::processorType(t)->kind; }
const char* wd_type_name(int t) { return wd::processorType(t)->name; }
int wd_type_max_inputs(int t) { return wd::processorType(t)->maxInputs; }
int wd_type_param_count(int t) { return wd::processorType(t)->numParams; }
const wd::ParamSpec* wd_type_param(int t, int p) { return &wd::processorType(t)->params[p]; }
// any thread: 1 when the type plays MIDI notes.
int wd_type_instrument(int t) { return wd::processorType(t)->instrument ? 1 : 0; }
// any thread: the type's buffer slots ("data,sample|..."; see ProcessorType::bufferSlots), or nullptr.
const char* wd_type_buffer_slots(int t) { return wd::processorType(t)->bufferSlots; }
// any thread: the type's named presets ("Name:id=value,...|..."; see ProcessorType::presets), or nullptr.
const char* wd_type_presets(int t) { return wd::processorType(t)->presets; }
// any thread: 1 for a type the engine uses for itself (ProcessorType::internal), never in a graph.
int wd_type_internal(int t) { return wd::processorType(t)->internal ? 1 : 0; }

// control: scratch memory for passing arrays in; traps when it cannot be had, like `new`.
void* wd_alloc(int bytes) {
  void* p = std::malloc(static_cast<size_t>(bytes));
  if (p == nullptr && bytes > 0) wd::allocationFailed(static_cast<size_t>(bytes));
  return p;
}
void wd_free(void* p) { std::free(p); }

int wd_max_render_frames() { return wd::kMaxRenderFrames; }

// any thread: C++ heap allocations since the module started (tests: the audio path makes none).
uint32_t wd_allocation_count() { return wd::allocationCount(); }
}

// The TypeScript loader reads ParamSpec records directly; keep this layout in step with
// PARAM_SPEC_LAYOUT in src/engine/processor-types.ts.
static_assert(sizeof(void*) == 4, "wasm32 layout expected");
static_assert(offsetof(wd::ParamSpec, id) == 0, "ParamSpec.id offset");
static_assert(offsetof(wd::ParamSpec, name) == 4, "ParamSpec.name offset");
static_assert(offsetof(wd::ParamSpec, units) == 8, "ParamSpec.units offset");
static_assert(offsetof(wd::ParamSpec, min) == 12, "ParamSpec.min offset");
static_assert(offsetof(wd::ParamSpec, max) == 16, "ParamSpec.max offset");
static_assert(offsetof(wd::ParamSpec, defaultValue) == 20, "ParamSpec.defaultValue offset");
static_assert(offsetof(wd::ParamSpec, discrete) == 24, "ParamSpec.discrete offset");
static_assert(offsetof(wd::ParamSpec, choices) == 28, "ParamSpec.choices offset");
static_assert(offsetof(wd::ParamSpec, choiceAliases) == 32, "ParamSpec.choiceAliases offset");
static_assert(sizeof(wd::ParamSpec) == 36, "ParamSpec size");
