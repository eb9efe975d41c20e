// Renders a RenderRequest with the offline Worker host and hands the channels to the test.
import { createBrowserEngine } from "../../src/browser";
import type { RenderRequestInput } from "../../src/contracts";
import { faustRequest } from "./faust-request";

async function renderInWorker(
  request: RenderRequestInput,
): Promise<{ frames: number; channels: number[][] }> {
  const engine = await createBrowserEngine({
    host: "worker",
    hostOptions: { sampleRate: request.sample_rate },
  });
  try {
    const result = await engine.render(request);
    if (result.status !== "ok") throw new Error(`render ${result.status}: ${result.error}`);
    const channels = await engine.readBuffer(result.buffer_handle as string);
    return { frames: result.frames, channels: channels.map((c) => Array.from(c)) };
  } finally {
    await engine.close();
  }
}

Object.assign(window, { renderInWorker });

/** The Worker host's answer to a render it cannot do: the error's message, or "rendered". */
async function refusalInWorker(request: RenderRequestInput): Promise<string> {
  const engine = await createBrowserEngine({ host: "worker" });
  try {
    await engine.render(request);
    return "rendered";
  } catch (error) {
    return (error as Error).message;
  } finally {
    await engine.close();
  }
}

Object.assign(window, { refusalInWorker });

/** Compiles `source` in the Worker host and renders a sine through it, like faustGraph() in the test. */
async function renderFaustInWorker(
  source: string,
): Promise<{ nodeId: string; channels: number[][]; listed: boolean[] }> {
  const engine = (await createBrowserEngine({ host: "worker" })) as Awaited<
    ReturnType<typeof createBrowserEngine>
  > & {
    compileFaust(source: string): Promise<{ node_id: string }>;
    releaseFaust(nodeId: string): Promise<void>;
  };
  try {
    // Discovery before and after the compile: the client's cache must not hide the new node.
    const before = await engine.discoverNodes();
    const { node_id } = await engine.compileFaust(source);
    const after = await engine.discoverNodes();
    const result = await engine.render(faustRequest(node_id));
    const channels = await engine.readBuffer(result.buffer_handle as string);
    // Released, it leaves discovery at once too.
    await engine.releaseFaust(node_id);
    const released = await engine.discoverNodes();
    const listed = [before, after, released].map((scan) =>
      scan.nodes.some((node) => node.node_id === node_id),
    );
    return { nodeId: node_id, channels: channels.map((c) => Array.from(c)), listed };
  } finally {
    await engine.close();
  }
}

Object.assign(window, { renderFaustInWorker });

/**
 * Starts a render with a 600 s preroll in the Worker host, then after `afterMs` aborts it or closes
 * the client: how it ended, and how long after the abort or close (the Worker must be answering
 * its port during the preroll for either to arrive).
 */
async function interruptPrerollInWorker(
  request: RenderRequestInput,
  action: "abort" | "close",
  afterMs: number,
): Promise<{ status?: string; frames?: number; error?: string | null; code?: string; latencyMs: number }> {
  const engine = await createBrowserEngine({
    host: "worker",
    hostOptions: { sampleRate: request.sample_rate },
  });
  const controller = new AbortController();
  const rendering = engine.render(request, { signal: controller.signal }).then(
    (result) => ({ status: result.status, frames: result.frames, error: result.error }),
    (error: { code?: string }) => ({ code: error.code }),
  );
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  const interruptedAt = performance.now();
  if (action === "abort") controller.abort();
  const closing = action === "close" ? engine.close() : Promise.resolve();
  const outcome = await rendering;
  const latencyMs = performance.now() - interruptedAt;
  await closing;
  if (action === "abort") await engine.close();
  return { ...outcome, latencyMs };
}

Object.assign(window, { interruptPrerollInWorker });
