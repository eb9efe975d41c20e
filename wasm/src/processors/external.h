// External: a node whose DSP lives outside engine.wasm, in JavaScript or another WebAssembly
// instance (a Faust module, a WAM), on the same thread. The engine calls out to the host through
// imported functions once per (sub-)block, so externals get sample-accurate parameters and MIDI and
// every graph feature (automation, capture, fan-in and fan-out) like any built-in processor.
//
// The host side is src/engine/external-nodes.ts; `hostId` names the JavaScript object there.
#pragma once

#include "../dsp/finite.h"
#include "../processor.h"

// Imports from the "webdreamer" module, provided by the TypeScript loader.
extern "C" {
__attribute__((import_module("webdreamer"), import_name("external_prepare"))) void wd_external_prepare(
    int hostId, double sampleRate, int maxBlock, int numInputs);
__attribute__((import_module("webdreamer"), import_name("external_reset"))) void wd_external_reset(int hostId);
__attribute__((import_module("webdreamer"), import_name("external_param"))) void wd_external_param(int hostId,
                                                                                                  int index,
                                                                                                  float value);
__attribute__((import_module("webdreamer"), import_name("external_midi"))) void wd_external_midi(int hostId,
                                                                                                int status,
                                                                                                int data1,
                                                                                                int data2);
// inputs/outputs: addresses of arrays of channel pointers, `frames` floats each.
__attribute__((import_module("webdreamer"), import_name("external_process"))) void wd_external_process(
    int hostId, const float* const* inputs, int numInputs, float* const* outputs, int numOutputs, int frames);
}

namespace wd {

class External final : public Processor {
 public:
  External(int hostId, int numOutputs) : hostId_(hostId), numOutputs_(numOutputs) {}

  void prepare(double sampleRate, int maxBlock, int numInputs) override {
    wd_external_prepare(hostId_, sampleRate, maxBlock, numInputs);
  }
  // The DSP's own memory is outside engine.wasm; the host reports its size (ExternalNodeSpec).
  PreparePlan planPrepare(double, int, int) const override { return {numOutputs_, 0}; }
  int numOutputs() const override { return numOutputs_; }
  void reset() override { wd_external_reset(hostId_); }
  // An external's state is out of the engine's sight; its output is not. A block holding a NaN or
  // an infinity (a division by zero, a recursion fed one) resets the external, so that a value
  // caught in its state cannot silence it for good. The engine still counts and replaces what
  // reaches the output.
  void process(const AudioBlock& b) override {
    wd_external_process(hostId_, b.inputs, b.numInputs, b.outputs, b.numOutputs, b.frames);
    for (int c = 0; c < b.numOutputs; ++c) {
      if (anyNonFinite(b.outputs[c], b.frames)) {
        wd_external_reset(hostId_);
        return;
      }
    }
  }
  void setParam(int index, float value) override { wd_external_param(hostId_, index, value); }
  void midi(const MidiMessage& m) override { wd_external_midi(hostId_, m.status, m.data1, m.data2); }

 private:
  int hostId_;
  int numOutputs_;
};

}  // namespace wd
