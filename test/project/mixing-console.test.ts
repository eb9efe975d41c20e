/**
 * MixingConsole: start-up reads TransportState through the EngineClient, and renderAudio renders
 * through EngineClient.render; no other call reaches the engine. On the test double (the app's
 * tests without audio) and on the in-process engine (the project's real samples).
 */
import { describe, expect, it } from "vitest";
import type { EngineClient } from "../../src/api/engine-client";
import { createEngine } from "../../src/create-engine";
import type { InProcessEngineClient } from "../../src/hosts/in-process/in-process-client";
import { compileProject } from "../../src/project/compile-project";
import { MixingConsole } from "../../src/project/mixing-console";
import { TestDoubleEngineClient, testDoubleSample } from "../../src/testing/test-double";
import { projectSong } from "../support/project-song";

/** `client` with every method call's name recorded, in order. */
function recording(client: EngineClient): { client: EngineClient; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(key));
        return value.apply(target, args);
      };
    },
  });
  return { client: proxy, calls };
}

describe("MixingConsole", () => {
  it("starts from the TransportState and renders through EngineClient.render on the test double", async () => {
    const double = new TestDoubleEngineClient({ sampleRate: 22050, sessionId: "console-test" });
    const { client, calls } = recording(double);
    const mixer = await MixingConsole.open(client, projectSong());
    expect(mixer.state.transport).toMatchObject({
      session_id: "console-test",
      sample_rate: 22050,
      running: false,
    });
    const [left, right] = await mixer.renderAudio(projectSong().project);
    // 2 beats at 120 bpm at the transport's rate: 22050 frames of the double's ramp.
    expect(left?.length).toBe(22050);
    expect([left?.[150], right?.[150], left?.[22049]]).toEqual([
      Math.fround(testDoubleSample(0, 150)),
      Math.fround(testDoubleSample(1, 150)),
      Math.fround(testDoubleSample(0, 22049)),
    ]);
    await mixer.close();
    expect(calls).toEqual([
      "getTransportState",
      "uploadBuffer",
      "uploadBuffer",
      "render",
      "readBuffer",
      "releaseBuffer",
      "releaseBuffer",
      "releaseBuffer",
    ]);
    await double.close();
  });

  it("renders the project's samples on an engine, at the engine's rate", async () => {
    const engine = (await createEngine({ sampleRate: 44100 })) as unknown as InProcessEngineClient;
    const song = projectSong();
    const mixer = await MixingConsole.open(engine, song);
    const rendered = await mixer.renderAudio(song.project, { tailSeconds: 0.25 });
    const buffers: Record<string, string> = {};
    for (const [id, data] of song.audio)
      buffers[id] = await engine.uploadBuffer(data.channels, data.sampleRate);
    const { request } = compileProject(song.project, { sampleRate: 44100, buffers, tailSeconds: 0.25 });
    const result = await engine.render(request);
    const direct = await engine.readBuffer(result.buffer_handle as string);
    expect(
      rendered.map((channel, c) => channel.filter((x, i) => !Object.is(x, direct[c]?.[i])).length),
    ).toEqual([0, 0]);
    expect(rendered[0]?.length).toBe(Math.round(1.25 * 44100));
    await engine.releaseBuffer(result.buffer_handle as string);
    for (const handle of Object.values(buffers)) await engine.releaseBuffer(handle);
    await mixer.close();
    expect(engine.heldBuffers()).toEqual([]);
    await engine.close();
  });
});
