/**
 * The same noisy, reverberant, feedback request renders the same samples however many renders run
 * at once: several renders in flight on one in-process client, and several clients rendering at the
 * same time (each with its own engines). Chromium's hosts are held to the same samples in
 * e2e/cross-host.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type EngineClient } from "../../src/index";
import { noisyRequest } from "../support/noisy-request";
import { maxAbsDifference, peak } from "../support/signal";

let reference: Float32Array[];
const clients: EngineClient[] = [];

async function render(client: EngineClient, id: string): Promise<Float32Array[]> {
  const result = await client.render(noisyRequest(id));
  expect(result.status).toBe("ok");
  const channels = await client.readBuffer(result.buffer_handle as string);
  await client.releaseBuffer(result.buffer_handle as string);
  return channels;
}

beforeAll(async () => {
  const solo = await createEngine({ host: "in-process" });
  reference = await render(solo, "reference");
  await solo.close();
});

afterAll(async () => {
  for (const client of clients) await client.close();
});

describe("renders at once render what one render alone does", () => {
  it("the reference is not silence and not trivially repetitive", () => {
    expect(reference[0]).toHaveLength(120000);
    expect(peak(reference[0] as Float32Array)).toBeGreaterThan(0.05);
    expect(maxAbsDifference(reference[0] as Float32Array, reference[1] as Float32Array)).toBeGreaterThan(
      0.01,
    );
  });

  it("six renders in flight on one client", async () => {
    const client = await createEngine({ host: "in-process" });
    clients.push(client);
    const renders = await Promise.all(
      Array.from({ length: 6 }, (_, i) => render(client, `same-client-${i}`)),
    );
    for (const channels of renders)
      for (let c = 0; c < 2; c++)
        expect(maxAbsDifference(channels[c] as Float32Array, reference[c] as Float32Array)).toBe(0);
  });

  it("four clients rendering at the same time, at two block sizes", async () => {
    const started = await Promise.all(
      [64, 128, 128, 512].map((blockSize) => createEngine({ host: "in-process", blockSize })),
    );
    clients.push(...started);
    const renders = await Promise.all(started.map((client, i) => render(client, `client-${i}`)));
    for (const channels of renders)
      for (let c = 0; c < 2; c++)
        expect(maxAbsDifference(channels[c] as Float32Array, reference[c] as Float32Array)).toBe(0);
  });
});
