// The voice filter's parameter rows, one definition for every instrument that has one (synth,
// sampler): the same ids, ranges, defaults and meaning, in this order, so a patch's filter settings
// mean the same on both. `modeDefault` is the one difference: the synth starts filtered (lowpass),
// the sampler unfiltered (off), so that sampler graphs from before the filter render unchanged.
#pragma once

// clang-format off
#define WD_VOICE_FILTER_PARAMS(modeDefault)                                                                     \
  /* A 12 dB/octave TPT state-variable filter (dsp/svf.h), or off. */                                          \
  {"filter_mode", "Filter mode", "", 0.0f, 3.0f, modeDefault, true, "off|lowpass|highpass|bandpass"},          \
  {"filter_cutoff", "Filter cutoff", "Hz", 20.0f, 20000.0f, 20000.0f, false, nullptr},                           \
  /* Q: 0.7071 is flat (Butterworth), higher values peak at the cutoff. */                                     \
  {"filter_resonance", "Filter resonance", "", 0.5f, 20.0f, 0.70710678f, false, nullptr},                        \
  /* Octaves the filter envelope at its peak (1) moves the cutoff (negative: down). */                         \
  {"filter_env_amount", "Filter envelope amount", "octaves", -8.0f, 8.0f, 0.0f, false, nullptr},                 \
  /* 1: the cutoff follows the note one to one (an octave up, the cutoff doubles), relative to the     */      \
  /* instrument's reference note (synth: middle C, note 60; sampler: its root_note).                   */      \
  {"filter_key_tracking", "Filter key tracking", "", 0.0f, 1.0f, 0.0f, false, nullptr},                          \
  {"filter_attack", "Filter attack", "ms", 0.0f, 10000.0f, 0.0f, false, nullptr},                                \
  {"filter_decay", "Filter decay", "ms", 0.0f, 10000.0f, 200.0f, false, nullptr},                                \
  {"filter_sustain", "Filter sustain", "", 0.0f, 1.0f, 0.0f, false, nullptr},                                    \
  {"filter_release", "Filter release", "ms", 0.0f, 10000.0f, 200.0f, false, nullptr}
// clang-format on
