import { describe, expect, it } from "vitest";

import type { NodeDescriptor } from "../../src/contracts/node-descriptor";
import { applyCommand } from "../../src/project/project-commands";
import { parseProject } from "../../src/project/project-invariants";
import { effectChoices, moveDeviceCommand } from "../../src/studio/device-chain";
import { deviceNames } from "../../src/studio/device-rack";
import { presetsFor, presetValues, recallPresetCommand, savePresetCommand } from "../../src/studio/presets";

const node = (
  node_id: string,
  format: NodeDescriptor["format"],
  extensions: NodeDescriptor["extensions"] = {},
) =>
  ({
    version: "v1alpha",
    node_id,
    name: node_id.split(":")[1] as string,
    vendor: null,
    format,
    supported_sample_rates: [],
    latency_samples: 0,
    resource_estimate: null,
    extensions,
  }) as NodeDescriptor;

const FILTER: NodeDescriptor = {
  ...node("builtin:filter", "builtin"),
  name: "Filter",
  parameters: [
    {
      name: "mode",
      id: "mode",
      default: 0,
      range: [0, 1],
      extensions: { type: "choice", choices: ["lowpass", "highpass"] },
    },
    { name: "frequency", id: "frequency", default: 1000, range: [10, 24000], extensions: { units: "Hz" } },
  ],
};

const project = parseProject({
  format: "webdreamer-project",
  format_version: 1,
  tracks: [
    {
      kind: "instrument",
      id: "synth",
      name: "Synth",
      instrument: { id: "syn", node_id: "builtin:synth" },
      devices: [
        { id: "filter", node_id: "builtin:filter", params: { frequency: 500 } },
        { id: "verb", node_id: "builtin:reverb" },
        { id: "filter-2", node_id: "builtin:filter" },
      ],
      automation: { "device:filter:frequency": { points: [{ beat: 0, value: 200 }] } },
    },
  ],
});

const devicesOf = (p: typeof project) => p.tracks[0]?.devices.map((device) => device.id);

describe("effectChoices", () => {
  it("offers effects only: builtin in a mixing engineer's order, then Faust, then WAM", () => {
    const found = [
      node("wam:amp", "wam"),
      node("builtin:synth", "builtin", { is_instrument: true }),
      node("builtin:oscillator", "builtin", { input_channels: 0 }),
      node("builtin:mixer", "builtin"),
      node("builtin:gain", "builtin"),
      node("faust:1234", "faust"),
      node("builtin:panner", "builtin"),
      node("builtin:delay", "builtin"),
      node("builtin:reverb", "builtin"),
      node("builtin:compressor", "builtin"),
      node("builtin:filter", "builtin"),
      node("vst3:x", "vst3"),
    ];
    expect(effectChoices(found).map((choice) => choice.node_id)).toEqual([
      "builtin:filter",
      "builtin:compressor",
      "builtin:reverb",
      "builtin:delay",
      "builtin:panner",
      "builtin:gain",
      "faust:1234",
      "wam:amp",
    ]);
  });
});

describe("moveDeviceCommand", () => {
  it("moves a device one place as one labelled command, keeping its automation lanes", () => {
    const down = moveDeviceCommand(project, "synth", "filter", 1, "Filter");
    expect(down).toMatchObject({ type: "batch", label: "Move Filter down on Synth" });
    const moved = applyCommand(project, down as never);
    expect(devicesOf(moved)).toEqual(["verb", "filter", "filter-2"]);
    expect(moved.tracks[0]?.automation).toEqual(project.tracks[0]?.automation);
    expect(moved.tracks[0]?.devices[1]).toEqual(project.tracks[0]?.devices[0]);
    const up = applyCommand(project, moveDeviceCommand(project, "synth", "filter-2", -1) as never);
    expect(devicesOf(up)).toEqual(["filter", "filter-2", "verb"]);
  });

  it("is null at either end of the chain", () => {
    expect(moveDeviceCommand(project, "synth", "filter", -1)).toBeNull();
    expect(moveDeviceCommand(project, "synth", "filter-2", 1)).toBeNull();
  });

  it("names two devices of one type apart", () => {
    const names = deviceNames(project.tracks[0]?.devices ?? [], (id) =>
      id === "builtin:filter" ? FILTER : undefined,
    );
    expect([...names.values()]).toEqual(["Filter", "reverb", "Filter 2"]);
  });
});

describe("presets", () => {
  it("saves every parameter (stored or default), and recalls it as one step", () => {
    const device = project.tracks[0]?.devices[0];
    if (!device) throw new Error("no device");
    expect(presetValues(device, FILTER)).toEqual({ mode: 0, frequency: 500 });
    const saved = applyCommand(project, savePresetCommand(project, device, FILTER, "  Dark "));
    expect(saved.presets).toEqual([
      { id: "preset-dark", name: "Dark", node_id: "builtin:filter", params: { mode: 0, frequency: 500 } },
    ]);
    // Saving under the same name replaces it; another node type does not see it.
    const again = applyCommand(
      saved,
      savePresetCommand(saved, { ...device, params: { frequency: 800 } }, FILTER, "Dark"),
    );
    expect(again.presets).toHaveLength(1);
    expect(again.presets[0]?.params.frequency).toBe(800);
    expect(presetsFor(again, { node_id: "builtin:reverb" })).toEqual([]);
    // Recalled onto the other filter: each value set, one labelled command.
    const recall = recallPresetCommand("synth", "filter-2", again.presets[0] as never);
    expect(recall).toMatchObject({ type: "batch", label: "Recall preset Dark" });
    const recalled = applyCommand(again, recall);
    expect(recalled.tracks[0]?.devices[2]?.params).toEqual({ mode: 0, frequency: 800 });
    expect(() => savePresetCommand(project, device, FILTER, " ")).toThrow("a preset needs a name");
  });

  it("refuses a preset whose id another item uses", () => {
    expect(() =>
      applyCommand(project, {
        type: "save_preset",
        preset: { id: "verb", name: "x", node_id: "builtin:reverb", params: {} },
      }),
    ).toThrow(/presets\[0\]\.id/);
  });
});
