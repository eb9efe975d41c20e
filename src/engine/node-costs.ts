/**
 * Render cost per block of each builtin processor, in units of one builtin:gain on a stereo signal
 * (NodeDescriptor.resource_estimate.cpu_units). Measured by bench/node-costs.ts (its header says
 * how) in Node v20.20.2 at 48000 Hz and 128 frames, on vm, 2026-12-06.
 * Ratios move little between machines; rerun the script with --write after a processor changes.
 * Instruments: one voice sounding. Generated: do not edit by hand.
 */
export const NODE_CPU_UNITS: Readonly<Record<string, number>> = {
  oscillator: 2.67,
  gain: 1,
  playback: 1.29,
  sampler: 8.44,
  filter: 8.5,
  compressor: 8.59,
  panner: 0.92,
  mixer: 1.92,
  reverb: 141.68,
  delay: 9.41,
  constant: 0.04,
  synth: 99.28,
  playback_warp: 101.73,
};
