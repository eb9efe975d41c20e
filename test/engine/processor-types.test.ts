/**
 * The processor type table as TypeScript reads it out of engine.wasm: every type-level fact (kind,
 * name, inputs, instrument, buffer slots) and every choice alias, written out here so that a change
 * to the C++ tables or to the reader shows up. Each processor's parameter table is asserted
 * literally by its own test under test/engine/processors/.
 */
import { describe, expect, it } from "vitest";
import {
  type ProcessorTableExports,
  readCString,
  readProcessorTypes,
} from "../../src/engine/processor-types";
import { newEngine } from "../support/render";

const engine = await newEngine();

describe("readProcessorTypes", () => {
  it("reads every type's kind, name, inputs, instrument flag and buffer slots", () => {
    expect(
      engine.types.map(({ index, kind, name, maxInputs, instrument, bufferSlots }) => ({
        index,
        kind,
        name,
        maxInputs,
        instrument,
        bufferSlots,
      })),
    ).toEqual([
      {
        index: 0,
        kind: "oscillator",
        name: "Oscillator",
        maxInputs: 0,
        instrument: false,
        bufferSlots: [["wave", "periodic_wave"]],
      },
      { index: 1, kind: "gain", name: "Gain", maxInputs: -1, instrument: false, bufferSlots: [] },
      {
        index: 2,
        kind: "playback",
        name: "Playback",
        maxInputs: 0,
        instrument: false,
        bufferSlots: [["data"]],
      },
      {
        index: 3,
        kind: "sampler",
        name: "Sampler",
        maxInputs: 0,
        instrument: true,
        bufferSlots: [["data", "sample"]],
      },
      { index: 4, kind: "filter", name: "Filter", maxInputs: -1, instrument: false, bufferSlots: [] },
      { index: 5, kind: "compressor", name: "Compressor", maxInputs: -1, instrument: false, bufferSlots: [] },
      { index: 6, kind: "panner", name: "Panner", maxInputs: -1, instrument: false, bufferSlots: [] },
      { index: 7, kind: "mixer", name: "Mixer", maxInputs: -1, instrument: false, bufferSlots: [] },
      { index: 8, kind: "reverb", name: "Reverb", maxInputs: -1, instrument: false, bufferSlots: [] },
      { index: 9, kind: "delay", name: "Delay", maxInputs: -1, instrument: false, bufferSlots: [] },
      { index: 10, kind: "constant", name: "Constant", maxInputs: 0, instrument: false, bufferSlots: [] },
      { index: 11, kind: "synth", name: "Synth", maxInputs: 0, instrument: true, bufferSlots: [] },
      {
        index: 12,
        kind: "playback_warp",
        name: "Warped playback",
        maxInputs: 0,
        instrument: false,
        bufferSlots: [
          ["data"],
          ["warp", "warp_map"],
          ["markers", "warp_markers"],
          ["clips", "clip_positions"],
        ],
      },
    ]);
  });

  it("reads the choice aliases, which the filter's mode and the oscillator's waveform have", () => {
    const aliased = engine.types.flatMap((type) =>
      type.params
        .filter((p) => p.choiceAliases !== null)
        .map((p) => [`${type.kind}.${p.id}`, p.choiceAliases]),
    );
    expect(aliased).toEqual([
      ["oscillator.waveform", { sawtooth: "saw" }],
      [
        "filter.mode",
        {
          low: "lowpass",
          high: "highpass",
          band: "bandpass",
          low_shelf: "lowshelf",
          high_shelf: "highshelf",
        },
      ],
    ]);
  });

  it("names an existing choice with every alias", () => {
    for (const type of engine.types) {
      for (const param of type.params) {
        for (const [alias, choice] of Object.entries(param.choiceAliases ?? {})) {
          expect(param.choices, `${type.kind}.${param.id}: ${alias}`).toContain(choice);
          expect(param.choices, `${type.kind}.${param.id}: ${alias} shadows a choice`).not.toContain(alias);
        }
      }
    }
  });
});

