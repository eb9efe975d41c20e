// W3 in a Chromium Worker: the page starts the Worker and hands its timings to the caller
// (bench/faust/run-w3.ts through Playwright: window.benchW3Worker(seconds, repetitions)).
import type { W3Timings } from "../w3";
// Imported here only so that Vite's startup dependency scan (which follows the page, not its Worker)
// pre-bundles the Worker's dependency: one found later re-optimizes and reloads the page mid-run.
import "@grame/faustwasm/dist/esm/index.js";

function benchW3Worker(seconds: number, repetitions: number): Promise<W3Timings> {
  const worker = new Worker(new URL("./w3-worker.ts", import.meta.url), { type: "module" });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ timings?: W3Timings; error?: string }>) => {
      worker.terminate();
      if (event.data.timings) resolve(event.data.timings);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({ seconds, repetitions });
  });
}

Object.assign(window, { benchW3Worker });
