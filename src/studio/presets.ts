/**
 * Device presets (pure, unit-tested): a device's parameter values saved under a name in the project
 * (`project.presets`, docs/projects.md), and recalled onto any device of the same node type as one
 * set_device_params, so a recall is one undo step. A preset holds every parameter the descriptor
 * lists (stored or default), so recalling it sets each one, not only those the device had changed.
 */
import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { ProjectCommand } from "../project/project-commands";
import type { Device, Preset, Project } from "../project/project-schema";
import { freshId } from "./studio-ids";

/**
 * The values a preset of `device` holds: its stored params over the descriptor's defaults.
 * @example
 * const filter = (await engine.discoverNodes()).nodes.find((node) => node.node_id === "builtin:filter");
 * presetValues({ params: { frequency: 800 } }, filter); // { mode: 0, frequency: 800, q: 0.707, gain: 0 }
 */
export function presetValues(
  device: Pick<Device, "params">,
  descriptor: NodeDescriptor | undefined,
): Record<string, number | string> {
  const values: Record<string, number | string> = {};
  for (const parameter of descriptor?.parameters ?? []) values[parameter.id] = parameter.default;
  return { ...values, ...device.params };
}

/**
 * The command saving `device`'s values as preset `name`: a preset of that name for the device's node
 * type is replaced (same id), else a new one is added.
 */
export function savePresetCommand(
  project: Project,
  device: Device,
  descriptor: NodeDescriptor | undefined,
  name: string,
): ProjectCommand {
  const trimmed = name.trim();
  if (trimmed === "") throw new Error("a preset needs a name");
  const existing = project.presets.find(
    (preset) => preset.node_id === device.node_id && preset.name === trimmed,
  );
  const id = existing?.id ?? freshId(project, `preset-${trimmed}`);
  return {
    type: "save_preset",
    preset: { id, name: trimmed, node_id: device.node_id, params: presetValues(device, descriptor) },
  };
}

/** The presets that recall onto `device`: those of its node type, in the order they were saved. */
export function presetsFor(project: Project, device: Pick<Device, "node_id">): Preset[] {
  return project.presets.filter((preset) => preset.node_id === device.node_id);
}

/**
 * The command recalling `preset` onto device `deviceId` of `trackId`: one set_device_params with the
 * preset's values, in a batch labelled with the preset's name.
 * @example
 * const warm = { id: "warm", name: "Warm", node_id: "builtin:filter", params: { frequency: 800 } };
 * recallPresetCommand("synth", "filter", warm); // batch "Recall preset Warm"
 */
export function recallPresetCommand(trackId: string, deviceId: string, preset: Preset): ProjectCommand {
  return {
    type: "batch",
    label: `Recall preset ${preset.name}`,
    commands: [
      { type: "set_device_params", track_id: trackId, device_id: deviceId, params: { ...preset.params } },
    ],
  };
}
