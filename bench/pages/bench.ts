// Benchmark page: webdreamer in a Worker, and Chromium's native nodes in an OfflineAudioContext,
// on the same workloads in the same page.

import { createBrowserEngine } from "../../src/create-browser-engine";
import { PROJECT_SAMPLE_RATE } from "../../test/support/project-scale";
import { SAMPLE_RATE, type WorkloadId } from "../../test/support/workloads";
import { timeProjectExports } from "../project-export-timing";
import { buildNative, sanityRms, type Timing } from "../workloads";

function benchWorker(id: WorkloadId, seconds: number, repetitions: number): Promise<Timing> {
  const worker = new Worker(new URL("./bench-worker.ts", import.meta.url), { type: "module" });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<Timing>) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({ id, seconds, repetitions });
  });
}

async function renderNative(id: WorkloadId, seconds: number): Promise<{ seconds: number; rms: number }> {
  const context = new OfflineAudioContext({
    numberOfChannels: 2,
    length: seconds * SAMPLE_RATE,
    sampleRate: SAMPLE_RATE,
  });
  buildNative(id, context);
  const start = performance.now();
  const rendered = await context.startRendering();
  const elapsed = (performance.now() - start) / 1000;
  return { seconds: elapsed, rms: sanityRms(rendered.getChannelData(0)) };
}

async function benchNative(id: WorkloadId, seconds: number, repetitions: number): Promise<Timing> {
  await renderNative(id, 2);
  const factors: number[] = [];
  let rms = 0;
  for (let r = 0; r < repetitions; r++) {
    const run = await renderNative(id, seconds);
    factors.push(seconds / run.seconds);
    if (r === 0) rms = run.rms;
  }
  return { factors, rms };
}

Object.assign(window, { benchWorker, benchNative });

/** Realtime factors of exportProject of the 16-track, 3-minute project in the Worker host. */
async function benchProjectExport(repetitions: number): Promise<number[]> {
  const engine = await createBrowserEngine({
    host: "worker",
    hostOptions: { sampleRate: PROJECT_SAMPLE_RATE },
  });
  return timeProjectExports(engine, repetitions);
}

Object.assign(window, { benchProjectExport });
