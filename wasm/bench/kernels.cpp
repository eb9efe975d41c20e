// Bench-only module (public/build/bench-kernels.wasm, never shipped): W1 and W2 of
// docs/benchmarks.md written by hand as fused SIMD loops, the fastest this machine's WebAssembly
// does the same arithmetic as the engine. bench/kernels.ts times webdreamer against it
// (docs/performance.md, rows W1.kernel and W2.kernel).
//
// "The same arithmetic": the sine is the engine's renderSine (dsp/fast_sin.h: the fixed-point phase,
// the folded degree-11 polynomial), the saw the engine's renderWavetable on the engine's own
// mip-mapped tables (dsp/wavetable.h), the lowpass the engine's look-ahead biquad in double precision
// two samples per f64x2 (processors/filter.cpp), the gain one float multiply. What is gone is the
// graph: no per-node buffers between oscillator, filter and gain, no per-node calls, no mixer pass;
// every voice is accumulated into one block-sized bus that stays in L1.
#include <wasm_simd128.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "../src/dsp/fast_sin.h"
#include "../src/dsp/wavetable.h"

namespace {

constexpr int kBlock = 128;
constexpr double kSampleRate = 48000.0;
constexpr int kSines = 256;
constexpr int kVoices = 32;
constexpr int kDelayFrames = 12000;  // W2's feedback delay, 0.25 s

// W1 state: one fixed-point phase and increment per sine.
uint32_t sinePhase[kSines];
uint32_t sineIncrement[kSines];

// W2 state: per voice the saw's phase and increment and the biquad's history; the feedback delay.
struct Voice {
  uint32_t phase, increment;
  double x1, x2, x3, x4, y1, y2, y3, y4;
};
Voice voices[kVoices];
double b0, b1, b2, a1, a2;
float delayLine[kDelayFrames];
int delayIndex;

// The oscillator's own increment arithmetic (Oscillator::updateIncrement) for a frequency in Hz.
uint32_t oscillatorIncrement(float frequency) {
  const int tableSize = wd::webAudioTableSize(kSampleRate);
  const float rateScale = static_cast<float>(tableSize) / static_cast<float>(kSampleRate);
  const float steps = frequency * rateScale;
  return wd::phaseFromCycles(static_cast<double>(steps) / tableSize);
}

// One voice's lowpass over a block, the engine's Filter::process for one channel with its SIMD pair
// loop, its output times `gain` added into `bus`.
void biquadGainAccumulate(Voice& s, const float* in, float gain, float* bus) {
  const double e2 = 2.0 * a2 - a1 * a1;
  const double e4 = a2 * a2;
  const double u1 = b0 * s.x1 + b1 * s.x2 + b2 * s.x3;
  const double u2 = b0 * s.x2 + b1 * s.x3 + b2 * s.x4;
  const v128_t vb0 = wasm_f64x2_splat(b0), vb1 = wasm_f64x2_splat(b1), vb2 = wasm_f64x2_splat(b2);
  const v128_t va1 = wasm_f64x2_splat(a1), va2 = wasm_f64x2_splat(a2);
  const v128_t ve2 = wasm_f64x2_splat(e2), ve4 = wasm_f64x2_splat(e4);
  const v128_t vgain = wasm_f32x4_splat(gain);
  v128_t xPrev = wasm_f64x2_make(s.x2, s.x1);
  v128_t uPrev = wasm_f64x2_make(u2, u1);
  v128_t yPrev = wasm_f64x2_make(s.y2, s.y1);
  v128_t yPrev2 = wasm_f64x2_make(s.y4, s.y3);
  for (int i = 0; i < kBlock; i += 2) {
    const v128_t x = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(in + i));
    const v128_t xm1 = wasm_i64x2_shuffle(xPrev, x, 1, 2);
    const v128_t u = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_mul(vb0, x), wasm_f64x2_mul(vb1, xm1)),
                                    wasm_f64x2_mul(vb2, xPrev));
    const v128_t um1 = wasm_i64x2_shuffle(uPrev, u, 1, 2);
    const v128_t v = wasm_f64x2_sub(
        wasm_f64x2_add(wasm_f64x2_sub(u, wasm_f64x2_mul(va1, um1)), wasm_f64x2_mul(va2, uPrev)),
        wasm_f64x2_mul(ve4, yPrev2));
    const v128_t y = wasm_f64x2_sub(v, wasm_f64x2_mul(ve2, yPrev));
    // The filter's float output, times the gain, into the bus.
    const v128_t yf = wasm_f32x4_mul(wasm_f32x4_demote_f64x2_zero(y), vgain);
    const v128_t acc = wasm_f32x4_add(wasm_v128_load64_zero(bus + i), yf);
    wasm_v128_store64_lane(bus + i, acc, 0);
    xPrev = x;
    uPrev = u;
    yPrev2 = yPrev;
    yPrev = y;
  }
  s.x2 = wasm_f64x2_extract_lane(xPrev, 0);
  s.x1 = wasm_f64x2_extract_lane(xPrev, 1);
  s.x3 = in[kBlock - 3];
  s.x4 = in[kBlock - 4];
  s.y4 = wasm_f64x2_extract_lane(yPrev2, 0);
  s.y3 = wasm_f64x2_extract_lane(yPrev2, 1);
  s.y2 = wasm_f64x2_extract_lane(yPrev, 0);
  s.y1 = wasm_f64x2_extract_lane(yPrev, 1);
}

}  // namespace

