import { describe, expect, it } from "vitest";

import { applyCommand } from "../../src/project/project-commands";
import { parseProject } from "../../src/project/project-invariants";
import {
  DEFAULT_FAUST_SYNTH_CODE,
  FAUST_SYNTH_VOICES,
  faustVoicesOf,
  replaceInstrumentCommand,
} from "../../src/studio/faust-instrument";

const faust = { source: DEFAULT_FAUST_SYNTH_CODE, voices: FAUST_SYNTH_VOICES };

const project = parseProject({
  format: "webdreamer-project",
  format_version: 1,
  tracks: [
    { kind: "audio", id: "drums", name: "Drums" },
    {
      kind: "instrument",
      id: "lead",
      name: "Lead",
      mixer: { volume_db: -6, pan: 0.25 },
      instrument: { id: "poly", node_id: "faust:aaaa", extensions: { faust } },
      devices: [{ id: "verb", node_id: "builtin:reverb" }],
      clips: [
        {
          id: "m",
          start_beat: 4,
          length_beats: 4,
          notes: [{ beat: 1, length_beats: 1, note: 69, velocity: 90 }],
        },
      ],
      automation: { volume: { points: [{ beat: 0, value: -3 }] } },
    },
    { kind: "bus", id: "fx", name: "FX" },
  ],
});

describe("replaceInstrumentCommand", () => {
  it("swaps the instrument only, the track keeping its place, clips, mixer, devices and automation", () => {
    const lead = project.tracks[1];
    if (lead?.kind !== "instrument") throw new Error("no lead track");
    const recompiled = {
      ...lead.instrument,
      node_id: "faust:bbbb",
      extensions: { faust: { ...faust, source: "process = 0;" } },
    };
    const command = replaceInstrumentCommand(project, "lead", recompiled, "Edit Faust code on Lead");
    expect(command).toMatchObject({ type: "batch", label: "Edit Faust code on Lead" });
    const after = applyCommand(project, command);
    expect(after.tracks.map((track) => track.id)).toEqual(["drums", "lead", "fx"]);
    expect(after.tracks[1]).toEqual({ ...lead, instrument: recompiled });
    expect(after.tracks[0]).toEqual(project.tracks[0]);
    expect(after.tracks[2]).toEqual(project.tracks[2]);
  });

  it("refuses a track that is not an instrument track, naming it", () => {
    const lead = project.tracks[1];
    if (lead?.kind !== "instrument") throw new Error("no lead track");
    expect(() => replaceInstrumentCommand(project, "drums", lead.instrument, "x")).toThrow(
      '"drums" is not an instrument track',
    );
    expect(() => replaceInstrumentCommand(project, "nope", lead.instrument, "x")).toThrow(
      '"nope" is not an instrument track',
    );
  });
});

describe("faustVoicesOf", () => {
  it("reads extensions.faust.voices, undefined for a mono DSP or another device", () => {
    const lead = project.tracks[1];
    if (lead?.kind !== "instrument") throw new Error("no lead track");
    expect(faustVoicesOf(lead.instrument)).toBe(8);
    expect(faustVoicesOf(lead.devices[0] as (typeof lead.devices)[0])).toBeUndefined();
    expect(
      faustVoicesOf({
        id: "f",
        node_id: "faust:c",
        params: {},
        buffers: {},
        extensions: { faust: { source: "" } },
      }),
    ).toBeUndefined();
  });
});
