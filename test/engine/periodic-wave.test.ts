/**
 * The custom waveform (Web Audio's PeriodicWave) and the oscillator's Web Audio normalisation,
 * against their analytic sums: x(phase) = sum_k a_k cos(2 pi k phase) + b_k sin(2 pi k phase),
 * scaled by 1 / its peak over OscillatorNode's table (N = 4096 points at 48 kHz) when normalised.
 */
import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/contracts/errors";
import { periodicWaveChannels } from "../../src/contracts/periodic-wave";
import { createEngine } from "../../src/create-engine";
import type { GraphProgram } from "../../src/engine/graph-program";
import { oscillatorIncrement, webAudioTableSize } from "../support/oscillator-phase";
import { renderProgram } from "../support/render";
import { maxAbsDifference } from "../support/signal";
import { amplitudeAt, blackmanHarris, powerSpectrum } from "../support/spectrum";

const SR = 48000;
const CUSTOM = 5;
const WEB_AUDIO = 1;

function customOscillator(params: Record<string, number>): GraphProgram {
  return {
    nodes: [{ kind: "oscillator", inputs: [], params: { waveform: CUSTOM, ...params }, buffers: { 0: 0 } }],
    output: 0,
  };
}

/** The analytic waveform at `frames` samples of the engine's phase (harmonics 1 .. length - 1). */
function analytic(real: number[], imag: number[], increment: number, frames: number): Float64Array {
  return Float64Array.from({ length: frames }, (_, n) => {
    const phase = ((n * increment) % 2 ** 32) / 2 ** 32;
    let sum = 0;
    for (let k = 1; k < real.length; k++) {
      sum += Math.fround(real[k] as number) * Math.cos(2 * Math.PI * k * phase);
      sum += Math.fround(imag[k] as number) * Math.sin(2 * Math.PI * k * phase);
    }
    return sum;
  });
}

/** Web Audio's normalisation: 1 / the peak over N table points, harmonics below N / 2. */
function webAudioScale(real: number[], imag: number[], sampleRate: number): number {
  const size = webAudioTableSize(sampleRate);
  const top = Math.min(real.length, size / 2);
  let peak = 0;
  for (let n = 0; n < size; n++) {
    let sum = 0;
    for (let k = 1; k < top; k++) {
      sum += (real[k] as number) * Math.cos((2 * Math.PI * k * n) / size);
      sum += (imag[k] as number) * Math.sin((2 * Math.PI * k * n) / size);
    }
    peak = Math.max(peak, Math.abs(sum));
  }
  return 1 / peak;
}

const REAL = [0, 0.3, 0, 0.1, 0, -0.05];
const IMAG = [0, 1, 0.5, 0, 0.25, 0];

