/**
 * A track's device chain as the rack edits it (pure, unit-tested): which node types the "Add device"
 * picker offers and in what order, and each rack action as one project command, so each is one undo
 * step. The model has no command that moves or swaps a device, so a move and a Faust device's new code
 * are a `batch` of remove_device and add_device at the same place, with the device's automation lanes
 * put back (remove_device drops them).
 */
import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { ProjectCommand } from "../project/project-commands";
import { type Device, MASTER_ID, type Project } from "../project/project-schema";

/** The picker's value for a new Faust device, whose code is written in the rack. */
export const FAUST_CODE_CHOICE = "faust-code";

/** The builtin effects in the order a mixing engineer reaches for them; the rest follow by name. */
const EFFECT_ORDER = [
  "builtin:filter",
  "builtin:compressor",
  "builtin:reverb",
  "builtin:delay",
  "builtin:panner",
  "builtin:gain",
];

/** Node types that are no effect in a chain: they ignore their input or sum many. */
const NOT_EFFECTS = new Set(["builtin:mixer", "builtin:constant"]);

const FORMAT_ORDER: Record<string, number> = { builtin: 0, faust: 1, wam: 2 };

/**
 * The effects `nodes` (a discovery result) holds, for the picker: builtin first (filter, compressor,
 * reverb, delay, panner, gain, then by name), then Faust, then WAM. Instruments and sources (no audio
 * input) are left out.
 * @example
 * effectChoices((await engine.discoverNodes()).nodes)[0]?.node_id; // "builtin:filter"
 */
export function effectChoices(nodes: readonly NodeDescriptor[]): NodeDescriptor[] {
  const rank = (node: NodeDescriptor) => {
    const at = EFFECT_ORDER.indexOf(node.node_id);
    return at < 0 ? EFFECT_ORDER.length : at;
  };
  return nodes
    .filter(
      (node) =>
        node.extensions.is_instrument !== true &&
        node.extensions.input_channels !== 0 &&
        !NOT_EFFECTS.has(node.node_id) &&
        node.format in FORMAT_ORDER,
    )
    .sort(
      (a, b) =>
        (FORMAT_ORDER[a.format] ?? 9) - (FORMAT_ORDER[b.format] ?? 9) ||
        rank(a) - rank(b) ||
        a.name.localeCompare(b.name),
    );
}

/** The devices of `trackId` (or the master's). Throws when there is no such track. */
export function devicesOf(project: Project, trackId: string): readonly Device[] {
  if (trackId === MASTER_ID) return project.master.devices;
  const track = project.tracks.find((candidate) => candidate.id === trackId);
  if (!track) throw new Error(`no track "${trackId}"`);
  return track.devices;
}

/** The automation lanes of one device on its track: address to lane. */
function lanesOf(project: Project, trackId: string, deviceId: string): ProjectCommand[] {
  const automation =
    trackId === MASTER_ID
      ? project.master.automation
      : (project.tracks.find((track) => track.id === trackId)?.automation ?? {});
  const prefix = `device:${deviceId}:`;
  return Object.entries(automation)
    .filter(([address]) => address.startsWith(prefix))
    .map(([address, lane]) => ({ type: "set_automation", track_id: trackId, address, lane }));
}

/**
 * `replacement` put where the device `deviceId` is (same id), as one command that keeps the device's
 * automation lanes; `index` moves it (default: where it is).
 */
export function replaceDeviceCommand(
  project: Project,
  trackId: string,
  deviceId: string,
  replacement: Device,
  label: string,
  index?: number,
): ProjectCommand {
  const devices = devicesOf(project, trackId);
  const at = devices.findIndex((device) => device.id === deviceId);
  if (at < 0) throw new Error(`no device "${deviceId}" on "${trackId}"`);
  return {
    type: "batch",
    label,
    commands: [
      { type: "remove_device", track_id: trackId, device_id: deviceId },
      { type: "add_device", track_id: trackId, device: replacement, index: index ?? at },
      ...lanesOf(project, trackId, deviceId),
    ],
  };
}

/**
 * The command moving device `deviceId` `by` places (−1 up, +1 down, towards the track's input or its
 * output), or null when it is already at that end.
 * @example
 * moveDeviceCommand(project, "synth", "filter", -1); // a batch labelled "Move Filter up on Synth"
 */
export function moveDeviceCommand(
  project: Project,
  trackId: string,
  deviceId: string,
  by: -1 | 1,
  deviceName = deviceId,
): ProjectCommand | null {
  const devices = devicesOf(project, trackId);
  const at = devices.findIndex((device) => device.id === deviceId);
  const to = at + by;
  if (at < 0 || to < 0 || to >= devices.length) return null;
  const device = devices[at] as Device;
  const label = `Move ${deviceName} ${by < 0 ? "up" : "down"} on ${trackLabel(project, trackId)}`;
  return replaceDeviceCommand(project, trackId, deviceId, device, label, to);
}

/** A track's name as labels show it. */
export function trackLabel(project: Project, trackId: string): string {
  if (trackId === MASTER_ID) return "Master";
  const track = project.tracks.find((candidate) => candidate.id === trackId);
  return track ? track.name || track.id : trackId;
}
