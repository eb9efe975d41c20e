/**
 * LiveInputPort.startInputRecording resolves only once the audio thread has armed the take: the arm
 * travels on the node's port and play on the command ring, which the audio thread may read first, so
 * "await start; play" must not race (a CI run saw a take start one quantum after play).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { EngineError } from "../../../src/contracts/errors";
import { createDataPlane } from "../../../src/dataplane/data-plane";
import { LiveInputPort } from "../../../src/hosts/audioworklet/live-input-port";
import type { MainToWorkletMessage } from "../../../src/protocol/main-to-worklet";
import type { WorkletToMainMessage } from "../../../src/protocol/worklet-to-main";

function livePort() {
  const sent: MainToWorkletMessage[] = [];
  const port = {
    postMessage: (message: MainToWorkletMessage) => void sent.push(message),
    onmessage: null as ((event: MessageEvent<WorkletToMainMessage>) => void) | null,
  };
  const context = { sampleRate: 48000 } as unknown as AudioContext;
  const node = {} as AudioWorkletNode;
  const input = new LiveInputPort(context, node, port, createDataPlane({ isolated: true }));
  return { input, sent };
}

/** Whether `promise` has settled after the pending microtasks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
}

afterEach(() => vi.useRealTimers());

describe("LiveInputPort.startInputRecording", () => {
  it("waits for the audio thread's input-record-armed before it resolves", async () => {
    const { input, sent } = livePort();
    const start = input.startInputRecording();
    expect(sent.map((m) => m.type)).toEqual(["input-record-start"]);
    expect(await settled(start)).toBe(false);
    // Another message of the worklet's is not the answer.
    expect(input.handleMessage({ type: "restarted" })).toBe(false);
    expect(await settled(start)).toBe(false);
    expect(input.handleMessage({ type: "input-record-armed", take: 1 })).toBe(true);
    await expect(start).resolves.toBeUndefined();
    // Armed: a second start is refused until the first stops.
    await expect(input.startInputRecording()).rejects.toThrow("a live input recording is already running");
  });

  it("without an answer in 2 s: E_HOST_UNAVAILABLE, the arm withdrawn, a new start allowed, and the late answer not taken for it", async () => {
    vi.useFakeTimers();
    const { input, sent } = livePort();
    const start = input.startInputRecording();
    const failed = start.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1999);
    expect(await settled(start)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await failed;
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe("E_HOST_UNAVAILABLE");
    expect((error as Error).message).toContain("did not arm the live input recording within 2000 ms");
    expect(sent.map((m) => m.type)).toEqual(["input-record-start", "input-record-stop"]);
    // The failed start left nothing running: the next one is taken.
    const again = input.startInputRecording();
    expect(sent.at(-1)).toMatchObject({ type: "input-record-start", take: 2 });
    // The first start's answer, arriving late, is not the second's.
    expect(input.handleMessage({ type: "input-record-armed", take: 1 })).toBe(true);
    expect(await settled(again)).toBe(false);
    input.handleMessage({ type: "input-record-armed", take: 2 });
    await expect(again).resolves.toBeUndefined();
  });
});
