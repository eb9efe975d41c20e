/**
 * The engine oscillator's phase step, computed in JavaScript the way the engine computes it
 * (wasm/src/processors/oscillator.cpp updateIncrement): OscillatorNode's arithmetic, each step in
 * float32, then held as 2^-32 cycles. Tests use it to know a tone's phase at every sample exactly.
 */
const f32 = Math.fround;

/** OscillatorNode's table length at a sample rate (2048, 4096 or 16384). */
export function webAudioTableSize(sampleRate: number): number {
  if (sampleRate <= 24000) return 2048;
  if (sampleRate <= 88200) return 4096;
  return 16384;
}

/**
 * The phase step per sample in 2^-32 cycles for `frequency` Hz detuned by `detuneCents`.
 * @example
 * oscillatorIncrement(440, 48000); // 39370532: 439.99998 Hz, Chromium's float rounding
 */
export function oscillatorIncrement(frequency: number, sampleRate: number, detuneCents = 0): number {
  const detuneScale = f32(2 ** f32(f32(detuneCents) / 1200));
  const nyquist = f32(sampleRate) / 2;
  const hz = Math.min(Math.max(f32(f32(frequency) * detuneScale), -nyquist), nyquist);
  const size = webAudioTableSize(sampleRate);
  const steps = f32(hz * f32(size / sampleRate));
  let cycles = steps / size;
  cycles -= Math.floor(cycles);
  return Math.round(cycles * 2 ** 32) % 2 ** 32;
}
