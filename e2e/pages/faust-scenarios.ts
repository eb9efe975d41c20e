/**
 * Faust scenarios rendered the same way in a browser Worker (faust-worker.ts), in an AudioWorklet of an
 * OfflineAudioContext (faust-worklet.ts) and in Node (e2e/faust.spec.ts): the DSP, compiled with
 * libfaust, hosted as an external node of engine.wasm. Only the loaders differ (libfaust and
 * engine.wasm from Vite's URLs or from disk).
 */

import { instantiateEngine } from "../../src/engine/engine-module";
import { renderOffline } from "../../src/engine/render-job";
import { WasmEngine } from "../../src/engine/wasm-engine";
import type { FaustCompileOptions } from "../../src/faust/compiler";
import { createFaustNode, type FaustDspCode, type SoundfilePart } from "../../src/faust/faust-node";

export interface FaustScenario {
  source: string;
  options: FaustCompileOptions;
  sampleRate: number;
  blockSize: number;
  frames: number;
  /** Seeds of noise channels fed to the DSP's inputs. */
  inputSeeds?: number[];
  steps?: [param: string, frame: number, value: number][];
  midi?: [frame: number, status: number, data1: number, data2: number][];
  /** Soundfile parts of noise: label -> [seed, frames, sampleRate] per part. */
  soundfiles?: Record<string, [number, number, number][]>;
}

function noise(frames: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32) * 2 - 1;
  }
  return out;
}

export const FAUST_SCENARIOS: Record<string, FaustScenario> = {
  "W3 zita_rev1 (mono)": {
    source: `import("stdfaust.lib");
process = os.sawtooth(110) * 0.25 <: re.zita_rev1_stereo(0, 200, 6000, 3, 4, 48000);`,
    options: { name: "w3" },
    sampleRate: 48000,
    blockSize: 128,
    frames: 48000,
  },
  "organ with effect, 8 voices, notes off the 128-frame grid": {
    source: `import("stdfaust.lib");
timbre(f) = os.osc(f)*0.5 + os.osc(f*2)*0.25 + os.osc(f*3)*0.125;
effect = _*(hslider("Left", 0.1, 0, 1, 0.01)), _*(hslider("Right", 0.1, 0, 1, 0.01));
process = timbre(hslider("freq", 440, 20, 3000, 1)) * hslider("gain", 0.5, 0, 1, 0.01)
  * (button("gate") : en.adsr(0.1,0.1,0.98,1.5));`,
    options: { name: "organ1", voices: 8 },
    sampleRate: 44100,
    blockSize: 100,
    frames: 44100,
    steps: [
      ["/organ1/Left", 0, 0.7],
      ["/organ1/Right", 20000, 0.3],
    ],
    midi: [
      [0, 0x90, 60, 100],
      [3001, 0x90, 64, 80],
      [7777, 0x90, 67, 127],
      [9000, 0x80, 60, 0],
      [15001, 0x80, 64, 0],
      [30000, 0x80, 67, 0],
    ],
  },
  "echoes kept by a release length of 0.5 s, 4 voices": {
    source: `import("stdfaust.lib");
dry = os.osc(hslider("freq", 440, 20, 3000, 1)) * hslider("gain", 0.5, 0, 1, 0.01)
  * en.adsr(0.001, 0.001, 1, 0.01, button("gate"));
process = dry + dry@(9600);`,
    options: { name: "echo", voices: 4, releaseLength: 0.5 },
    sampleRate: 48000,
    blockSize: 128,
    frames: 24000,
    midi: [
      [0, 0x90, 69, 127],
      [2000, 0x90, 76, 90],
      [4800, 0x80, 69, 0],
      [6000, 0x80, 76, 0],
    ],
  },
  "voices played by their own gates, dynamic voices off": {
    source: `import("stdfaust.lib");
process = os.osc(hslider("freq", 440, 20, 3000, 1)) * hslider("gain", 0.5, 0, 1, 0.01) * button("gate");`,
    options: { name: "drone", voices: 3, groupVoices: false, dynamicVoices: false },
    sampleRate: 48000,
    blockSize: 128,
    frames: 12000,
    steps: [
      ["/V1/drone/gate", 0, 1],
      ["/V1/drone/freq", 0, 330],
      ["/V3/drone/gate", 3000, 1],
      ["/V3/drone/freq", 3000, 550],
    ],
  },
  "freeverb effect on noise": {
    source: 'import("stdfaust.lib");\nprocess = _ <: dm.freeverb_demo;',
    options: { name: "rev" },
    sampleRate: 48000,
    blockSize: 37,
    frames: 24000,
    inputSeeds: [5],
  },
  "soundfile parts by buffer, one at another rate": {
    source: `import("stdfaust.lib");
process = int(nentry("part", 0, 0, 1, 1)), ba.time : soundfile("s[url:{'a';'b'}]", 2) : !, !, _, _;`,
    options: { name: "reader" },
    sampleRate: 48000,
    blockSize: 128,
    frames: 12000,
    steps: [["/reader/part", 6000, 1]],
    soundfiles: {
      s: [
        [7, 9000, 48000],
        [8, 5000, 32000],
      ],
    },
  },
};

/**
 * Adds a scenario's graph (the Faust node, its input, its steps and MIDI) to an engine and prepares
 * it. No compiler here: this runs in an AudioWorklet too.
 */
export function buildFaustScenario(
  engine: WasmEngine,
  compiled: FaustDspCode,
  scenario: FaustScenario,
): number {
  const soundfiles = new Map<string, SoundfilePart[]>();
  for (const [label, parts] of Object.entries(scenario.soundfiles ?? {})) {
    soundfiles.set(
      label,
      parts.map(([seed, frames, sampleRate]) => ({
        sampleRate,
        channels: [noise(frames, seed), noise(frames, seed + 1)],
      })),
    );
  }
  const node = engine.addExternalNode(
    createFaustNode(compiled, soundfiles),
    compiled.layout.numOutputs,
    compiled.layout.params,
  );
  if (scenario.inputSeeds) {
    const source = engine.addNode("playback");
    const buffer = engine.createBuffer(
      scenario.inputSeeds.map((seed) => noise(scenario.frames, seed)),
      scenario.sampleRate,
    );
    engine.setNodeBuffer(source, 0, buffer);
    engine.addInput(node, source);
  }
  for (const [param, frame, value] of scenario.steps ?? []) engine.addParamStep(node, param, frame, value);
  for (const [frame, status, data1, data2] of scenario.midi ?? [])
    engine.addMidi(node, frame, status, data1, data2);
  engine.prepare(node);
  return node;
}

/**
 * Renders one scenario offline with a compiled DSP (a Worker, Node).
 * @example
 * const channels = renderFaustScenario(FAUST_SCENARIOS["W3 zita_rev1 (mono)"], compiled, engineModule);
 */
export function renderFaustScenario(
  scenario: FaustScenario,
  compiled: FaustDspCode,
  engineModule: WebAssembly.Module,
): Float32Array[] {
  const engine = new WasmEngine(instantiateEngine(engineModule), scenario.sampleRate, scenario.blockSize);
  try {
    buildFaustScenario(engine, compiled, scenario);
    const out = Array.from({ length: compiled.layout.numOutputs }, () => new Float32Array(scenario.frames));
    renderOffline(engine, scenario.frames, out);
    return out;
  } finally {
    engine.destroy();
  }
}