/** A one-type table in a memory of its own, with one choice parameter and the given encodings. */
function fakeTable(bufferSlots: string, choiceAliases: string, presets = ""): ProcessorTableExports {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const bytes = new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  let next = 1024;
  const string = (text: string) => {
    if (text === "") return 0;
    const at = next;
    for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
    bytes[at + text.length] = 0;
    next += text.length + 1;
    return at;
  };
  // One ParamSpec at 64, laid out as wasm/src/abi.cpp's static_asserts state.
  const spec = 64;
  view.setUint32(spec + 0, string("mode"), true);
  view.setUint32(spec + 4, string("Mode"), true);
  view.setUint32(spec + 8, string(""), true);
  view.setFloat32(spec + 12, 0, true);
  view.setFloat32(spec + 16, 1, true);
  view.setFloat32(spec + 20, 1, true);
  view.setUint8(spec + 24, 1);
  view.setUint32(spec + 28, string("a|b"), true);
  view.setUint32(spec + 32, string(choiceAliases), true);
  const kind = string("fake");
  const name = string("Fake");
  const slots = string(bufferSlots);
  const presetText = string(presets);
  return {
    memory,
    wd_type_count: () => 1,
    wd_type_kind: () => kind,
    wd_type_name: () => name,
    wd_type_max_inputs: () => 2,
    wd_type_param_count: () => 1,
    wd_type_param: () => spec,
    wd_type_instrument: () => 1,
    wd_type_buffer_slots: () => slots,
    wd_type_presets: () => presetText,
    wd_type_internal: () => 0,
  };
}

describe("the table encodings", () => {
  it("splits buffer slots on '|' and their names on ','; aliases on '|' and '='", () => {
    const [type] = readProcessorTypes(fakeTable("main,data|side|x,y,z", "first=a|second=b"));
    expect(type).toEqual({
      index: 0,
      kind: "fake",
      name: "Fake",
      maxInputs: 2,
      instrument: true,
      bufferSlots: [["main", "data"], ["side"], ["x", "y", "z"]],
      presets: [],
      params: [
        {
          id: "mode",
          name: "Mode",
          units: "",
          min: 0,
          max: 1,
          default: 1,
          discrete: true,
          choices: ["a", "b"],
          choiceAliases: { first: "a", second: "b" },
        },
      ],
    });
  });

  it("reads a null pointer as no buffer slots and no aliases", () => {
    const [type] = readProcessorTypes(fakeTable("", ""));
    expect(type?.bufferSlots).toEqual([]);
    expect(type?.params[0]?.choiceAliases).toBeNull();
  });

  it("refuses a malformed alias instead of guessing", () => {
    expect(() => readProcessorTypes(fakeTable("", "first=a|second"))).toThrow(
      'engine.wasm: malformed choice alias "second" of fake.mode',
    );
    expect(() => readProcessorTypes(fakeTable("", "=a"))).toThrow('malformed choice alias "=a"');
  });

  it("reads C strings without TextDecoder, and a null pointer as empty", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    new Uint8Array(memory.buffer).set([104, 105, 0], 8);
    expect(readCString(memory, 8)).toBe("hi");
    expect(readCString(memory, 0)).toBe("");
  });
});

describe("presets", () => {
  it("reads 'Name:id=value,...|...' with choice labels as their index; no presets as []", () => {
    const [type] = readProcessorTypes(fakeTable("", "", "Init:|Other:mode=b|Num:mode=0"));
    expect(type?.presets).toEqual([
      { name: "Init", params: {} },
      { name: "Other", params: { mode: 1 } },
      { name: "Num", params: { mode: 0 } },
    ]);
    expect(readProcessorTypes(fakeTable("", ""))[0]?.presets).toEqual([]);
  });

  it("refuses a preset with an unknown id, a value out of range, an unknown label or no name", () => {
    expect(() => readProcessorTypes(fakeTable("", "", "X:cutoff=1"))).toThrow(/unknown parameter "cutoff"/);
    expect(() => readProcessorTypes(fakeTable("", "", "X:mode=2"))).toThrow(/outside its range/);
    expect(() => readProcessorTypes(fakeTable("", "", "X:mode=c"))).toThrow(/outside its range/);
    expect(() => readProcessorTypes(fakeTable("", "", "X:mode=0.5"))).toThrow(/outside its range/);
    expect(() => readProcessorTypes(fakeTable("", "", ":mode=1"))).toThrow(/malformed preset/);
  });

  it("only the synth has presets in the engine's table, and every one parses", () => {
    expect(engine.types.filter((t) => t.presets.length > 0).map((t) => t.kind)).toEqual(["synth"]);
    const synth = engine.types.find((t) => t.kind === "synth");
    expect(synth?.presets.map((p) => p.name)).toEqual(["Init", "Bass", "Pad", "Lead", "Pluck"]);
  });
});
