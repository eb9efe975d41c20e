/**
 * The test double's catalog (src/testing/builtin-catalog.json) must be the NodeDescriptors the engine
 * itself produces. To regenerate it after changing a processor:
 *
 *   UPDATE_SNAPSHOTS=1 npx vitest run test/testing/builtin-catalog.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NodeDescriptorSchema, parseContract } from "../../src/contracts";
import { builtinDescriptors } from "../../src/engine/builtin-descriptors";
import { instantiateEngine } from "../../src/engine/engine-module";
import { builtinResourceEstimates } from "../../src/engine/node-resources";
import { WasmEngine } from "../../src/engine/wasm-engine";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";
import { TEST_DOUBLE_CATALOG, TestDoubleEngineClient } from "../../src/testing/index";

const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";
const HOW_TO_FIX =
  "run `UPDATE_SNAPSHOTS=1 npx vitest run test/testing/builtin-catalog.test.ts` and commit the result";
const SNAPSHOT = new URL("../../src/testing/builtin-catalog.json", import.meta.url);

// At the double's rate and block size (48 kHz, 128 frames), with the engine's resource estimates.
const engine = new WasmEngine(instantiateEngine(await loadEngineModuleFromDisk()), 48000, 128);
const descriptors = builtinDescriptors(engine.types, builtinResourceEstimates(engine, engine.types));
engine.destroy();

describe("the test double's builtin catalog", () => {
  it("builtin-catalog.json matches the descriptors engine.wasm produces", () => {
    const expected = `${JSON.stringify(descriptors, null, 2)}\n`;
    if (UPDATE) writeFileSync(SNAPSHOT, expected);
    const actual = existsSync(SNAPSHOT) ? readFileSync(SNAPSHOT, "utf8") : "(missing)";
    expect(actual, `src/testing/builtin-catalog.json is out of date: ${HOW_TO_FIX}`).toBe(expected);
  });

  // Skipped while updating: the catalog module imported the snapshot before it was rewritten.
  it.skipIf(UPDATE)("is what the double discovers, as valid NodeDescriptors", async () => {
    const engine = descriptors.map((descriptor) => parseContract(NodeDescriptorSchema, descriptor));
    expect(TEST_DOUBLE_CATALOG).toEqual(engine);
    expect((await new TestDoubleEngineClient().discoverNodes()).nodes).toEqual(engine);
  });
});
