/**
 * The naming rules a graph addresses builtins by, all read from the engine's table: choice labels
 * and their aliases, buffer slot names and numbers, and the descriptor fields they feed.
 */
import { describe, expect, it } from "vitest";
import {
  bufferSlotIndex,
  bufferSlotNames,
  builtinDescriptor,
  choiceIndex,
  findBuiltinType,
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
