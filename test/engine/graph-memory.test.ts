/**
 * What hosts do with the memory estimate (src/engine/graph-memory.ts): refusals name the limit, the
 * estimate and the node that needs the most; a failed allocation traps at once and says how much
 * could not be had, instead of writing over the engine's memory.
 */
import { describe, expect, it } from "vitest";
import {
  describeTrap,
  engineMemory,
  estimateGraphMemory,
  graphMemoryRefusal,
  isEngineTrap,
  memoryLimitError,
  scatterMemoryForTesting,
} from "../../src/engine/graph-memory";
import { applyGraphProgram } from "../../src/engine/graph-program";
import { delayChainProgram, delayLineFrames, holdMemory } from "../support/memory";
import { newEngine } from "../support/render";

const LINE_BYTES = 64 * delayLineFrames(48000) * 4; // one delay's lines for 64 channels at 48 kHz

describe("refusals", () => {
  it("a graph over graphMemoryBytes is refused at the node that needs the most, whatever room there is", async () => {
    const engine = await newEngine();
    const program = delayChainProgram(64, 20);
    const estimate = estimateGraphMemory(engine, program, () => ({ channels: 1, frames: 0 }));
    expect(estimate.bytes).toBeGreaterThanOrEqual(20 * LINE_BYTES);
    expect(estimate.bytes).toBeLessThan(20 * LINE_BYTES * 1.01);
    const room = { availableBytes: Number.POSITIVE_INFINITY, inUseBytes: 0, bufferBytes: 0 };
    const refusal = graphMemoryRefusal(estimate, program, room);
    // The last delay is the output: its lines and the output staging.
    expect(refusal?.node).toBe(20);
    const error = memoryLimitError(refusal ?? { detail: "", node: -1 }, "node_graph", 21);
    expect(error.code).toBe("E_LIMIT");
    expect(error.path).toBe("node_graph.nodes[20]");
    expect(error.detail).toContain(`the graph needs an estimated ${estimate.bytes} bytes (2.29 GiB)`);
    expect(error.detail).toContain("over the limit graphMemoryBytes = 1073741824 bytes (1.00 GiB)");
    expect(error.detail).toContain("the node that needs the most (a delay) takes");
  });

  it("a graph within the limit but not within what the instance has left is refused with both figures", async () => {
    const engine = await newEngine();
    const held = holdMemory(engine.exports, 1600 * 2 ** 20);
    const program = delayChainProgram(64, 4); // about 492 MB
    const estimate = estimateGraphMemory(engine, program, () => ({ channels: 1, frames: 0 }));
    const memory = engineMemory(engine.exports);
    expect(memory.availableBytes).toBeLessThan(estimate.engineBytes);
    const refusal = graphMemoryRefusal(estimate, program, { ...memory, bufferBytes: 0 });
    expect(refusal?.node).toBe(4);
    expect(refusal?.detail).toContain(`the graph needs an estimated ${estimate.engineBytes} bytes`);
    expect(refusal?.detail).toContain(`this engine has ${memory.availableBytes} bytes`);
    expect(refusal?.detail).toContain("engineMemoryBytes = 2147483648 bytes (2.00 GiB)");
    // Buffers still to copy in count with the graph.
    for (const block of held) engine.exports.wd_free(block);
    const free = { ...engineMemory(engine.exports), bufferBytes: 0 };
    expect(graphMemoryRefusal(estimate, program, free)).toBeNull();
    const withBuffers = graphMemoryRefusal(estimate, program, { ...free, bufferBytes: free.availableBytes });
    expect(withBuffers?.detail).toContain(`with ${free.availableBytes} bytes (`);
  });
});

describe("a failed allocation", () => {
  it("traps at once and names the size it could not have, where it used to write over the engine", async () => {
    const engine = await newEngine();
    applyGraphProgram(engine, delayChainProgram(1, 1));
    // Free bytes abound, but in holes smaller than one delay's lines.
    scatterMemoryForTesting(engine.exports, 100 * 2 ** 20);
    const program = delayChainProgram(64, 1);
    const estimate = estimateGraphMemory(engine, program, () => ({ channels: 1, frames: 0 }));
    const room = { ...engineMemory(engine.exports), bufferBytes: 0 };
    expect(graphMemoryRefusal(estimate, program, room)).toBeNull(); // the estimate lets it through
    let caught: unknown;
    try {
      applyGraphProgram(engine, program);
    } catch (error) {
      caught = error;
    }
    expect(isEngineTrap(caught)).toBe(true);
    expect(engine.exports.wd_allocation_failure_bytes()).toBe(LINE_BYTES);
    expect(describeTrap(engine.exports, caught)).toBe(
      `engine.wasm ran out of memory: it could not allocate ${LINE_BYTES} bytes (117.19 MiB) more ` +
        "(its memory grows to 2147483648 bytes (2.00 GiB) at most)",
    );
  });

  it("any other trap is told as the trap it is", async () => {
    const engine = await newEngine();
    let caught: unknown;
    try {
      engine.exports.wd_trap_for_testing();
    } catch (error) {
      caught = error;
    }
    expect(isEngineTrap(caught)).toBe(true);
    expect(isEngineTrap(new Error("a JavaScript error"))).toBe(false);
    expect(describeTrap(engine.exports, caught)).toBe("engine.wasm trapped (unreachable)");
  });
});
