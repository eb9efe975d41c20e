// The ceiling for any AudioWorklet engine: a processor that does nothing but keep itself alive.
registerProcessor(
  "empty-processor",
  class extends AudioWorkletProcessor {
    process() {
      return true;
    }
  },
);
