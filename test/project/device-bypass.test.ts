/**
 * set_device_bypass: a bypassed device is left out of the compiled chain (a track's or the master's),
 * so the render is the one without it, its settings kept for when it is switched back on.
 */
import { describe, expect, it } from "vitest";

import { createEngine } from "../../src/create-engine";
import { exportProject } from "../../src/project/export-project";
import { applyCommand } from "../../src/project/project-commands";
import { ProjectEditor } from "../../src/project/project-editor";
import type { Project } from "../../src/project/project-schema";
import { makeProject } from "./project-fixtures";

const song = (devices: { id: string; node_id: string; params?: Record<string, number> }[]) =>
  makeProject({
    tracks: [
      {
        kind: "instrument",
        id: "keys",
        instrument: { id: "syn", node_id: "builtin:synth" },
        devices,
        clips: [
          {
            id: "c1",
            start_beat: 0,
            length_beats: 2,
            notes: [{ beat: 0, length_beats: 1, note: 57, velocity: 100 }],
          },
        ],
      },
    ],
  });

const LOWPASS = { id: "lp", node_id: "builtin:filter", params: { frequency: 100 } };

describe("set_device_bypass", () => {
  it("sets and clears the device's bypass, one undo step each, refusing a missing device by name", () => {
    const editor = new ProjectEditor(song([LOWPASS]));
    editor.execute({ type: "set_device_bypass", track_id: "keys", device_id: "lp", bypass: true });
    expect(editor.project.tracks[0]?.devices[0]).toEqual({ ...LOWPASS, buffers: {}, bypass: true });
    editor.execute({ type: "set_device_bypass", track_id: "keys", device_id: "lp", bypass: false });
    // Switched back on, the device is as it was (no bypass field at all).
    expect(editor.project.tracks[0]?.devices[0]).toEqual({ ...LOWPASS, buffers: {} });
    expect(editor.history.done.map((step) => step.label)).toEqual([
      "Bypass device on keys",
      "Unbypass device on keys",
    ]);
    expect(() =>
      applyCommand(song([]), { type: "set_device_bypass", track_id: "keys", device_id: "lp", bypass: true }),
    ).toThrow('no "lp" here');
  });

  it("renders a bypassed device's track, and master, as without it", async () => {
    const engine = await createEngine({ sampleRate: 48000 });
    const render = async (project: Project) =>
      Buffer.from(
        (await exportProject(engine, { project, audio: new Map() }, { sampleRate: 48000 })).mixdown,
      );
    try {
      const without = await render(song([]));
      const filtered = await render(song([LOWPASS]));
      const bypassed = applyCommand(song([LOWPASS]), {
        type: "set_device_bypass",
        track_id: "keys",
        device_id: "lp",
        bypass: true,
      });
      expect(filtered.equals(without)).toBe(false);
      expect((await render(bypassed)).equals(without)).toBe(true);
      // The master's rack: the same filter there, bypassed.
      const onMaster = applyCommand(song([]), { type: "add_device", track_id: "master", device: LOWPASS });
      expect((await render(onMaster)).equals(without)).toBe(false);
      const masterBypassed = applyCommand(onMaster, {
        type: "set_device_bypass",
        track_id: "master",
        device_id: "lp",
        bypass: true,
      });
      expect((await render(masterBypassed)).equals(without)).toBe(true);
    } finally {
      await engine.close();
    }
  });
});
