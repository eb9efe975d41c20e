/**
 * What a track's automation lane can drive: its volume and pan, each send's level, and every
 * automatable parameter of its devices (the instrument first, then the effects in signal order), named
 * and ranged by the devices' descriptors from discovery. Each target has the lane address the project
 * uses (project-schema.ts: `volume`, `pan`, `send:<send id>`, `device:<device id>:<parameter id>`),
 * its range and how to say a value. A send's lane is in dB as its slider (compile-automation.ts makes
 * each point the gain 10^(dB/20) of the send's builtin:gain).
 */
import type { NodeDescriptor, ParameterDescriptor } from "../contracts/node-descriptor";
import { type Device, MASTER_ID, type Project, type Send, type Track } from "../project/project-schema";
import type { ValueRange } from "./automation-math";
import { formatSendDb, MAX_SEND_DB, MIN_SEND_DB } from "./mixer-sends";
import { formatDb, formatPan, MAX_FADER_DB, MIN_FADER_DB } from "./mixer-strip";

export interface AutomationTarget extends ValueRange {
  /** The lane address in the project. */
  address: string;
  /** What the picker and the points' names call it: "Volume", "Synth: Filter cutoff". */
  name: string;
  /** The value as words: "-6.0 dB", "20% left", "800 Hz", "saw". */
  format(value: number): string;
  /** The curve a drawn or recorded point gets: step for discrete parameters, else linear. */
  curve: "linear" | "step";
}

const VOLUME: AutomationTarget = {
  address: "volume",
  name: "Volume",
  min: MIN_FADER_DB,
  max: MAX_FADER_DB,
  discrete: false,
  format: formatDb,
  curve: "linear",
};

const PAN: AutomationTarget = {
  address: "pan",
  name: "Pan",
  min: -1,
  max: 1,
  discrete: false,
  format: formatPan,
  curve: "linear",
};

/** A send's level: "Send to Bus 1", in dB over the send slider's range. */
function sendTarget(send: Send, project: Project | undefined): AutomationTarget {
  const bus = project?.tracks.find((track) => track.id === send.target);
  return {
    address: `send:${send.id}`,
    name: `Send to ${bus ? bus.name || bus.id : send.target}`,
    min: MIN_SEND_DB,
    max: MAX_SEND_DB,
    discrete: false,
    format: formatSendDb,
    curve: "linear",
  };
}

/** A device parameter's value in words: its choice label, or the number with its units. */
function formatParameter(parameter: ParameterDescriptor): (value: number) => string {
  const { choices, units } = parameter.extensions;
  return (value) => {
    const choice = choices?.[Math.round(value)];
    if (choice !== undefined) return choice;
    const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
    return `${+value.toFixed(digits)}${units ? ` ${units}` : ""}`;
  };
}

function deviceTargets(device: Device, descriptor: NodeDescriptor | undefined): AutomationTarget[] {
  const deviceName = descriptor?.name ?? device.node_id.replace(/^[a-z]+:/, "");
  return (descriptor?.parameters ?? [])
    .filter((parameter) => parameter.extensions.automatable !== false)
    .map((parameter) => {
      const type = parameter.extensions.type;
      const discrete = type === "int" || type === "boolean" || type === "choice";
      return {
        address: `device:${device.id}:${parameter.id}`,
        name: `${deviceName}: ${parameter.name}`,
        min: parameter.range[0],
        max: parameter.range[1],
        discrete,
        format: formatParameter(parameter),
        curve: discrete ? "step" : "linear",
      };
    });
}

/**
 * The targets of `track`: volume, pan, each send's level (named after its bus when `project` is
 * given), then each device's parameters as `nodeTypes` (discovery) describes them. A device whose type
 * discovery has not described yet offers none, except the lanes the track already has, which are
 * always listed (ranged by their points) so they stay reachable.
 * @example
 * const [track] = project.tracks;
 * if (track) automationTargets(track, []).map((target) => target.address); // ["volume", "pan"] on an audio track without sends or lanes
 */
export function automationTargets(
  track: Track,
  nodeTypes: readonly NodeDescriptor[],
  project?: Project,
): AutomationTarget[] {
  const devices = track.kind === "instrument" ? [track.instrument, ...track.devices] : track.devices;
  // The master (master-lane.ts shows it as a track) has a volume but no pan.
  const mixer = track.id === MASTER_ID ? [VOLUME] : [VOLUME, PAN];
  const targets = [...mixer, ...track.sends.map((send) => sendTarget(send, project))];
  for (const device of devices) {
    const descriptor = nodeTypes.find((node) => node.node_id === device.node_id);
    targets.push(...deviceTargets(device, descriptor));
  }
  for (const [address, lane] of Object.entries(track.automation)) {
    if (targets.some((target) => target.address === address)) continue;
    const values = lane.points.map((point) => point.value);
    const min = Math.min(...values);
    const max = Math.max(...values);
    targets.push({
      address,
      name: address.replace(/^device:/, ""),
      min: max > min ? min : min - 1,
      max: max > min ? max : min + 1,
      discrete: false,
      format: (value) => `${+value.toFixed(2)}`,
      curve: "linear",
    });
  }
  return targets;
}

/**
 * The value a target holds when the lane is not there: the mixer's volume or pan, the send's level,
 * or the device's parameter (its project value, else its descriptor's default), clamped into the target's range.
 * @example
 * const [track] = project.tracks;
 * const [volume] = track ? automationTargets(track, []) : [];
 * if (track && volume) staticValue(track, volume, []); // track.mixer.volume_db
 */
export function staticValue(
  track: Track,
  target: AutomationTarget,
  nodeTypes: readonly NodeDescriptor[],
): number {
  const clamp = (value: number) => Math.min(target.max, Math.max(target.min, value));
  if (target.address === "volume") return clamp(track.mixer.volume_db);
  if (target.address === "pan") return clamp(track.mixer.pan);
  if (target.address.startsWith("send:")) {
    const send = track.sends.find((candidate) => `send:${candidate.id}` === target.address);
    return clamp(send?.level_db ?? 0);
  }
  const [, deviceId, ...rest] = target.address.split(":");
  const parameterId = rest.join(":");
  const devices = track.kind === "instrument" ? [track.instrument, ...track.devices] : track.devices;
  const device = devices.find((d) => d.id === deviceId);
  const set = device?.params[parameterId];
  if (typeof set === "number") return clamp(set);
  const descriptor = nodeTypes.find((node) => node.node_id === device?.node_id);
  const parameter = descriptor?.parameters?.find((p) => p.id === parameterId);
  return clamp(parameter?.default ?? target.min);
}
