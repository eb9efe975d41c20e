/**
 * Discovery roots through EngineClientBase (with the test double's scanRoot hook): each root's scan is
 * cached on its own with the TTL, invalidated per root or all; a throwing root is one failure; merged
 * results list each node id once.
 */
import { describe, expect, it } from "vitest";
import {
  type DiscoveryRoot,
  discoveryRootKey,
  ManualClock,
  mergeDiscovery,
  type RootScan,
} from "../../src/api/index";
import {
  EngineError,
  type NodeDescriptor,
  PluginDiscoveryResultSchema,
  parseContract,
} from "../../src/contracts";
import { TestDoubleEngineClient } from "../../src/testing/test-double";

const A: DiscoveryRoot = { kind: "wam-index", url: "https://a.example/plugins.json" };
const B: DiscoveryRoot = { kind: "faust-url", url: "https://b.example/dsp/" };

function node(nodeId: string, name = nodeId): NodeDescriptor {
  return {
    version: "v1alpha",
    node_id: nodeId,
    name,
    vendor: null,
    format: "wam",
    supported_sample_rates: [],
    latency_samples: 0,
    resource_estimate: null,
    extensions: {},
  };
}

/** A scanner counting scans per root key; root A lists wam:a, root B wam:b. */
function countingScanner() {
  const counts = new Map<string, number>();
  const scanRoot = (root: DiscoveryRoot): RootScan => {
    const key = discoveryRootKey(root);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const id = key === discoveryRootKey(A) ? "wam:a" : "wam:b";
    return { nodes: [node(id)], scanned_paths: [key], failures: [], elapsed_ms: 1 };
  };
  return { counts, scanRoot };
}

describe("discovery roots", () => {
  it("scans the roots given as options, merges them after the host's nodes, and validates", async () => {
    const { scanRoot } = countingScanner();
    const client = new TestDoubleEngineClient({ discoveryRoots: [A, B], scanRoot });
    const result = await client.discoverNodes();
    expect(() => parseContract(PluginDiscoveryResultSchema, result)).not.toThrow();
    expect(result.nodes.slice(-2).map((n) => n.node_id)).toEqual(["wam:a", "wam:b"]);
    expect(result.scanned_paths).toEqual(["builtin", `wam-index:${A.url}`, `faust-url:${B.url}`]);
    expect(await client.listDiscoveryRoots()).toEqual([A, B]);
  });

  it("rescans only the root invalidated, and every root after invalidateDiscovery()", async () => {
    const { counts, scanRoot } = countingScanner();
    const client = new TestDoubleEngineClient({ discoveryRoots: [A, B], scanRoot, clock: new ManualClock() });
    await client.discoverNodes();
    await client.invalidateDiscovery(A);
    await client.discoverNodes();
    expect([...counts.values()]).toEqual([2, 1]);
    await client.invalidateDiscovery(`faust-url:${B.url}`);
    await client.discoverNodes();
    expect([...counts.values()]).toEqual([2, 2]);
    await client.invalidateDiscovery();
    await client.discoverNodes();
    expect([...counts.values()]).toEqual([3, 3]);
  });

  it("keeps each root's scan for the TTL, and maxAgeMs 0 rescans every root", async () => {
    const clock = new ManualClock();
    const { counts, scanRoot } = countingScanner();
    const client = new TestDoubleEngineClient({ discoveryRoots: [A], scanRoot, clock, discoveryTtlMs: 1000 });
    await client.discoverNodes();
    clock.advance(999);
    await client.discoverNodes();
    expect(counts.get(`wam-index:${A.url}`)).toBe(1);
    clock.advance(1);
    await client.discoverNodes();
    expect(counts.get(`wam-index:${A.url}`)).toBe(2);
    await client.discoverNodes({ maxAgeMs: 0 });
    expect(counts.get(`wam-index:${A.url}`)).toBe(3);
  });

  it("a root added later is scanned at the next discovery; one with the same key replaces it", async () => {
    const { counts, scanRoot } = countingScanner();
    const client = new TestDoubleEngineClient({ scanRoot });
    const first = await client.discoverNodes();
    await client.addDiscoveryRoot(A);
    const second = await client.discoverNodes();
    expect(second.discovery_id).not.toBe(first.discovery_id);
    expect(second.nodes.at(-1)?.node_id).toBe("wam:a");
    await client.addDiscoveryRoot({ ...A });
    await client.discoverNodes();
    expect(counts.get(`wam-index:${A.url}`)).toBe(2);
    expect(await client.listDiscoveryRoots()).toHaveLength(1);
  });

  it("a root whose scan throws is one failure; the others are listed", async () => {
    const client = new TestDoubleEngineClient({
      discoveryRoots: [A, B],
      scanRoot: (root) => {
        if (root.kind === "wam-index")
          throw new EngineError("E_PLUGIN_LOAD", "https://a.example/plugins.json: HTTP 404");
        return { nodes: [node("wam:b")], scanned_paths: ["b"], failures: [], elapsed_ms: 0 };
      },
    });
    const result = await client.discoverNodes();
    expect(result.extensions.failures).toEqual([
      { path: `wam-index:${A.url}`, error: "E_PLUGIN_LOAD: https://a.example/plugins.json: HTTP 404" },
    ]);
    expect(result.nodes.at(-1)?.node_id).toBe("wam:b");
  });

  it("validates the option roots (E_SCHEMA at options.discoveryRoots[i])", () => {
    expect(() => new TestDoubleEngineClient({ discoveryRoots: [A, { kind: "wam-index" } as never] })).toThrow(
      /E_SCHEMA at options\.discoveryRoots\[1\]\.url/,
    );
  });
});

