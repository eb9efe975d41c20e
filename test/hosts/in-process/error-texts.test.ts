/**
 * The error-texts suite (test/api/error-texts-suite.ts) against the Node hosts: the in-process host
 * (with Faust, as createEngine makes it) and the test double. The Worker and AudioWorklet hosts run
 * it in Chromium (e2e/error-texts.spec.ts).
 */
import { describe, expect, it } from "vitest";
import { EngineError } from "../../../src/contracts";
import { createEngine } from "../../../src/index";
import { TestDoubleEngineClient } from "../../../src/testing/test-double";
import { describeErrorTexts, expectNamedOnce } from "../../api/error-texts-suite";

describeErrorTexts("in-process", () => createEngine({ host: "in-process", sampleRate: 48000 }), {
  compilesFaust: true,
  liveRenders: "refused",
});

describeErrorTexts("test double", async () => new TestDoubleEngineClient({ sampleRate: 48000 }), {
  compilesFaust: false,
  liveRenders: "played",
  failureExtensions: { test_double_fault: "the stand-in engine failed" },
});

describe("expectNamedOnce", () => {
  it("fails on a doubled prefix, a wrapped EngineError and a missing prefix; passes a path with a colon", () => {
    const fails = (text: string) => {
      let failed = false;
      try {
        expectNamedOnce(text, "E_RENDER");
      } catch {
        failed = true;
      }
      return failed;
    };
    expect(fails("E_RENDER: E_RENDER: engine error 3")).toBe(true);
    expect(fails("E_RENDER: EngineError: E_LIMIT at x: too big")).toBe(true);
    expect(fails("E_RENDER: the worklet could not load it: E_LIMIT at node_graph: too big")).toBe(true);
    expect(fails("engine error 3")).toBe(true);
    expect(fails(new EngineError("E_RENDER", "engine error 3").message)).toBe(false);
    expect(
      fails(
        new EngineError("E_RENDER", "mentions E_HOST_UNAVAILABLE by name", 'buffers["buf:1"].path').message,
      ),
    ).toBe(false);
  });
});
