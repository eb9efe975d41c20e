import { describe, expect, it } from "vitest";

import type { NodeDescriptor } from "../../src/contracts/node-descriptor";
import { DEFAULT_FAUST_SYNTH_CODE } from "../../src/studio/faust-instrument";
import {
  instrumentChoices,
  instrumentDevice,
  isInstrumentNode,
  parseVoices,
  takesVoices,
} from "../../src/studio/instrument-choices";

const node = (
  node_id: string,
  name: string,
  format: NodeDescriptor["format"],
  extensions: NodeDescriptor["extensions"] = {},
  parameterIds: string[] = [],
) =>
  ({
    version: "v1alpha",
    node_id,
    name,
    vendor: null,
    format,
    supported_sample_rates: [],
    latency_samples: 0,
    resource_estimate: null,
    parameters: parameterIds.map((id) => ({ id, name: id, default: 0, range: [0, 1], extensions: {} })),
    extensions,
  }) as NodeDescriptor;

const nodes = [
  node("builtin:sampler", "Sampler", "builtin", { is_instrument: true }),
  node("builtin:filter", "Filter", "builtin", { input_channels: 1 }),
  node("wam:com.x.synth", "Synth X", "wam", { is_instrument: true, module_url: "https://p/x/index.js" }),
  node("faust:1", "Pluck", "faust", { module_url: "https://d/pluck.dsp" }, [
    "/Pluck/freq",
    "/Pluck/gate",
    "/Pluck/level",
  ]),
  node("faust:2", "Tremolo", "faust", { module_url: "https://d/tremolo.dsp", input_channels: 2 }, [
    "/T/rate",
  ]),
  // A poly synth compiled from code: no file behind it, so not offered again.
  node("faust:3", "webdreamer", "faust", { is_instrument: true }),
  node("wam:com.x.delay", "Delay X", "wam", { is_instrument: false }),
  node("builtin:synth", "Synth", "builtin", { is_instrument: true }),
];

describe("instrumentChoices", () => {
  it("lists builtin (the synth first), Faust with freq and gate, WAM instruments, then the Faust synth", () => {
    const choices = instrumentChoices(nodes);
    expect(choices.map((choice) => [choice.value, choice.label, choice.kind])).toEqual([
      ["builtin:synth", "Synth", "builtin"],
      ["builtin:sampler", "Sampler", "builtin"],
      ["faust:1", "Pluck (Faust)", "faust"],
      ["wam:com.x.synth", "Synth X (WAM)", "wam"],
      ["faust-synth-code", "Faust synth (code)", "faust-code"],
    ]);
    expect(choices.map(takesVoices)).toEqual([false, false, true, false, true]);
  });

  it("takes a Faust DSP declared an instrument, or with freq and gate", () => {
    expect(isInstrumentNode(node("faust:4", "A", "faust", { is_instrument: true }))).toBe(true);
    expect(isInstrumentNode(node("faust:5", "B", "faust", {}, ["freq", "gate"]))).toBe(true);
    expect(isInstrumentNode(node("faust:6", "C", "faust", {}, ["/C/freq"]))).toBe(false);
  });
});

describe("parseVoices", () => {
  it("takes a whole number from 1 to 64 and names what is wrong otherwise", () => {
    expect(parseVoices("1")).toBe(1);
    expect(parseVoices("64")).toBe(64);
    for (const bad of ["0", "65", "2.5", "", "four"]) {
      expect(() => parseVoices(bad)).toThrow(`Voices must be a whole number from 1 to 64, not "${bad}"`);
    }
  });
});

describe("instrumentDevice", () => {
  const compiled: { source: string; voices?: number }[] = [];
  const sources = {
    compiler: async () => ({
      compileFaust: async (source: string, options?: { voices?: number }) => {
        compiled.push({ source, voices: options?.voices });
        return { node_id: `faust:${compiled.length}` } as NodeDescriptor;
      },
    }),
    fetchText: async (url: string) => `// ${url}\nprocess = 0;`,
  };
  const [synth, , pluck, wam, code] = instrumentChoices(nodes);

  it("makes each kind's device: builtin by id, WAM with its module, Faust compiled from its file with the voices", async () => {
    if (!synth || !pluck || !wam || !code) throw new Error("choices missing");
    expect(await instrumentDevice(synth, "i", 8, sources)).toEqual({
      id: "i",
      node_id: "builtin:synth",
      params: {},
      buffers: {},
    });
    expect(await instrumentDevice(wam, "w", 8, sources)).toEqual({
      id: "w",
      node_id: "wam:com.x.synth",
      params: {},
      buffers: {},
      extensions: { wam: { module_url: "https://p/x/index.js" } },
    });
    const faust = await instrumentDevice(pluck, "p", 4, sources);
    expect(faust).toEqual({
      id: "p",
      node_id: "faust:1",
      params: {},
      buffers: {},
      extensions: { faust: { source: "// https://d/pluck.dsp\nprocess = 0;", voices: 4 } },
    });
    expect((await instrumentDevice(code, "c", 8, sources)).extensions).toEqual({
      faust: { source: DEFAULT_FAUST_SYNTH_CODE, voices: 8 },
    });
    expect((await instrumentDevice(code, "d", 2, sources, "process = 1;")).extensions).toEqual({
      faust: { source: "process = 1;", voices: 2 },
    });
    expect(compiled.map((entry) => entry.voices)).toEqual([4, 8, 2]);
  });
});
