/**
 * Engine memory in the in-process host (the Worker host runs the same client): a graph that needs
 * more memory than it may have is refused with E_LIMIT before the engine takes any, a failed
 * allocation past the estimate replaces the engine instance, and nothing is poisoned: the next valid
 * render is sample for sample what a fresh client renders.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { GraphDescriptorInput, RenderRequestInput } from "../../../src/contracts";
import { EngineError } from "../../../src/contracts/errors";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../../src/hosts/in-process/in-process-client";
import { delayChainGraph, delayLineFrames, sineGraph } from "../../support/memory";

const SR = 48000;
const MiB = 2 ** 20;
const LINE_BYTES = 64 * delayLineFrames(SR) * 4; // one delay's lines for 64 channels
let module: WebAssembly.Module;
const clients: InProcessEngineClient[] = [];

beforeAll(async () => {
  module = await loadEngineModuleFromDisk();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function newClient(): InProcessEngineClient {
  const client = new InProcessEngineClient({ module, sampleRate: SR });
  clients.push(client);
  return client;
}

function request(node_graph: GraphDescriptorInput, duration_seconds = 0.25): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "memory",
    node_graph,
    duration_seconds,
    sample_rate: SR,
    channels: 1,
  };
}

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

/** The samples a render leaves behind its handle (status ok expected). */
async function samples(client: InProcessEngineClient, input: RenderRequestInput): Promise<Float32Array> {
  const result = await client.render(input);
  expect(result.status, result.error ?? "").toBe("ok");
  return (await client.readBuffer(result.buffer_handle ?? ""))[0] as Float32Array;
}

describe("a graph that needs more memory than it may have", () => {
  it("is refused with E_LIMIT before the engine takes any; a sine then renders as on a fresh client", async () => {
    const client = newClient();
    const before = client.engineMemory();
    const error = await rejection(client.render(request(delayChainGraph(64, 20))));
    expect(error.code).toBe("E_LIMIT");
    expect(error.path).toBe("node_graph.nodes[20]"); // the last delay: its lines and the output staging
    const estimate = Number(/needs an estimated (\d+) bytes/.exec(error.detail)?.[1]);
    expect(estimate).toBeGreaterThanOrEqual(20 * LINE_BYTES);
    expect(estimate).toBeLessThan(20 * LINE_BYTES * 1.01);
    expect(error.detail).toContain("over the limit graphMemoryBytes = 1073741824 bytes (1.00 GiB)");
    expect(error.detail).toMatch(
      /the node that needs the most \(a delay\) takes \d+ bytes \(118\.\d\d MiB\)$/,
    );
    // Refused before allocating: the engine holds what it held, and its memory never grew.
    const after = client.engineMemory();
    expect(after.inUseBytes).toBe(before.inUseBytes);
    expect(after.availableBytes).toBe(before.availableBytes);
    expect(await samples(client, request(sineGraph()))).toEqual(
      await samples(newClient(), request(sineGraph())),
    );
  });

  it("is refused by loadGraph at load_graph.graph.nodes[i], and the stored graph stays", async () => {
    const client = newClient();
    await client.loadGraph(sineGraph(220));
    const error = await rejection(client.loadGraph(delayChainGraph(64, 20)));
    expect(error.code).toBe("E_LIMIT");
    expect(error.path).toBe("load_graph.graph.nodes[20]");
    expect(error.detail).toContain("over the limit graphMemoryBytes");
    expect(client.loadedGraph()?.nodes[0]?.params).toEqual({ frequency: 220 });
    // Within the limit, the same chain is taken.
    await client.loadGraph(delayChainGraph(64, 4));
    expect(client.loadedGraph()?.nodes).toHaveLength(5);
  });
});

describe("an allocation that fails past the estimate", () => {
  it("replaces the engine instance; the next renders are sample for sample a fresh client's", async () => {
    const client = newClient();
    const ramp = Float32Array.from({ length: 4800 }, (_, i) => i / 4800);
    const kept = await client.uploadBuffer([ramp], SR);
    const playback: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [{ name: "ramp", node_id: "builtin:playback", buffers: { data: kept } }],
      output: "ramp",
    };
    expect(await samples(client, request(playback, 0.1))).toEqual(ramp); // a copy now in the engine
    // Free bytes abound, but in holes smaller than one 64-channel delay's lines (117 MiB).
    client.scatterMemoryForTesting(100 * MiB);
    expect(client.engineMemory().availableBytes).toBeGreaterThan(1500 * MiB);
    const result = await client.render(request(delayChainGraph(64, 1)));
    expect(result.status).toBe("error"); // accepted: the estimate let it through
    expect(result.error).toBe(
      `E_RENDER: engine.wasm ran out of memory: it could not allocate ${LINE_BYTES} bytes (117.19 MiB) more ` +
        "(its memory grows to 2147483648 bytes (2.00 GiB) at most); the engine instance was replaced by a fresh one",
    );
    // A fresh instance: nearly all of its memory is free again.
    expect(client.engineMemory().availableBytes).toBeGreaterThan(2000 * MiB);
    const fresh = newClient();
    expect(await samples(client, request(sineGraph()))).toEqual(await samples(fresh, request(sineGraph())));
    const chain = request(delayChainGraph(64, 1), 0.05);
    expect(await samples(client, chain)).toEqual(await samples(fresh, chain));
    // Buffers held by handle are copied into the new instance when next used.
    expect(await samples(client, request(playback, 0.1))).toEqual(ramp);
  });
});
