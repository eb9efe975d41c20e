/**
 * Faust discovery roots in Node.js: a folder of .dsp files (faust-folder) and .dsp files under a URL
 * (faust-url, served here by a local HTTP server), each with one good and one bad DSP. The good one is
 * listed with its file and plays in a graph right after discovery; the bad one is a failure naming it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineClient, FaustCompiling } from "../../src/api/engine-client";
import { PluginDiscoveryResultSchema, parseContract } from "../../src/contracts";
import { createEngine } from "../../src/create-engine";

const GOOD = 'declare name "halfgain"; process = *(0.5);';
const BAD = "process = this is not faust;";

let folder: string;
let server: Server;
let base: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "webdreamer-dsp-"));
  mkdirSync(join(folder, "nested"));
  writeFileSync(join(folder, "nested", "half.dsp"), GOOD);
  writeFileSync(join(folder, "broken.dsp"), BAD);
  writeFileSync(join(folder, "notes.txt"), "not a dsp");
  const files: Record<string, string> = {
    "/dsp/half.dsp": GOOD,
    "/dsp/broken.dsp": BAD,
    "/dsp/index.json": JSON.stringify(["half.dsp", "broken.dsp", "missing.dsp"]),
  };
  server = createServer((request, response) => {
    const body = files[request.url ?? ""];
    response.statusCode = body === undefined ? 404 : 200;
    response.end(body ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Renders `nodeId` fed by a constant 1 and returns its first sample. */
async function firstSample(engine: EngineClient, nodeId: string): Promise<number> {
  const result = await engine.render({
    version: "v1alpha",
    request_id: "root-node",
    node_graph: {
      version: "v1alpha",
      nodes: [
        { name: "one", node_id: "builtin:constant", params: { offset: 1 } },
        { name: "dsp", node_id: nodeId, inputs: ["one"] },
      ],
      output: "dsp",
    },
    duration_seconds: 0.01,
    sample_rate: 48000,
    channels: 1,
  });
  expect(result.status, result.error ?? "").toBe("ok");
  const [channel] = await engine.readBuffer(result.buffer_handle ?? "");
  return channel?.[0] ?? Number.NaN;
}

describe("Faust discovery roots (in-process host)", () => {
  it("faust-folder: lists the good .dsp (usable in a graph at once) and reports the bad one", async () => {
    const engine: EngineClient & FaustCompiling = await createEngine({
      discoveryRoots: [{ kind: "faust-folder", folder }],
    });
    try {
      const result = await engine.discoverNodes();
      expect(() => parseContract(PluginDiscoveryResultSchema, result)).not.toThrow();
      const faust = result.nodes.filter((node) => node.format === "faust");
      expect(faust.map((node) => [node.name, node.extensions.module_url])).toEqual([
        ["halfgain", join(folder, "nested", "half.dsp")],
      ]);
      const failures = result.extensions.failures ?? [];
      expect(failures.map((failure) => failure.path)).toEqual([join(folder, "broken.dsp")]);
      expect(failures[0]?.error).toMatch(/^E_SCHEMA .*Faust compile error/);
      expect(result.scanned_paths).toEqual(
        expect.arrayContaining([folder, join(folder, "broken.dsp"), join(folder, "nested", "half.dsp")]),
      );
      expect(await firstSample(engine, faust[0]?.node_id ?? "")).toBe(0.5);
    } finally {
      await engine.close();
    }
  });

  it("faust-url: lists files from <url>/index.json; a missing file and a bad one are failures", async () => {
    const engine = await createEngine();
    try {
      await engine.addDiscoveryRoot({ kind: "faust-url", url: `${base}/dsp` });
      const result = await engine.discoverNodes();
      const faust = result.nodes.filter((node) => node.format === "faust");
      expect(faust.map((node) => node.extensions.module_url)).toEqual([`${base}/dsp/half.dsp`]);
      expect(
        (result.extensions.failures ?? []).map((failure) => [failure.path, failure.error.slice(0, 40)]),
      ).toEqual([
        [`${base}/dsp/broken.dsp`, "E_SCHEMA at source: Faust compile error "],
        [`${base}/dsp/missing.dsp`, `E_PLUGIN_LOAD: ${base}/dsp/missing.dsp`.slice(0, 40)],
      ]);
      expect(await firstSample(engine, faust[0]?.node_id ?? "")).toBe(0.5);
    } finally {
      await engine.close();
    }
  });

  it("faust-url with an explicit file list, and a root without index.json failing whole", async () => {
    const engine = await createEngine({
      discoveryRoots: [
        { kind: "faust-url", url: `${base}/dsp/`, files: ["half.dsp"] },
        { kind: "faust-url", url: `${base}/elsewhere/` },
      ],
    });
    try {
      const result = await engine.discoverNodes();
      expect(result.nodes.filter((node) => node.format === "faust")).toHaveLength(1);
      expect(result.extensions.failures).toEqual([
        {
          path: `faust-url:${base}/elsewhere/`,
          error: `E_PLUGIN_LOAD: ${base}/elsewhere/index.json: HTTP 404`,
        },
      ]);
    } finally {
      await engine.close();
    }
  });

  it("a WAM root is a failure in Node.js naming the browser hosts", async () => {
    const engine = await createEngine({
      discoveryRoots: [{ kind: "wam-index", url: `${base}/plugins.json` }],
    });
    try {
      const [failure] = (await engine.discoverNodes()).extensions.failures ?? [];
      expect(failure?.path).toBe(`wam-index:${base}/plugins.json`);
      expect(failure?.error).toMatch(
        /^E_HOST_UNAVAILABLE: WAM plugins load in a browser page .*worker and audioworklet hosts/,
      );
    } finally {
      await engine.close();
    }
  });
});
