// Benchmark page: webdreamer in a Worker, and Chromium's native nodes in an OfflineAudioContext,
// on the same workloads in the same page.

import { createBrowserEngine } from "../../src/create-browser-engine";
import { compileProject } from "../../src/project/compile-project";
import { PROJECT_SAMPLE_RATE, scaleAudio, scaleProject } from "../../test/support/project-scale";
import { SAMPLE_RATE, type WorkloadId } from "../../test/support/workloads";
import { interleave } from "../pairs";
import { noProjectExports, type ProjectExportPairs, timeProjectExport } from "../project-export-timing";
import type { ImpulseResponse } from "../project-native";
import { reverbResponse, timeNativeProjectExport } from "../project-native-timing";
import { buildNative, sanityRms } from "../workloads";

/** One render's realtime factor and the sanity RMS of the side's first render. */
export interface OneRender {
  factor: number;
  rms: number;
}

let worker: Worker | undefined;

function ask<T>(message: unknown): Promise<T> {
  const target = worker as Worker;
  return new Promise((resolve, reject) => {
    target.onmessage = (event: MessageEvent<T>) => resolve(event.data);
    target.onerror = (event) => reject(new Error(event.message));
    target.postMessage(message);
  });
}

/** Starts a Worker holding webdreamer's graph of workload `id` (warmed up), replacing any earlier one. */
async function benchWorkerSetup(id: WorkloadId, seconds: number): Promise<void> {
  worker?.terminate();
  worker = new Worker(new URL("./bench-worker.ts", import.meta.url), { type: "module" });
  await ask({ setup: { id, seconds } });
}

/** One timed render in the Worker set up last. */
function benchWorkerOnce(): Promise<OneRender> {
  return ask({ render: true });
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

const nativeRms = new Map<WorkloadId, number>();

/** One timed native render (a 2 s warm-up render first, the first time for a workload). */
async function benchNativeOnce(id: WorkloadId, seconds: number): Promise<OneRender> {
  if (!nativeRms.has(id)) {
    await renderNative(id, 2);
    nativeRms.set(id, 0);
  }
  const run = await renderNative(id, seconds);
  if (!nativeRms.get(id)) nativeRms.set(id, run.rms);
  return { factor: seconds / run.seconds, rms: nativeRms.get(id) as number };
}

Object.assign(window, { benchWorkerSetup, benchWorkerOnce, benchNativeOnce });

/**
 * The 16-track, 3-minute project exported `pairs` times by webdreamer in the Worker host and by
 * Chromium's native nodes in an OfflineAudioContext, interleaved pairs (bench/pairs.ts) in this page;
 * with `window.nodeProjectExport` (the bench runner exposes it), Node's in-process export takes its
 * turn in the same rounds, so that the Worker and Node rows are interleaved too. `rotate` starts the
 * sides' order where round `rotate` of one page would (the runner makes each round a page of its own).
 */
async function benchProjectPairs(pairs: number, rotate = 0): Promise<ProjectExportPairs> {
  const engine = await createBrowserEngine({
    host: "worker",
    hostOptions: { sampleRate: PROJECT_SAMPLE_RATE },
  });
  try {
    const input = { project: scaleProject(), audio: scaleAudio(PROJECT_SAMPLE_RATE) };
    // The reverb's impulse response stands for the reverb itself: measured once, outside the timing.
    const buffers = Object.fromEntries(
      input.project.audio.map((source, i) => [source.content_id, `buf:${i + 1}`]),
    );
    const { graph } = compileProject(input.project, { sampleRate: PROJECT_SAMPLE_RATE, buffers });
    const responses = new Map<string, ImpulseResponse>();
    for (const node of graph.nodes) {
      if (node.node_id === "builtin:reverb") responses.set(node.name, await reverbResponse(engine, node));
    }
    const result = noProjectExports();
    let first = { ours: true, native: true };
    const nodeExport = (window as unknown as { nodeProjectExport?: () => Promise<number> }).nodeProjectExport;
    const sides: Record<string, () => Promise<number>> = {
      webdreamer: async () => {
        const ours = await timeProjectExport(engine, input);
        if (first.ours) result.rms.webdreamer = ours.rms;
        first = { ...first, ours: false };
        return ours.factor;
      },
      native: async () => {
        const native = await timeNativeProjectExport(input, (node) => responses.get(node.name) ?? []);
        result.nativeRender.push(native.renderFactor);
        if (first.native) {
          result.rms.native = native.rms;
          const response = [...responses.values()][0]?.[0];
          result.native_graph = {
            ...native.counts,
            response_seconds: (response?.length ?? 0) / PROJECT_SAMPLE_RATE,
          };
        }
        first = { ...first, native: false };
        return native.factor;
      },
    };
    if (nodeExport) sides.nodejs = () => nodeExport();
    // The bench runner gives each round a page of its own: `rotate` turns the sides' order as the
    // rounds of one page would.
    const names = Object.keys(sides);
    const shift = rotate % names.length;
    const rotated = Object.fromEntries(
      [...names.slice(shift), ...names.slice(0, shift)].map((name) => [
        name,
        sides[name] as () => Promise<number>,
      ]),
    );
    const rounds = await interleave(pairs, rotated);
    result.webdreamer = rounds.webdreamer ?? [];
    result.native = rounds.native ?? [];
    result.nodejs = rounds.nodejs ?? [];
    return result;
  } finally {
    await engine.close();
  }
}

Object.assign(window, { benchProjectPairs });
