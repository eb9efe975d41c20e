/**
 * set_instrument: an instrument track's instrument changed in place, the track keeping its clips,
 * mixer, sends, devices and id, as one undo step; what it plays in Node is what a track built with
 * that instrument plays.
 */
import { describe, expect, it } from "vitest";

import { createEngine } from "../../src/create-engine";
import { exportProject } from "../../src/project/export-project";
import { applyCommand, type ProjectCommand } from "../../src/project/project-commands";
import { ProjectEditor } from "../../src/project/project-editor";
import type { Track } from "../../src/project/project-schema";
import { makeProject } from "./project-fixtures";

const withSynth = () =>
  makeProject({
    tracks: [
      {
        kind: "instrument",
        id: "keys",
        instrument: { id: "syn", node_id: "builtin:synth" },
        mixer: { volume_db: -3 },
        devices: [{ id: "lp", node_id: "builtin:filter" }],
        automation: {
          "device:syn:filter_cutoff": { points: [{ beat: 0, value: 400 }] },
          volume: { points: [{ beat: 0, value: -3 }] },
        },
        clips: [
          {
            id: "c1",
            start_beat: 0,
            length_beats: 2,
            notes: [{ beat: 0, length_beats: 1, note: 57, velocity: 100 }],
          },
        ],
      },
      { kind: "audio", id: "vox" },
    ],
  });

describe("set_instrument", () => {
  it("changes the instrument keeping the rest of the track; lanes of another instrument go", () => {
    const before = withSynth();
    const bass = { id: "bass", node_id: "builtin:synth", params: { filter_cutoff: 180 } };
    const after = applyCommand(before, { type: "set_instrument", track_id: "keys", instrument: bass });
    const [was, is] = [before.tracks[0], after.tracks[0]];
    if (was?.kind !== "instrument" || is?.kind !== "instrument") throw new Error("no instrument track");
    expect(is.instrument).toEqual({ ...bass, buffers: {} });
    expect(is.clips).toBe(was.clips);
    expect(is.devices).toBe(was.devices);
    expect(is.mixer).toBe(was.mixer);
    expect(is.id).toBe("keys");
    // The old instrument's lane named a device no longer there: dropped; the volume lane stays.
    expect(Object.keys(is.automation)).toEqual(["volume"]);
  });

  it("keeps the instrument's lanes when the same node plays under the same id", () => {
    const after = applyCommand(withSynth(), {
      type: "set_instrument",
      track_id: "keys",
      instrument: { id: "syn", node_id: "builtin:synth", params: { filter_cutoff: 900 } },
    });
    expect(Object.keys(after.tracks[0]?.automation ?? {})).toEqual(["device:syn:filter_cutoff", "volume"]);
  });

  it("refuses an audio track, a missing track and a device without a node type, by name", () => {
    const project = withSynth();
    const instrument = { id: "x", node_id: "builtin:synth" };
    expect(() => applyCommand(project, { type: "set_instrument", track_id: "vox", instrument })).toThrow(
      '"vox" is not an instrument track (its kind is "audio")',
    );
    expect(() => applyCommand(project, { type: "set_instrument", track_id: "nope", instrument })).toThrow(
      'no track "nope"',
    );
    expect(() =>
      applyCommand(project, {
        type: "set_instrument",
        track_id: "keys",
        instrument: { id: "x" } as unknown as typeof instrument,
      }),
    ).toThrow(/command\.instrument/);
  });

  it("is one undo step labelled after the track, and renders in Node as the track built with it", async () => {
    const editor = new ProjectEditor(withSynth());
    const bass = { id: "bass", node_id: "builtin:synth", params: { filter_cutoff: 180 } };
    editor.execute({ type: "set_instrument", track_id: "keys", instrument: bass });
    expect(editor.history.done.map((step) => step.label)).toEqual(["Instrument of keys"]);
    const changed = editor.project;
    // The same track removed and added back with the instrument: the old way, two commands.
    const commands: ProjectCommand[] = [
      { type: "remove_track", track_id: "keys" },
      {
        type: "add_track",
        index: 0,
        track: { ...(changed.tracks[0] as Track & { kind: "instrument" }), instrument: bass },
      },
    ];
    const rebuilt = commands.reduce(applyCommand, withSynth());
    const engine = await createEngine({ sampleRate: 48000 });
    try {
      const a = await exportProject(engine, { project: changed, audio: new Map() }, { sampleRate: 48000 });
      const b = await exportProject(engine, { project: rebuilt, audio: new Map() }, { sampleRate: 48000 });
      const c = await exportProject(
        engine,
        { project: withSynth(), audio: new Map() },
        { sampleRate: 48000 },
      );
      expect(a.frames).toBe(48000);
      expect(Buffer.from(a.mixdown).equals(Buffer.from(b.mixdown))).toBe(true);
      // And it is another sound than the synth before (its cutoff 180 Hz, not the lane's 400 Hz).
      expect(Buffer.from(a.mixdown).equals(Buffer.from(c.mixdown))).toBe(false);
    } finally {
      await engine.close();
    }
    editor.undo();
    expect(editor.project).toEqual(withSynth());
  });
});
