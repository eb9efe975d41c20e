/**
 * The project bar's export flow (src/studio/export-flow.ts) with a stand-in Worker engine whose render
 * finishes when the test says, whatever its signal: Cancel must take the bar away at once, drop a
 * result that arrives after it, and let a new export start.
 */
import { describe, expect, it } from "vitest";

import type { ProjectExport } from "../../src/project/export-project";
import { ExportFlow, type ExportFlowHost } from "../../src/studio/export-flow";
import type { OfflineEngine } from "../../src/studio/offline-engine";
import { emptyProject } from "../../src/studio/project-lookups";

const RESULT = { mixdown: new Uint8Array([1, 2, 3]) } as unknown as ProjectExport;

function standIn() {
  const renders: { finish: () => void; progress: (fraction: number) => void }[] = [];
  const offline = {
    mixdown: (_project: unknown, _audio: unknown, options: { onProgress?: (f: number) => void }) =>
      new Promise<ProjectExport>((resolve) => {
        renders.push({ finish: () => resolve(RESULT), progress: (f) => options.onProgress?.(f) });
      }),
  } as unknown as OfflineEngine;
  let updates = 0;
  const host: ExportFlowHost = {
    project: () => emptyProject("Song"),
    audio: () => new Map(),
    sampleRate: () => 48000,
    liveEngine: async () => null,
    offline,
    failed: (error) => {
      throw error;
    },
  };
  const flow = new ExportFlow(
    {
      addController: () => {},
      removeController: () => {},
      requestUpdate: () => updates++,
      updateComplete: Promise.resolve(true),
    },
    host,
  );
  return { flow, renders, updates: () => updates };
}

describe("export flow", () => {
  it("an export that ends on its own returns its result and clears the bar", async () => {
    const { flow, renders } = standIn();
    const exported = flow.mixdown(false);
    await Promise.resolve();
    renders[0]?.progress(0.5);
    expect(flow.progress).toBe(0.5);
    renders[0]?.finish();
    expect(await exported).toBe(RESULT);
    expect(flow.progress).toBeNull();
  });

  it("Cancel clears the bar at once, drops a result that arrives after it, and a new export starts", async () => {
    const { flow, renders } = standIn();
    const first = flow.mixdown(false);
    await Promise.resolve();
    renders[0]?.progress(1);
    expect(flow.progress).toBe(1);
    flow.cancel();
    // The render is still finishing (its result not back), and the bar is already gone.
    expect(flow.progress).toBeNull();
    renders[0]?.progress(1);
    expect(flow.progress).toBeNull();

    const second = flow.mixdown(false);
    await Promise.resolve();
    expect(renders).toHaveLength(2);
    expect(flow.progress).toBe(0);
    // The cancelled render ends now: its result is dropped, and the new export's bar stays.
    renders[0]?.finish();
    expect(await first).toBeNull();
    expect(flow.progress).toBe(0);
    renders[1]?.finish();
    expect(await second).toBe(RESULT);
    expect(flow.progress).toBeNull();
  });
});
