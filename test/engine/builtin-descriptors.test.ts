/**
 * The naming rules a graph addresses builtins by, all read from the engine's table: choice labels
 * and their aliases, buffer slot names and numbers, and the descriptor fields they feed.
 */
import { describe, expect, it } from "vitest";
import { NodeDescriptorSchema } from "../../src/contracts/node-descriptor";
import {
  bufferSlotIndex,
  bufferSlotNames,
  builtinDescriptor,
  choiceIndex,
  findBuiltinType,
  presetParams,
} from "../../src/engine/builtin-descriptors";
import type { ProcessorParamInfo, ProcessorTypeInfo } from "../../src/engine/processor-types";
import { newEngine } from "../support/render";

const engine = await newEngine();
const typeOf = (kind: string) => findBuiltinType(engine.types, `builtin:${kind}`) as ProcessorTypeInfo;
const paramOf = (kind: string, id: string) =>
  typeOf(kind).params.find((p) => p.id === id) as ProcessorParamInfo;

describe("choiceIndex", () => {
  it("takes the engine's labels and DawDreamer's aliases", () => {
    const mode = paramOf("filter", "mode");
    expect(choiceIndex(mode, "lowpass")).toBe(0);
    expect(choiceIndex(mode, "low")).toBe(0);
    expect(choiceIndex(mode, "high")).toBe(1);
    expect(choiceIndex(mode, "band")).toBe(2);
    expect(choiceIndex(mode, "low_shelf")).toBe(5);
    expect(choiceIndex(mode, "high_shelf")).toBe(6);
    expect(choiceIndex(mode, "lo")).toBe(-1);
    expect(choiceIndex(mode, "constructor")).toBe(-1);
    expect(choiceIndex(paramOf("panner", "rule"), "low")).toBe(-1);
  });

  it("lets a real choice win over an alias, and ignores an alias whose target is no choice", () => {
    const param: ProcessorParamInfo = {
      ...paramOf("filter", "mode"),
      choices: ["a", "b"],
      choiceAliases: { b: "a", c: "b", d: "missing" },
    };
    expect(choiceIndex(param, "b")).toBe(1);
    expect(choiceIndex(param, "c")).toBe(1);
    expect(choiceIndex(param, "d")).toBe(-1);
  });
});

describe("buffer slots", () => {
  it("address a slot by any of its names or its number", () => {
    const sampler = typeOf("sampler");
    expect(bufferSlotIndex(sampler, "data")).toBe(0);
    expect(bufferSlotIndex(sampler, "sample")).toBe(0);
    expect(bufferSlotIndex(sampler, "0")).toBe(0);
    expect(bufferSlotIndex(sampler, "1")).toBe(-1);
    expect(bufferSlotIndex(sampler, "00")).toBe(-1);
    expect(bufferSlotIndex(typeOf("playback"), "sample")).toBe(-1);
    expect(bufferSlotIndex(typeOf("oscillator"), "periodic_wave")).toBe(0);
    expect(bufferSlotIndex(typeOf("compressor"), "0")).toBe(-1);
  });

  it("list every accepted name for error messages", () => {
    expect(bufferSlotNames(typeOf("sampler"))).toEqual(["data", "sample", "0"]);
    expect(bufferSlotNames(typeOf("playback"))).toEqual(["data", "0"]);
    expect(bufferSlotNames(typeOf("gain"))).toEqual([]);
  });

  it("appear in descriptors by their canonical names, beside is_instrument", () => {
    expect(builtinDescriptor(typeOf("sampler")).extensions).toEqual({
      input_channels: 0,
      is_instrument: true,
      buffer_slots: ["data"],
    });
    expect(builtinDescriptor(typeOf("filter")).extensions).toEqual({ is_instrument: false });
  });
});

describe("presets", () => {
  const synth = builtinDescriptor(typeOf("synth"));

  it("the synth's descriptor lists its presets, valid against its own parameters", () => {
    const presets = synth.extensions?.presets as { name: string; params: Record<string, number> }[];
    expect(presets.map((p) => p.name)).toEqual(["Init", "Bass", "Pad", "Lead", "Pluck"]);
    expect(presets[0]?.params).toEqual({ gain: 0.4 }); // the defaults, with headroom
    expect(presets[1]?.params).toMatchObject({ osc2_waveform: 2, filter_cutoff: 180, voices: 1 });
    expect(NodeDescriptorSchema.safeParse(synth).success).toBe(true);
    expect(builtinDescriptor(typeOf("filter")).extensions).not.toHaveProperty("presets");
  });

  it("the schema refuses a preset naming an unknown parameter, out of range or twice", () => {
    const withPresets = (presets: unknown) => ({ ...synth, extensions: { ...synth.extensions, presets } });
    const issues = (presets: unknown) => {
      const result = NodeDescriptorSchema.safeParse(withPresets(presets));
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues([{ name: "X", params: { nope: 1 } }])).toEqual([
      "extensions.presets.0.params.nope: is not a parameter of this node",
    ]);
    expect(issues([{ name: "X", params: { voices: 65 } }])).toEqual([
      "extensions.presets.0.params.voices: must be within range [1, 64]",
    ]);
    expect(
      issues([
        { name: "X", params: {} },
        { name: "X", params: {} },
      ]),
    ).toEqual(["extensions.presets.1.name: duplicates a preset"]);
  });

  it("presetParams: every parameter, the defaults with the preset's values over them", () => {
    const bass = presetParams(synth, "Bass");
    expect(Object.keys(bass)).toEqual(synth.parameters?.map((p) => p.id));
    expect(bass).toMatchObject({ filter_cutoff: 180, voices: 1, glide: 40, lfo_rate: 5, gain: 0.35 });
    expect(presetParams(synth, "Init")).toEqual({
      ...Object.fromEntries(synth.parameters?.map((p) => [p.id, p.default]) ?? []),
      gain: 0.4,
    });
    expect(() => presetParams(synth, "Nope")).toThrow(
      'builtin:synth has no preset "Nope" (presets: Init, Bass, Pad, Lead, Pluck)',
    );
  });
});
