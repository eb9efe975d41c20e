/**
 * EngineSlot, the AudioWorklet's engine and graph (src/hosts/audioworklet/engine-slot.ts), in Node:
 * a graph change never leaves a half-built graph playing, a graph that cannot fit is refused before
 * any memory is taken, and a failed allocation swaps the instance for a fresh one that plays the
 * previous graph again, sample for sample as a fresh engine would.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { engineMemory, scatterMemoryForTesting } from "../../../src/engine/graph-memory";
import type { GraphProgram } from "../../../src/engine/graph-program";
import { RealtimeEngine } from "../../../src/engine/realtime-engine";
import type { WasmEngine } from "../../../src/engine/wasm-engine";
import { EngineSlot } from "../../../src/hosts/audioworklet/engine-slot";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import { delayChainProgram, delayLineFrames, holdMemory } from "../../support/memory";
import { newEngine, renderProgram } from "../../support/render";

const MiB = 2 ** 20;
let module: WebAssembly.Module;

beforeAll(async () => {
  module = await loadEngineModuleFromDisk();
});

/** A saw through a delay: its output depends on the delay's state, so a rebuilt graph shows. */
function sawEcho(frequency: number): GraphProgram {
  return {
    nodes: [
      { kind: "oscillator", inputs: [], params: { frequency, waveform: 1 } },
      { kind: "delay", inputs: [0], params: { time: 5, dry: 1, wet: 0.5 } },
    ],
    output: 1,
  };
}

/** The next `frames` frames the slot's engine plays, 128 at a time. */
function play(engine: WasmEngine, frames: number): Float32Array {
  const out = new Float32Array(frames);
  for (let done = 0; done < frames; done += 128) {
    expect(engine.render(128)).toBe(128);
    out.set(engine.outputChannel(0).subarray(0, 128), done);
  }
  return out;
}

async function reference(program: GraphProgram, frames: number): Promise<Float32Array> {
  return (await renderProgram(program, frames))[0] as Float32Array;
}

describe("EngineSlot", () => {
  it("builds a new graph beside the playing one and plays it as a fresh engine would", async () => {
    const slot = new EngineSlot(module, 48000, 128);
    slot.start(sawEcho(220), []);
    play(slot.engine, 1280);
    const before = slot.engine;
    expect(slot.load(sawEcho(330), [])).toEqual({ loaded: true });
    expect(slot.engine).not.toBe(before);
    expect(slot.engine.exports).toBe(before.exports); // the same instance
    expect(slot.nodeCount).toBe(2);
    expect(play(slot.engine, 4096)).toEqual(await reference(sawEcho(330), 4096));
  });

  it("refuses a graph over graphMemoryBytes and plays on untouched", async () => {
    const slot = new EngineSlot(module, 48000, 128);
    slot.start(sawEcho(220), []);
    const first = play(slot.engine, 1280);
    const engine = slot.engine;
    const outcome = slot.load(delayChainProgram(64, 20), []);
    expect(outcome).toMatchObject({ loaded: false, limitNode: 20 });
    expect(outcome.loaded || outcome.message).toContain("over the limit graphMemoryBytes");
    expect(slot.engine).toBe(engine);
    const expected = await reference(sawEcho(220), 2560);
    expect(first).toEqual(expected.subarray(0, 1280));
    expect(play(slot.engine, 1280)).toEqual(expected.subarray(1280));
  });

  it("refuses a graph that would not fit even without the playing one, naming what is left", async () => {
    const slot = new EngineSlot(module, 48000, 128);
    slot.start(sawEcho(220), []);
    // What is left: 50 MiB, where the graph needs 8 x 4 delay lines, about 61 MB.
    holdMemory(slot.engine.exports, engineMemory(slot.engine.exports).availableBytes - 50 * MiB);
    const outcome = slot.load(delayChainProgram(8, 4), []);
    expect(outcome).toMatchObject({ loaded: false, limitNode: 4 });
    expect(outcome.loaded || outcome.message).toMatch(/and this engine has \d+ bytes \(\d+\.\d\d MiB\) left/);
    expect(slot.program).toEqual(sawEcho(220));
    expect(play(slot.engine, 1280)).toEqual(await reference(sawEcho(220), 1280));
  });

  it("frees the playing graph first when only one fits, then plays the new one", async () => {
    const slot = new EngineSlot(module, 48000, 128);
    slot.start(delayChainProgram(8, 4), []); // about 61 MB playing
    // Room for one such graph, not two: half of one is left beside it.
    const lines = 8 * 4 * delayLineFrames(48000) * 4;
    holdMemory(slot.engine.exports, engineMemory(slot.engine.exports).availableBytes - lines / 2);
    const next: GraphProgram = {
      nodes: [
        { kind: "oscillator", inputs: [], params: { channels: 8, waveform: 1 } },
        ...delayChainProgram(8, 4).nodes.slice(1),
      ],
      output: 4,
    };
    next.nodes[1] = { kind: "delay", inputs: [0], params: { time: 1, dry: 1 } };
    expect(slot.load(next, [])).toEqual({ loaded: true });
    expect(play(slot.engine, 2048)).toEqual(await reference(next, 2048));
  });

  it("after a failed allocation, a fresh instance plays the previous graph again, as a fresh engine would", async () => {
    const slot = new EngineSlot(module, 48000, 128);
    slot.start(sawEcho(220), []);
    play(slot.engine, 1280);
    const poisoned = slot.engine.exports;
    // Free bytes abound, but in holes smaller than one 64-channel delay's lines.
    scatterMemoryForTesting(poisoned, 100 * MiB);
    const outcome = slot.load(delayChainProgram(64, 1), []);
    expect(outcome).toMatchObject({ loaded: false, previousKept: true });
    expect(outcome.loaded || outcome.message).toBe(
      "engine.wasm ran out of memory: it could not allocate 122880512 bytes (117.19 MiB) more " +
        "(its memory grows to 2147483648 bytes (2.00 GiB) at most); the engine instance was replaced",
    );
    expect(slot.engine.exports).not.toBe(poisoned);
    expect(slot.program).toEqual(sawEcho(220));
    expect(slot.nodeCount).toBe(2);
    // Rebuilt from its program: it starts over, its tails too.
    expect(play(slot.engine, 2048)).toEqual(await reference(sawEcho(220), 2048));
    expect(slot.load(sawEcho(330), [])).toEqual({ loaded: true });
    expect(play(slot.engine, 2048)).toEqual(await reference(sawEcho(330), 2048));
  });
});

describe("RealtimeEngine", () => {
  it("never plays a graph that is not prepared as silence: it throws, and the worklet reports a fault", async () => {
    const engine = await newEngine();
    engine.addNode("oscillator"); // added, never prepared
    const realtime = new RealtimeEngine(engine, 48000);
    realtime.attach(engine, 1);
    realtime.play(-1);
    const outputs = [new Float32Array(128)];
    expect(() => realtime.renderQuantum(outputs, 128)).toThrow(
      "the engine rendered no audio for its 1-node graph (it is not prepared)",
    );
    // With no graph at all, silence is what there is to play.
    realtime.attach(engine, 0);
    realtime.renderQuantum(outputs, 128);
    expect(outputs[0]).toEqual(new Float32Array(128));
  });
});
