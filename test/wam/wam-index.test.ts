import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/contracts";
import { parseJsonAt, wamDescriptorCandidate, wamIndexCandidates } from "../../src/wam/wam-index";

const INDEX = "https://host.example/wam/plugins.json";

describe("wamIndexCandidates (the wam-community plugins.json format)", () => {
  it("resolves each path against the plugins/ folder beside the index and keeps its identity", () => {
    const { candidates, failures } = wamIndexCandidates(
      [
        { identifier: "com.a", name: "A", vendor: "V", path: "a/index.js", category: ["Effect"] },
        { identifier: "com.b", name: "B", path: "b/dist/index.js", description: "" },
      ],
      INDEX,
    );
    expect(candidates).toEqual([
      {
        moduleUrl: "https://host.example/wam/plugins/a/index.js",
        fallback: { identifier: "com.a", name: "A", vendor: "V" },
      },
      {
        moduleUrl: "https://host.example/wam/plugins/b/dist/index.js",
        fallback: { identifier: "com.b", name: "B" },
      },
    ]);
    expect(failures).toEqual([]);
  });

  it("reports an entry without a path at <index>#<position> and keeps the others", () => {
    const { candidates, failures } = wamIndexCandidates(
      [{ identifier: "x" }, { path: "ok/index.js" }, 7],
      INDEX,
    );
    expect(candidates.map((candidate) => candidate.moduleUrl)).toEqual([
      "https://host.example/wam/plugins/ok/index.js",
    ]);
    expect(failures.map((failure) => failure.path)).toEqual([`${INDEX}#0`, `${INDEX}#2`]);
    expect(failures[0]?.error).toBe(`E_SCHEMA: entry 0 of ${INDEX} has no "path" to its module`);
  });

  it("refuses an index that is not an array", () => {
    expect(() => wamIndexCandidates({ plugins: [] }, INDEX)).toThrow(EngineError);
    expect(() => parseJsonAt("{", INDEX)).toThrow(/not JSON/);
  });
});

describe("wamDescriptorCandidate", () => {
  it("loads the index.js beside the descriptor.json", () => {
    expect(
      wamDescriptorCandidate({ identifier: "com.g", name: "G" }, "https://h.example/p/gain/descriptor.json"),
    ).toEqual({
      moduleUrl: "https://h.example/p/gain/index.js",
      fallback: { identifier: "com.g", name: "G" },
    });
    expect(() => wamDescriptorCandidate([1], "https://h.example/d.json")).toThrow(/must be a JSON object/);
  });
});
