import { describe, expect, it } from "vitest";
import { DiscoveryCache, ManualClock } from "../../src/api/index";
import {
  EXAMPLE_PLUGIN_DISCOVERY_RESULT,
  type PluginDiscoveryResult,
  PluginDiscoveryResultSchema,
  parseContract,
} from "../../src/contracts";

/** A scan that counts its calls and returns discovery-<n>. */
function countingScan() {
  let calls = 0;
  const scan = async (): Promise<PluginDiscoveryResult> => {
    calls++;
    return parseContract(PluginDiscoveryResultSchema, {
      ...EXAMPLE_PLUGIN_DISCOVERY_RESULT,
      discovery_id: `discovery-${calls}`,
    });
  };
  return { scan, calls: () => calls };
}

describe("DiscoveryCache", () => {
  it("reuses a result until it is ttlMs old", async () => {
    const clock = new ManualClock();
    const cache = new DiscoveryCache({ ttlMs: 1000, clock });
    const { scan, calls } = countingScan();
    expect((await cache.get(scan)).discovery_id).toBe("discovery-1");
    clock.advance(999);
    expect((await cache.get(scan)).discovery_id).toBe("discovery-1");
    clock.advance(1);
    expect((await cache.get(scan)).discovery_id).toBe("discovery-2");
    expect(calls()).toBe(2);
  });

  it("honours a per-call maxAgeMs; 0 always rescans", async () => {
    const clock = new ManualClock();
    const cache = new DiscoveryCache({ ttlMs: 60_000, clock });
    const { scan } = countingScan();
    await cache.get(scan);
    clock.advance(500);
    expect((await cache.get(scan, 501)).discovery_id).toBe("discovery-1");
    expect((await cache.get(scan, 500)).discovery_id).toBe("discovery-2");
    expect((await cache.get(scan, 0)).discovery_id).toBe("discovery-3");
  });

  it("rescans after invalidate()", async () => {
    const cache = new DiscoveryCache({ clock: new ManualClock() });
    const { scan } = countingScan();
    await cache.get(scan);
    cache.invalidate();
    expect((await cache.get(scan)).discovery_id).toBe("discovery-2");
  });

  it("shares one scan between concurrent callers", async () => {
    const cache = new DiscoveryCache({ clock: new ManualClock() });
    const { scan, calls } = countingScan();
    const [a, b] = await Promise.all([cache.get(scan), cache.get(scan)]);
    expect(a).toBe(b);
    expect(calls()).toBe(1);
  });

  it("does not cache a scan that was in flight when invalidated", async () => {
    const cache = new DiscoveryCache({ clock: new ManualClock() });
    const { scan } = countingScan();
    const stale = cache.get(scan);
    cache.invalidate();
    const fresh = cache.get(scan);
    expect((await stale).discovery_id).toBe("discovery-1");
    expect((await fresh).discovery_id).toBe("discovery-2");
    expect((await cache.get(scan)).discovery_id).toBe("discovery-2");
  });

  it("does not cache a failed scan", async () => {
    const cache = new DiscoveryCache({ clock: new ManualClock() });
    const failing = () => {
      throw new Error("scan failed");
    };
    await expect(cache.get(failing)).rejects.toThrow("scan failed");
    const { scan } = countingScan();
    expect((await cache.get(scan)).discovery_id).toBe("discovery-1");
  });
});
