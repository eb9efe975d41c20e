// Where a renderer's samples go. The renderers (renderSineInto, renderWavetableInto, the filter's
// loop) compute a sample, or four, or two, and hand it to a sink: StoreSink writes it into a block,
// AddSink adds it into a mixer's bus the way the mixer would have added that block
// (Processor::processAdding). One loop body serves both, so the samples cannot drift apart.
//
// A loop takes its sink by value and works on a local copy: the SIMD stores (wasm_v128_store is
// declared may_alias) could change a sink the compiler sees in memory, so it would reload the
// sink's pointer and factors after every store; a local whose address never escapes stays in
// registers.
#pragma once

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace wd {

// out[i] = x.
struct StoreSink {
  float* out;

  void put(int i, float x) const { out[i] = x; }
#ifdef __wasm_simd128__
  void put4(int i, v128_t x) const { wasm_v128_store(out + i, x); }
  // The two low lanes of x into out[i], out[i + 1].
  void put2(int i, v128_t x) const { wasm_v128_store64_lane(out + i, x, 0); }
#endif
};

// bus[i] = bus[i] + gain * (x * scale): what the mixer's accumulateInputs adds for a mono input x
// (Mixer::accumulateInputs: gain * x, or gain * (x * scale) for a folded gain's input, the products
// by 1 left out: x * 1 is x). kGained false leaves out the product by a gain of 1 here too.
template <bool kGained>
struct AddSink {
  AddSink(float* bus, float gain, float scale) : bus(bus), gain(gain), scale(scale) {
#ifdef __wasm_simd128__
    gain4 = wasm_f32x4_splat(gain);
    scale4 = wasm_f32x4_splat(scale);
#endif
  }

  float term(float x) const { return kGained ? gain * (x * scale) : x * scale; }
  void put(int i, float x) const { bus[i] = bus[i] + term(x); }
#ifdef __wasm_simd128__
  v128_t term4(v128_t x) const {
    const v128_t scaled = wasm_f32x4_mul(x, scale4);
    return kGained ? wasm_f32x4_mul(gain4, scaled) : scaled;
  }
  void put4(int i, v128_t x) const { wasm_v128_store(bus + i, wasm_f32x4_add(wasm_v128_load(bus + i), term4(x))); }
  void put2(int i, v128_t x) const {
    wasm_v128_store64_lane(bus + i, wasm_f32x4_add(wasm_v128_load64_zero(bus + i), term4(x)), 0);
  }
  v128_t gain4, scale4;
#endif
  float* bus;
  float gain;
  float scale;
};

// Calls render(sink) with the AddSink for bus += gain * (x * scale), the gain's product left out
// when it is 1.
template <typename Render>
inline void withAddSink(float* bus, float gain, float scale, Render render) {
  if (gain == 1.0f) {
    render(AddSink<false>(bus, gain, scale));
  } else {
    render(AddSink<true>(bus, gain, scale));
  }
}

}  // namespace wd
