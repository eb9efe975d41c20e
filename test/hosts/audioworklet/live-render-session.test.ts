/**
 * LiveRenderSession with monitoring on: a live render turns monitoring off while it holds the
 * transport, so nothing renders between the graph's load and its play (an oscillator's phase would
 * move, and the capture would no longer equal the offline render), and puts it back at the end.
 */
import { describe, expect, it } from "vitest";
import { createDataPlane } from "../../../src/dataplane/data-plane";
import { applyGraphProgram, type GraphProgram } from "../../../src/engine/graph-program";
import { RealtimeEngine } from "../../../src/engine/realtime-engine";
import { ENGINE_OUTPUT } from "../../../src/hosts/audioworklet/live-capture-tap";
import { LiveRenderSession } from "../../../src/hosts/audioworklet/live-render-session";
import { newEngine, renderProgram } from "../../support/render";

const SR = 48000;
const program: GraphProgram = {
  nodes: [{ kind: "oscillator", inputs: [], params: { frequency: 440 } }],
  output: 0,
};

describe("a live render while monitoring", () => {
  it("holds monitoring off from hold to release: the quanta between hold and arm are silent, the capture equals the offline render", async () => {
    const engine = await newEngine(SR, 128);
    applyGraphProgram(engine, program);
    const realtime = new RealtimeEngine(engine, SR);
    realtime.attach(engine, 1);
    realtime.setMonitoring(true, -1);
    const session = new LiveRenderSession();
    const outputs = [new Float32Array(128)];

    const held = session.hold(realtime, realtime);
    expect(held.running).toBe(false);
    expect(realtime.monitoring).toBe(false);
    // The Worker loads the render's graph, then arms: the quanta in between render nothing.
    for (let q = 0; q < 10; q++) realtime.renderQuantum(outputs, 128);
    expect(outputs[0]?.every((x) => x === 0)).toBe(true);

    const frames = 1024;
    const ring = createDataPlane({ isolated: true }).createRing(Float32Array, 4096);
    session.arm(
      {
        type: "live-arm",
        id: 1,
        ring: ring.remote,
        sources: [ENGINE_OUTPUT],
        frames,
        skipFrames: 0,
        maxChannels: 1,
        startFrame: 0,
      },
      engine,
      realtime,
      realtime,
      null,
      { channels: 1, isGraphOutput: false },
    );
    const captured = new Float32Array(frames);
    for (let q = 0; session.capturing; q++) {
      realtime.renderQuantum(outputs, 128);
      captured.set(outputs[0] as Float32Array, q * 128);
      session.endQuantum(outputs, realtime, realtime, engine, null);
    }
    const offline = (await renderProgram(program, frames))[0] as Float32Array;
    expect(Array.from(captured)).toEqual(Array.from(offline));

    session.release(realtime, realtime);
    expect(realtime.monitoring).toBe(true);
    expect(realtime.running).toBe(false);
  });
});
