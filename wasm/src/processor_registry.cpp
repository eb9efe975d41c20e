#include "processor_registry.h"

#include "processors/compressor.h"
#include "processors/constant.h"
#include "processors/delay.h"
#include "processors/filter.h"
#include "processors/gain.h"
#include "processors/latency_delay.h"
#include "processors/mixer.h"
#include "processors/oscillator.h"
#include "processors/panner.h"
#include "processors/playback.h"
#include "processors/playback_warp.h"
#include "processors/sampler.h"
#include "processors/reverb.h"
#include "processors/synth.h"

namespace wd {

namespace {

template <typename T>
std::unique_ptr<Processor> make() {
  return std::unique_ptr<Processor>(new T());
}

const ProcessorType kTypes[] = {
    // "wave": a custom waveform's Fourier coefficients (Web Audio's PeriodicWave).
    {"oscillator", "Oscillator", kOscillatorParams, kOscillatorParamCount, 0, make<Oscillator>,
     /*feedbackCapable=*/false, /*instrument=*/false, /*bufferSlots=*/"wave,periodic_wave"},
    {"gain", "Gain", kGainParams, kGainParamCount, -1, make<Gain>},
    {"playback", "Playback", kPlaybackParams, kPlaybackParamCount, 0, make<Playback>,
     /*feedbackCapable=*/false, /*instrument=*/false, /*bufferSlots=*/"data"},
    // "sample" is the name the GraphDescriptor docs use for the sampler's slot.
    {"sampler", "Sampler", kSamplerParams, kSamplerParamCount, 0, make<Sampler>,
     /*feedbackCapable=*/false, /*instrument=*/true, /*bufferSlots=*/"data,sample"},
    {"filter", "Filter", kFilterParams, kFilterParamCount, -1, make<Filter>},
    {"compressor", "Compressor", kCompressorParams, kCompressorParamCount, -1, make<Compressor>},
    {"panner", "Panner", kPannerParams, kPannerParamCount, -1, make<Panner>},
    {"mixer", "Mixer", kMixerParams, kMixerParamCount, -1, make<Mixer>},
    {"reverb", "Reverb", kReverbParams, kReverbParamCount, -1, make<Reverb>},
    {"delay", "Delay", kDelayParams, kDelayParamCount, -1, make<Delay>, /*feedbackCapable=*/true},
    {"constant", "Constant", kConstantParams, kConstantParamCount, 0, make<Constant>},
    {"synth", "Synth", kSynthParams, kSynthParamCount, 0, make<Synth>,
     /*feedbackCapable=*/false, /*instrument=*/true, /*bufferSlots=*/nullptr, /*presets=*/kSynthPresets},
    // "warp": a warp map baked for one tempo (src/contracts/warp-map.ts): timeline frames -> audio
    // frames. "markers" (audio frame, clip beat) and "clips" (start, end, offset beats): read through
    // the engine's tempo, so the clip follows it.
    {"playback_warp", "Warped playback", kPlaybackWarpParams, kPlaybackWarpParamCount, 0, make<PlaybackWarp>,
     /*feedbackCapable=*/false, /*instrument=*/false,
     /*bufferSlots=*/"data|warp,warp_map|markers,warp_markers|clips,clip_positions"},
    // Internal: the compiler's latency compensation (src/engine/latency-compensation.ts). Last, so
    // the public types keep their indices.
    {"latency_delay", "Latency compensation delay", kLatencyDelayParams, kLatencyDelayParamCount, -1,
     make<LatencyDelay>, /*feedbackCapable=*/false, /*instrument=*/false, /*bufferSlots=*/nullptr,
     /*presets=*/nullptr, /*internal=*/true},
};

}  // namespace

int processorTypeCount() { return sizeof(kTypes) / sizeof(kTypes[0]); }

const ProcessorType* processorType(int index) {
  return index >= 0 && index < processorTypeCount() ? &kTypes[index] : nullptr;
}

}  // namespace wd