describe("custom waveform (PeriodicWave)", () => {
  it("plays its Fourier series as written, cosine terms from real and sine terms from imag", async () => {
    const [out] = await renderProgram(customOscillator({ frequency: 440 }), SR, {
      buffers: [periodicWaveChannels({ real: REAL, imag: IMAG })],
    });
    const expected = analytic(REAL, IMAG, oscillatorIncrement(440, SR), SR);
    const error = maxAbsDifference(out as Float32Array, expected);
    console.log(`custom, not normalised, 440 Hz: max error ${error.toExponential(2)}`);
    expect(error).toBeLessThan(2e-6);
  });

  it("normalises as Web Audio does: the table's peak becomes 1", async () => {
    for (const sampleRate of [22050, 48000, 96000]) {
      const [out] = await renderProgram(
        customOscillator({ frequency: 440, normalization: WEB_AUDIO }),
        4800,
        {
          sampleRate,
          buffers: [periodicWaveChannels({ real: REAL, imag: IMAG })],
        },
      );
      const scale = webAudioScale(REAL, IMAG, sampleRate);
      const expected = analytic(REAL, IMAG, oscillatorIncrement(440, sampleRate), 4800).map((x) => x * scale);
      expect(maxAbsDifference(out as Float32Array, expected), `at ${sampleRate}`).toBeLessThan(2e-6);
    }
    // sin(x) + sin(2x) peaks at 1.7602 (cos x + 2 cos 2x = 0): normalised, its peak is 1.
    const [two] = await renderProgram(customOscillator({ frequency: 100, normalization: WEB_AUDIO }), SR, {
      buffers: [periodicWaveChannels({ imag: [0, 1, 1] })],
    });
    const peak = Math.max(...(two as Float32Array).map(Math.abs));
    expect(peak).toBeCloseTo(1, 3); // 480 samples a cycle straddle the peak
    expect(peak).toBeLessThanOrEqual(1);
  });

  it("reads a one-channel buffer as cosine terms and plays silence with no buffer", async () => {
    const [cosine] = await renderProgram(customOscillator({ frequency: 1000 }), 96, {
      buffers: [[Float32Array.of(0, 0.5)]],
    });
    expect(cosine?.[0]).toBeCloseTo(0.5, 6);
    expect(cosine?.[12]).toBeCloseTo(0.5 * Math.cos(2 * Math.PI * 0.25), 6);
    const [silent] = await renderProgram(
      { nodes: [{ kind: "oscillator", inputs: [], params: { waveform: CUSTOM } }], output: 0 },
      256,
    );
    expect(new Set(silent)).toEqual(new Set([0]));
  });

  it("drops the harmonics above Nyquist: a 64-harmonic wave at 3 kHz keeps its non-harmonic power below -70 dB", async () => {
    const imag = Array.from({ length: 65 }, (_, k) => (k === 0 ? 0 : 1 / k));
    const f0 = SR / (Math.floor(SR / 3000) + 0.5); // folds land between harmonics
    const frames = 1 << 16;
    const [out] = await renderProgram(customOscillator({ frequency: f0 }), frames, {
      buffers: [periodicWaveChannels({ imag })],
    });
    const cycles = oscillatorIncrement(f0, SR) / 2 ** 32;
    const power = powerSpectrum(out as Float32Array, blackmanHarris(frames));
    let total = 0;
    let other = 0;
    power.forEach((p, bin) => {
      total += p;
      const nearest = Math.round(bin / frames / cycles) * cycles * frames;
      if (Math.abs(bin - nearest) > 5) other += p;
    });
    const nonHarmonicDb = 10 * Math.log10(other / total);
    console.log(`custom 64 harmonics at ${f0.toFixed(1)} Hz: non-harmonic ${nonHarmonicDb.toFixed(1)} dB`);
    expect(nonHarmonicDb).toBeLessThan(-70);
    // Harmonic 7 (20.6 kHz) is below Nyquist and kept exactly; 8 and above are gone.
    const window = blackmanHarris(frames);
    expect(20 * Math.log10(amplitudeAt(out as Float32Array, window, 7 * cycles) / (1 / 7))).toBeCloseTo(0, 1);
  });

  it("gives the same samples at any block size", async () => {
    const options = { buffers: [periodicWaveChannels({ real: REAL, imag: IMAG })] };
    const [a] = await renderProgram(customOscillator({ frequency: 1234.5 }), 5000, options);
    const [b] = await renderProgram(customOscillator({ frequency: 1234.5 }), 5000, {
      ...options,
      blockSize: 7,
      chunk: 13,
    });
    expect(b).toEqual(a);
  });
});

