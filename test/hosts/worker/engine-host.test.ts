/**
 * The Worker host's cancel path in Node: EngineHost (what the engine Worker exposes over Comlink)
 * around an in-process client. cancelRender() during a long preroll must reach the render loop,
 * which yields during the preroll (docs/reliability.md, "Liveness"); the browser Worker itself is
 * tested in e2e/worker-host.spec.ts. Timing is measured in CPU time, as in
 * test/hosts/in-process/liveness.test.ts and for the same reason.
 */
import { describe, expect, it } from "vitest";
import type { RenderRequestInput } from "../../../src/contracts";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../../src/hosts/in-process/in-process-client";
import { EngineHost } from "../../../src/hosts/worker/engine-host";

const SR = 48000;

const longPreroll: RenderRequestInput = {
  version: "v1alpha",
  request_id: "host-preroll",
  node_graph: {
    version: "v1alpha",
    nodes: [
      ...Array.from({ length: 12 }, (_, i) => ({
        name: `osc${i}`,
        node_id: "builtin:oscillator",
        params: { frequency: 55 * 2 ** (i / 12), waveform: "saw" },
      })),
      { name: "mix", node_id: "builtin:mixer", inputs: Array.from({ length: 12 }, (_, i) => `osc${i}`) },
      { name: "room", node_id: "builtin:reverb", inputs: ["mix"] },
    ],
    output: "room",
  },
  duration_seconds: 1,
  start_position_seconds: 600,
  sample_rate: SR,
  channels: 2,
  options: { offline: true, preroll: 600 },
};

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

describe("EngineHost.cancelRender", () => {
  it("cancels a render during its preroll at once: partial, 0 frames", async () => {
    const host = new EngineHost(new InProcessEngineClient({ module: await loadEngineModuleFromDisk() }));
    const rendering = host.render(longPreroll, "r1", false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const cancelledAt = cpuMs();
    host.cancelRender("r1");
    const result = await rendering;
    const cpu = cpuMs() - cancelledAt;
    expect(result).toMatchObject({
      ok: true,
      value: { status: "partial", frames: 0, error: `E_CANCELLED: render cancelled after 0 of ${SR} frames` },
    });
    expect(cpu).toBeLessThan(100);
    expect(await host.close()).toEqual({ ok: true, value: undefined });
  });

  it("close() during a preroll answers the render with E_CLOSED", async () => {
    const host = new EngineHost(new InProcessEngineClient({ module: await loadEngineModuleFromDisk() }));
    const rendering = host.render(longPreroll, "r2", false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closedAt = cpuMs();
    const closing = host.close();
    const result = await rendering;
    expect(cpuMs() - closedAt).toBeLessThan(100);
    expect(result).toMatchObject({ ok: false, error: { code: "E_CLOSED" } });
    expect(await closing).toEqual({ ok: true, value: undefined });
  });
});