describe("mergeDiscovery", () => {
  const own = parseContract(PluginDiscoveryResultSchema, {
    version: "v1alpha",
    discovery_id: "d-1",
    nodes: [node("builtin:gain"), node("faust:1234", "compiled")],
    scanned_paths: ["builtin", "faust:compiled"],
    elapsed_ms: 1,
    extensions: { failures: [] },
  });

  it("a root's entry replaces the host's own listing of the same id (it says where it came from)", () => {
    const fromRoot = { ...node("faust:1234", "gain.dsp"), extensions: { module_url: "/dsp/gain.dsp" } };
    const merged = mergeDiscovery(
      own,
      [
        {
          key: "faust-url:/dsp/",
          scan: { nodes: [fromRoot], scanned_paths: ["/dsp/"], failures: [], elapsed_ms: 3 },
        },
      ],
      7,
    );
    expect(merged.nodes.map((n) => n.name)).toEqual(["builtin:gain", "gain.dsp"]);
    expect(merged.elapsed_ms).toBe(7);
    expect(merged.discovery_id).toBe("d-1");
  });

  it("two roots with one id: the first stays, the second is a failure unless identical", () => {
    const scan = (name: string): RootScan => ({
      nodes: [node("wam:x", name)],
      scanned_paths: [],
      failures: [],
      elapsed_ms: 0,
    });
    const same = mergeDiscovery(
      own,
      [
        { key: "r1", scan: scan("X") },
        { key: "r2", scan: scan("X") },
      ],
      0,
    );
    expect(same.extensions.failures).toEqual([]);
    const different = mergeDiscovery(
      own,
      [
        { key: "r1", scan: scan("X") },
        { key: "r2", scan: scan("Y") },
      ],
      0,
    );
    expect(different.nodes.filter((n) => n.node_id === "wam:x").map((n) => n.name)).toEqual(["X"]);
    expect(different.extensions.failures).toEqual([
      {
        path: "r2",
        error: 'E_SCHEMA: node_id "wam:x" of root r2 is already listed by root r1; the first stays',
      },
    ]);
    expect(() => parseContract(PluginDiscoveryResultSchema, different)).not.toThrow();
  });
});
