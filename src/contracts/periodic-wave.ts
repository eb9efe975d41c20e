/**
 * Web Audio's PeriodicWave for builtin:oscillator: the coefficients a page would pass to
 * `new PeriodicWave(context, { real, imag })`, as the two channels of the buffer bound to the
 * oscillator's `wave` slot (waveform "custom"). Validated as the Web Audio API validates them (what it
 * would throw IndexSizeError for is E_SCHEMA here); normalisation is the oscillator's `normalization`
 * parameter ("web_audio" for PeriodicWave's default, "none" for `disableNormalization: true`).
 */
import * as z from "zod";
import { parseContract } from "./validate";

const CoefficientsSchema = z
  .array(z.number())
  .min(2)
  .describe("Fourier coefficients by harmonic; index 0 (DC) is ignored, as Web Audio ignores it.");

export const PeriodicWaveSchema = z
  .strictObject({
    real: CoefficientsSchema.describe("Cosine terms (Web Audio's real); zeros when left out.").optional(),
    imag: CoefficientsSchema.describe("Sine terms (Web Audio's imag); zeros when left out.").optional(),
  })
  .superRefine((wave, ctx) => {
    if (wave.real && wave.imag && wave.real.length !== wave.imag.length) {
      ctx.addIssue({
        code: "custom",
        path: ["imag"],
        message: `must have real's length (${wave.real.length}), not ${wave.imag.length}`,
      });
    }
  })
  .describe(
    "A periodic waveform as PeriodicWaveOptions: real and imag coefficients (a sine when both are left out).",
  );

export type PeriodicWaveInput = z.input<typeof PeriodicWaveSchema>;

/**
 * The channels of a `wave` buffer: [cosine terms, sine terms], as PeriodicWaveOptions builds them
 * (a missing array is zeros of the other's length; neither gives a sine). Upload them with any sample
 * rate: the oscillator reads coefficients, not audio. E_SCHEMA at `periodic_wave.*` for what Web
 * Audio would reject (lengths that differ, fewer than 2) and for non-numbers.
 * @example
 * const wave = await engine.uploadBuffer(periodicWaveChannels({ imag: [0, 1, 0.5, 0.25] }), 48000);
 * // { node_id: "builtin:oscillator", params: { waveform: "custom", normalization: "web_audio" }, buffers: { wave } }
 */
export function periodicWaveChannels(wave: PeriodicWaveInput = {}): [Float32Array, Float32Array] {
  const { real, imag } = parseContract(PeriodicWaveSchema, wave, "periodic_wave");
  if (!real && !imag) return [new Float32Array(2), Float32Array.of(0, 1)];
  const length = (real ?? imag)?.length ?? 2;
  return [
    real ? Float32Array.from(real) : new Float32Array(length),
    imag ? Float32Array.from(imag) : new Float32Array(length),
  ];
}
