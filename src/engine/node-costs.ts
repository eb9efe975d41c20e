/**
 * Render cost per block of each builtin processor, in units of one builtin:gain on a stereo signal
 * (NodeDescriptor.resource_estimate.cpu_units). Measured by bench/node-costs.ts (its header says
 * how) in Node v20.20.2 at 48000 Hz and 128 frames, on vm, 2026-12-05.
 * Ratios move little between machines; rerun the script with --write after a processor changes.
 * Instruments: one voice sounding. Generated: do not edit by hand.
 */
export const NODE_CPU_UNITS: Readonly<Record<string, number>> = {
  oscillator: 2.61,
  gain: 1,
  playback: 1.31,
  sampler: 8.92,
  filter: 9.06,
  compressor: 9.34,
  panner: 0.96,
  mixer: 1.97,
  reverb: 149.38,
  delay: 10.9,
  constant: 0,
  synth: 166.9,
};
