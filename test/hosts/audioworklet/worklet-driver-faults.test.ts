/**
 * WorkletDriver when the worklet cannot play what it is given (a fake worklet answers as
 * EngineProcessor does): a graph refused for memory rejects with E_LIMIT at the graph's own path, and
 * while the worklet is faulted, loads fail with the reason instead of passing silence off as the
 * graph's sound.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GraphDescriptor, GraphDescriptorSchema, parseContract } from "../../../src/contracts";
import { instantiateEngine } from "../../../src/engine/engine-module";
import { type ProcessorTypeInfo, readProcessorTypes } from "../../../src/engine/processor-types";
import { WorkletDriver } from "../../../src/hosts/audioworklet/worklet-driver";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import type { TypedPort } from "../../../src/protocol/typed-port";
import type { WorkerToWorkletMessage } from "../../../src/protocol/worker-to-worklet";
import type { WorkletToWorkerMessage } from "../../../src/protocol/worklet-to-worker";
import { delayChainGraph } from "../../support/memory";

/** The worklet's side of the control port: `answer` replies to what the driver posts. */
class FakeWorkletPort implements TypedPort<WorkerToWorkletMessage, WorkletToWorkerMessage> {
  onmessage: ((event: MessageEvent<WorkletToWorkerMessage>) => void) | null = null;
  answer: (message: WorkerToWorkletMessage) => void = (message) => {
    if (message.type === "load") this.reply({ type: "loaded", id: message.id });
  };
  postMessage(message: WorkerToWorkletMessage): void {
    queueMicrotask(() => this.answer(message));
  }
  reply(message: WorkletToWorkerMessage): void {
    this.onmessage?.(new MessageEvent("message", { data: message }));
  }
}

const CHAIN: GraphDescriptor = parseContract(GraphDescriptorSchema, delayChainGraph(64, 20));
const SINE: GraphDescriptor = parseContract(GraphDescriptorSchema, {
  version: "v1alpha",
  nodes: [{ name: "osc", node_id: "builtin:oscillator" }],
  output: "osc",
});

let types: readonly ProcessorTypeInfo[];
let port: FakeWorkletPort;
let driver: WorkletDriver;
const isolation = Object.getOwnPropertyDescriptor(globalThis, "crossOriginIsolated");

beforeAll(async () => {
  types = readProcessorTypes(instantiateEngine(await loadEngineModuleFromDisk()));
});

beforeEach(() => {
  Object.defineProperty(globalThis, "crossOriginIsolated", { value: true, configurable: true });
  port = new FakeWorkletPort();
  driver = new WorkletDriver(port, types, 48000, async () => []);
});

afterEach(() => {
  if (isolation) Object.defineProperty(globalThis, "crossOriginIsolated", isolation);
  else Reflect.deleteProperty(globalThis, "crossOriginIsolated");
});

describe("WorkletDriver when the worklet cannot play", () => {
  it("a graph the worklet refuses for memory rejects with E_LIMIT at the node's path under the caller's root", async () => {
    await driver.load(SINE);
    port.answer = (message) => {
      if (message.type === "load") {
        port.reply({ type: "load-failed", id: message.id, message: "the graph needs …", limitNode: 20 });
      }
    };
    await expect(driver.load(CHAIN, "load_graph.graph")).rejects.toMatchObject({
      code: "E_LIMIT",
      path: "load_graph.graph.nodes[20]",
      message: "E_LIMIT at load_graph.graph.nodes[20]: the graph needs …",
    });
    await expect(driver.load(CHAIN, "node_graph")).rejects.toMatchObject({ path: "node_graph.nodes[20]" });
    expect(driver.loadedGraph).toBe(SINE);
  });

  it("while the worklet is faulted, loads fail with the reason; after a restart they load again", async () => {
    port.reply({ type: "fault", id: 0, message: "unreachable" });
    expect(driver.fault).toBe("unreachable");
    await expect(driver.load(SINE)).rejects.toMatchObject({
      code: "E_RENDER",
      message: "E_RENDER: the engine faulted (unreachable) and outputs silence until restart()",
    });
    port.reply({ type: "restarted", id: 0 });
    expect(driver.fault).toBeNull();
    await driver.load(SINE);
    expect(driver.loadedGraph).toBe(SINE);
  });
});