describe("Web Audio normalisation of the built-in waveforms", () => {
  it("scales saw, square and triangle by 1 / the peak of OscillatorNode's table", async () => {
    const rows: Record<string, number | string>[] = [];
    for (const [waveform, name] of [
      [1, "saw"],
      [2, "square"],
      [3, "triangle"],
    ] as const) {
      const size = webAudioTableSize(SR);
      const imag = Array.from({ length: size / 2 }, (_, k) => {
        if (k === 0) return 0;
        if (name === "saw") return ((k % 2 ? 1 : -1) * 2) / (Math.PI * k);
        if (k % 2 === 0) return 0;
        if (name === "square") return 4 / (Math.PI * k);
        return (((k - 1) / 2) % 2 ? -8 : 8) / (Math.PI * Math.PI * k * k);
      });
      const scale = webAudioScale(new Array(imag.length).fill(0), imag, SR);
      const frames = 48000;
      const [plain] = await renderProgram(
        { nodes: [{ kind: "oscillator", inputs: [], params: { waveform, frequency: 100 } }], output: 0 },
        frames,
      );
      const [normalised] = await renderProgram(
        {
          nodes: [
            {
              kind: "oscillator",
              inputs: [],
              params: { waveform, frequency: 100, normalization: WEB_AUDIO },
            },
          ],
          output: 0,
        },
        frames,
      );
      const ratio = (normalised?.[240] as number) / (plain?.[240] as number);
      rows.push({ waveform: name, "scale dB": Number((20 * Math.log10(scale)).toFixed(3)), measured: ratio });
      expect(ratio, name).toBeCloseTo(scale, 6);
    }
    console.table(rows);
    // The saw's and square's Gibbs overshoot (about 1.18 for 2047 harmonics) sets their level.
    expect(rows[0]?.["scale dB"]).toBeLessThan(-1);
  });
});

describe("periodicWaveChannels", () => {
  it("builds PeriodicWaveOptions' channels and rejects what Web Audio rejects", () => {
    expect(periodicWaveChannels()).toEqual([new Float32Array(2), Float32Array.of(0, 1)]);
    expect(periodicWaveChannels({ imag: [0, 1, 0.5] })).toEqual([
      new Float32Array(3),
      Float32Array.of(0, 1, 0.5),
    ]);
    const mismatch = () => periodicWaveChannels({ real: [0, 1, 2], imag: [0, 1] });
    expect(mismatch).toThrow(EngineError);
    expect(mismatch).toThrow(/periodic_wave\.imag: must have real's length \(3\), not 2/);
    expect(() => periodicWaveChannels({ imag: [0] })).toThrow(/periodic_wave\.imag/);
    expect(() => periodicWaveChannels({ real: [0, Number.NaN] })).toThrow(/periodic_wave\.real\[1\]/);
  });
});

describe("custom waveform through the contracts", () => {
  it("plays a graph naming the wave buffer, waveform custom and Web Audio normalisation", async () => {
    const engine = await createEngine({ host: "in-process", sampleRate: SR });
    try {
      const wave = await engine.uploadBuffer(periodicWaveChannels({ real: REAL, imag: IMAG }), SR);
      const result = await engine.render({
        version: "v1alpha",
        request_id: "periodic-wave",
        channels: 1,
        node_graph: {
          version: "v1alpha",
          nodes: [
            {
              name: "osc",
              node_id: "builtin:oscillator",
              params: { waveform: "custom", frequency: 440, normalization: "web_audio" },
              buffers: { wave },
            },
          ],
          output: "osc",
        },
        duration_seconds: 0.1,
        sample_rate: SR,
      });
      const [out] = await engine.readBuffer(result.buffer_handle ?? "");
      const scale = webAudioScale(REAL, IMAG, SR);
      const expected = analytic(REAL, IMAG, oscillatorIncrement(440, SR), 4800).map((x) => x * scale);
      expect(maxAbsDifference(out as Float32Array, expected)).toBeLessThan(2e-6);
      // "sawtooth", Web Audio's name, is the saw; "custom" without a wave buffer is refused.
      const graph = (params: Record<string, string>) => ({
        version: "v1alpha" as const,
        nodes: [{ name: "osc", node_id: "builtin:oscillator", params }],
        output: "osc",
      });
      await engine.loadGraph(graph({ waveform: "sawtooth" }));
      await expect(engine.loadGraph(graph({ waveform: "custom" }))).rejects.toThrow(
        /E_SCHEMA at load_graph\.graph\.nodes\[0\]\.buffers: waveform "custom" plays the Fourier series of a "wave" buffer/,
      );
    } finally {
      await engine.close();
    }
  });
});