extern "C" {

// Builds the engine's wavetables (as the engine's constructor does) and resets both kernels.
__attribute__((export_name("kernels_init"))) void kernels_init() {
  wd::wavetables();
  for (int i = 0; i < kSines; ++i) {
    sinePhase[i] = 0;
    sineIncrement[i] = oscillatorIncrement(100.0f * (1.0f + 0.01f * static_cast<float>(i)));
  }
  // Filter::updateCoefficients, lowpass at 2000 Hz, Q 1.
  const double w0 = 2.0 * 3.14159265358979323846 * 2000.0 / kSampleRate;
  const double cw = std::cos(w0);
  const double alpha = std::sin(w0) / 2.0;
  const double a0 = 1.0 + alpha;
  b0 = (1.0 - cw) / 2.0 / a0;
  b1 = (1.0 - cw) / a0;
  b2 = (1.0 - cw) / 2.0 / a0;
  a1 = -2.0 * cw / a0;
  a2 = (1.0 - alpha) / a0;
  for (int v = 0; v < kVoices; ++v) {
    voices[v] = Voice{};
    voices[v].increment = oscillatorIncrement(static_cast<float>(55.0 * std::exp2(v / 12.0)));
  }
  std::memset(delayLine, 0, sizeof(delayLine));
  delayIndex = 0;
}

// W1: `blocks` blocks of the sum of 256 sines times 1/256 into out (mono, blocks * 128 floats).
__attribute__((export_name("kernels_w1"))) void kernels_w1(float* out, int blocks) {
  const float gain = 1.0f / 256.0f;
  float sine[kBlock];
  for (int b = 0; b < blocks; ++b) {
    float* bus = out + b * kBlock;
    std::memset(bus, 0, kBlock * sizeof(float));
    for (int k = 0; k < kSines; ++k) {
      wd::renderSine(sine, kBlock, sinePhase[k], sineIncrement[k], 1.0f);
      const v128_t g = wasm_f32x4_splat(gain);
      for (int i = 0; i < kBlock; i += 4) {
        const v128_t acc = wasm_f32x4_add(wasm_v128_load(bus + i), wasm_f32x4_mul(wasm_v128_load(sine + i), g));
        wasm_v128_store(bus + i, acc);
      }
    }
  }
}

// W2: `blocks` blocks of 32 saws -> lowpass -> 1/32 summed, y = x + 0.4 y[n - 12000], into out.
__attribute__((export_name("kernels_w2"))) void kernels_w2(float* out, int blocks) {
  const wd::Wavetables& tables = wd::wavetables();
  const float gain = 1.0f / 32.0f;
  float saw[kBlock];
  for (int b = 0; b < blocks; ++b) {
    float* bus = out + b * kBlock;
    std::memset(bus, 0, kBlock * sizeof(float));
    for (Voice& v : voices) {
      wd::renderWavetable<wd::TableShape::kDirect>(tables.saw.mixFor(v.increment), saw, kBlock, v.phase,
                                                   v.increment, 1.0f);
      biquadGainAccumulate(v, saw, gain, bus);
    }
    // The feedback delay: the block length (128) divides nothing here, so wrap per sample.
    for (int i = 0; i < kBlock; ++i) {
      const float y = bus[i] + 0.4f * delayLine[delayIndex];
      delayLine[delayIndex] = y;
      bus[i] = y;
      if (++delayIndex == kDelayFrames) delayIndex = 0;
    }
  }
}

// A buffer in the module's memory for the output of `frames` floats.
__attribute__((export_name("kernels_alloc"))) float* kernels_alloc(int frames) { return new float[frames]; }

}  // extern "C"
