// The page of e2e/faust.spec.ts: renders Faust scenarios in a Worker (compiled there with libfaust,
// hosted in engine.wasm), and RenderRequests holding Faust nodes through the Worker host's
// EngineClient, and hands the samples to the test.

import type { RenderRequestInput } from "../../src/contracts";
import { EngineError } from "../../src/contracts/errors";
import { compileFaust } from "../../src/faust/compiler";
import { loadLibFaustWithVite } from "../../src/faust/libfaust-vite";
import { WorkerEngineClient } from "../../src/hosts/worker/worker-client";
import { FAUST_SCENARIOS } from "./faust-scenarios";
// Imported here only so that Vite's startup dependency scan (which follows the page, not its Workers)
// pre-bundles the Workers' dependency: one found later re-optimizes and reloads the page mid-test.
import "@grame/faustwasm/dist/esm/index.js";

function renderScenarioInWorker(name: string): Promise<number[][]> {
  const worker = new Worker(new URL("./faust-worker.ts", import.meta.url), { type: "module" });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ channels?: Float32Array[]; error?: string }>) => {
      worker.terminate();
      if (event.data.channels) resolve(event.data.channels.map((channel) => Array.from(channel)));
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({ name });
  });
}

async function renderRequestInFaustWorker(
  request: RenderRequestInput,
): Promise<{ channels?: number[][]; error?: { code: string; path: string; detail: string } }> {
  // The stock engine Worker: it compiles the graph's Faust nodes (extensions.faust) on load.
  const client = await WorkerEngineClient.start({ sampleRate: request.sample_rate });
  try {
    const result = await client.render(request);
    if (result.status !== "ok") throw new Error(`render ${result.status}: ${result.error}`);
    const channels = await client.readBuffer(result.buffer_handle as string);
    return { channels: channels.map((channel) => Array.from(channel)) };
  } catch (error) {
    if (error instanceof EngineError)
      return { error: { code: error.code, path: error.path, detail: error.detail } };
    throw error;
  } finally {
    await client.close();
  }
}

/** The scenario compiled on this page and rendered by an AudioWorklet in an OfflineAudioContext. */
async function renderScenarioInWorklet(name: string): Promise<number[][]> {
  const scenario = FAUST_SCENARIOS[name];
  if (scenario === undefined) throw new Error(`no scenario "${name}"`);
  const [compiled, engineModule] = await Promise.all([
    compileFaust(loadLibFaustWithVite, scenario.source, scenario.options),
    WebAssembly.compileStreaming(fetch("/build/engine.wasm")),
  ]);
  const channels = compiled.layout.numOutputs;
  const context = new OfflineAudioContext({
    numberOfChannels: channels,
    length: scenario.frames,
    sampleRate: scenario.sampleRate,
  });
  await context.audioWorklet.addModule(new URL("./faust-worklet.ts", import.meta.url));
  const { dsp, effect, mixer, layout } = compiled;
  const node = new AudioWorkletNode(context, "faust-scenario", {
    numberOfInputs: 0,
    outputChannelCount: [channels],
    processorOptions: { engineModule, compiled: { dsp, effect, mixer, layout }, name },
  });
  node.connect(context.destination);
  const rendered = await context.startRendering();
  return Array.from({ length: channels }, (_, c) => Array.from(rendered.getChannelData(c)));
}

Object.assign(window, { renderScenarioInWorker, renderRequestInFaustWorker, renderScenarioInWorklet });
