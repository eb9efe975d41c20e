/**
 * Render cost per block of each builtin processor at its defaults, in units of one builtin:gain on a
 * stereo signal (NodeDescriptor.resource_estimate.cpu_units). Measured by bench/node-costs.ts (the
 * median of 5 passes of measureCpuUnits, src/engine/cpu-units.ts: how, and on what conditions) in
 * Node v20.20.2 at 48000 Hz and 128 frames, on vm, 2026-12-06, the
 * figure off by the least on each of its CPUs 0,1.
 * The hosts' discovery measures each kind on the running machine (builtin-cpu-units.ts); these
 * figures stand in until it has, and in the test double's catalog. Rerun the script with --write
 * after a processor changes. Generated: do not edit by hand.
 */
export const NODE_CPU_UNITS: Readonly<Record<string, number>> = {
  oscillator: 2.39,
  gain: 1,
  playback: 1.69,
  sampler: 28.59,
  filter: 6.69,
  compressor: 8.45,
  panner: 0.91,
  mixer: 1.92,
  reverb: 117.51,
  delay: 9.17,
  constant: 0.49,
  synth: 88.59,
  playback_warp: 137.14,
};
