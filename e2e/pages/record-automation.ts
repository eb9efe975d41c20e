// Recorded automation (options.record_automation) from the Worker host and the AudioWorklet host's
// offline and real-time renders.
import { AudioWorkletEngineClient, createBrowserEngine, type EngineClient } from "../../src/browser";
import type { RenderRequestInput } from "../../src/contracts";

/** Every recorded parameter's values, by "node.param", and the error of a refusal. */
type Recorded = Record<string, number[]>;

async function recordWith(engine: EngineClient, request: RenderRequestInput): Promise<Recorded> {
  const result = await engine.render(request);
  if (result.status !== "ok") throw new Error(`render ${result.status}: ${result.error}`);
  const recorded: Recorded = {};
  for (const [node, params] of Object.entries(result.extensions.automation ?? {})) {
    for (const [param, handle] of Object.entries(params)) {
      const [values] = await engine.readBuffer(handle);
      recorded[`${node}.${param}`] = Array.from(values ?? []);
      await engine.releaseBuffer(handle);
    }
  }
  recorded.block_frames = [result.extensions.automation_block_frames ?? 0];
  return recorded;
}

async function worker(request: RenderRequestInput): Promise<Recorded> {
  const engine = await createBrowserEngine({
    host: "worker",
    hostOptions: { sampleRate: request.sample_rate },
  });
  try {
    return await recordWith(engine, request);
  } finally {
    await engine.close();
  }
}

async function audioWorklet(request: RenderRequestInput): Promise<{ offline: Recorded; realtime: Recorded }> {
  const engine = await AudioWorkletEngineClient.start({ sampleRate: request.sample_rate });
  await engine.context.resume();
  try {
    const offline = await recordWith(engine, request);
    const realtime = await recordWith(engine, {
      ...request,
      options: { ...request.options, offline: false },
    });
    return { offline, realtime };
  } finally {
    await engine.close();
  }
}

const api = { worker, audioWorklet };
export type RecordAutomationApi = typeof api;
Object.assign(window, { recordAutomation: api });
