/**
 * Non-finite audio from a Faust DSP (docs/reliability.md, "Non-finite audio"): what it outputs is
 * replaced and counted like any node's, and a DSP whose output held a NaN or an infinity is reset,
 * so a value caught in its recursion cannot silence it for good.
 */
import { describe, expect, it } from "vitest";
import { createFaustNode } from "../../src/faust/faust-node";
import { newEngine } from "../support/render";
import { compile, SAMPLE_RATE } from "./support";

/** Renders `compiled` fed by `input` (if any), with parameter steps; returns output and counts. */
async function renderCounted(
  source: string,
  frames: number,
  options: { input?: Float32Array; steps?: [string, number, number][] } = {},
) {
  const compiled = await compile(source);
  const engine = await newEngine(SAMPLE_RATE);
  const node = engine.addExternalNode(
    createFaustNode(compiled),
    compiled.layout.numOutputs,
    compiled.layout.params,
  );
  if (options.input !== undefined) {
    const playback = engine.addNode("playback");
    engine.setNodeBuffer(playback, 0, engine.createBuffer([options.input], SAMPLE_RATE));
    engine.addInput(node, playback);
  }
  for (const [id, frame, value] of options.steps ?? []) engine.addParamStep(node, id, frame, value);
  engine.prepare(node);
  engine.clearNonFinite();
  const output = new Float32Array(frames);
  for (let done = 0; done < frames; ) {
    const n = engine.render(Math.min(4096, frames - done));
    output.set(engine.outputChannel(0).subarray(0, n), done);
    done += n;
  }
  const counts = { samples: engine.nonFiniteSamples(), firstFrame: engine.nonFiniteFirstFrame() };
  engine.destroy();
  return { output, counts };
}

describe("a Faust DSP that produces NaN or infinity", () => {
  it("dividing by zero: every infinite sample is counted and played as 0", async () => {
    const { output, counts } = await renderCounted('process = 1 / hslider("d", 0, 0, 1, 0.5);', 9600, {
      steps: [["/webdreamer/d", 4800, 0.5]],
    });
    expect(counts).toEqual({ samples: 4800, firstFrame: 0 });
    expect(output.subarray(0, 4800).every((x) => x === 0)).toBe(true);
    expect(output.subarray(4800).every((x) => x === 2)).toBe(true);
  });

  it("a NaN caught in its recursion: the node is reset at the end of the block and plays on", async () => {
    // y[n] = x[n] + 0.5 y[n-1], fed a constant 1 with one NaN at frame 10000.
    const input = new Float32Array(48000).fill(1);
    input[10_000] = Number.NaN;
    const { output, counts } = await renderCounted("process = + ~ *(0.5);", 48000, { input });
    // From the NaN to the end of its 128-frame block; then the DSP starts again from silence.
    expect(counts).toEqual({ samples: 10_112 - 10_000, firstFrame: 10_000 });
    expect(output[47_999]).toBe(2);
  });
});
