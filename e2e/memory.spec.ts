import { expect, type Page, test } from "@playwright/test";

import { createEngine } from "../src/index";
import { sineGraph } from "../test/support/memory";
import { estimateFrequency, maxAbsDifference, peak } from "../test/support/signal";
import type { MemoryApi } from "./pages/memory";

// The out-of-memory graph (a 64-channel oscillator into 20 delays) in the browser hosts: it
// is refused with E_LIMIT before any memory is taken, and nothing is poisoned: valid graphs then
// play, sample for sample as they would have.

async function call<K extends keyof MemoryApi>(
  page: Page,
  name: K,
  ...args: Parameters<MemoryApi[K]>
): Promise<Awaited<ReturnType<MemoryApi[K]>>> {
  return page.evaluate(
    ([n, a]) =>
      (window as unknown as { memory: Record<string, (...x: unknown[]) => unknown> }).memory[n]?.(...a),
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<MemoryApi[K]>>>;
}

const OVER_THE_LIMIT =
  /^E_LIMIT at (load_graph\.graph|node_graph)\.nodes\[20\]: the graph needs an estimated \d+ bytes \(2\.\d\d GiB\) of engine memory, over the limit graphMemoryBytes = 1073741824 bytes \(1\.00 GiB\); the node that needs the most \(a delay\) takes \d+ bytes/;

test.describe("engine memory in the browser hosts", () => {
  test.setTimeout(60_000);

  test("real-time host: the out-of-memory graph is refused, then a sine plays in real time as offline", async ({
    page,
  }) => {
    await page.goto("/e2e/pages/memory.html");
    const { sampleRate, loadError, renderError, faults, playing, realtime, offline } = await call(
      page,
      "realtime",
    );
    // loadGraph is refused by the Worker's check, the real-time render by the worklet's own.
    expect(loadError).toMatchObject({ code: "E_LIMIT", path: "load_graph.graph.nodes[20]" });
    expect(loadError?.message).toMatch(OVER_THE_LIMIT);
    expect(renderError).toMatchObject({ code: "E_LIMIT", path: "node_graph.nodes[20]" });
    expect(renderError?.message).toMatch(OVER_THE_LIMIT);
    expect(faults).toEqual([]);
    expect(playing.status).toBe("ok");
    expect(playing.frames).toBe(sampleRate / 2);
    expect(Math.abs(estimateFrequency(playing.samples, sampleRate) - 440)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(peak(playing.samples) - 1)).toBeLessThanOrEqual(1e-3);
    expect(realtime.status).toBe("ok");
    expect(realtime.frames).toBe(sampleRate / 2);
    expect(Math.abs(estimateFrequency(realtime.samples, sampleRate) - 330)).toBeLessThanOrEqual(0.5);
    expect(maxAbsDifference(realtime.samples, offline.samples)).toBe(0);
  });

  test("Worker host: the out-of-memory graph is refused, then a sine renders as Node renders it", async ({
    page,
  }) => {
    await page.goto("/e2e/pages/memory.html");
    const { loadError, renderError, sine } = await call(page, "worker", 48000);
    expect(loadError).toMatchObject({ code: "E_LIMIT", path: "load_graph.graph.nodes[20]" });
    expect(loadError?.message).toMatch(OVER_THE_LIMIT);
    expect(renderError).toMatchObject({ code: "E_LIMIT", path: "node_graph.nodes[20]" });
    expect(sine.status).toBe("ok");
    const node = await createEngine({ host: "in-process", sampleRate: 48000 });
    const expected = await node.render({
      version: "v1alpha",
      request_id: "node",
      node_graph: sineGraph(440),
      duration_seconds: 0.5,
      sample_rate: 48000,
      channels: 1,
    });
    const [channel] = await node.readBuffer(expected.buffer_handle as string);
    await node.close();
    expect(sine.frames).toBe(24000);
    expect(maxAbsDifference(sine.samples, channel as Float32Array)).toBe(0);
  });
});
