/**
 * Every edit of a project is a command: a small plain object (loggable, sendable between threads)
 * that applyCommand turns into the next project. Commands are pure: the project given is never
 * changed; the result shares every part the edit did not touch (a volume change copies one track's
 * mixer strip, the tracks array and the project object), so a history of projects costs what the
 * edits changed, not a copy each.
 *
 * A command whose payload does not match its schema, names a missing track, clip, send or device, or
 * would break a rule of project-invariants.ts throws E_SCHEMA and gives no project: the one held is
 * still valid.
 */
import * as z from "zod";
import { EngineError } from "../contracts/errors";
import { TempoSchema } from "../contracts/graph-descriptor";
import { parseContract } from "../contracts/validate";
import { checkProject } from "./project-invariants";
import {
  AudioClipSchema,
  AudioSourceSchema,
  AutomationLaneSchema,
  type Clip,
  type Device,
  DeviceSchema,
  type LoopRange,
  LoopRangeSchema,
  MASTER_ID,
  type Marker,
  MarkerSchema,
  MidiClipSchema,
  MixerStripSchema,
  PresetSchema,
  type Project,
  ProjectIdSchema,
  type Send,
  SendSchema,
  TimeSignatureSchema,
  type Track,
  TrackSchema,
} from "./project-schema";

type Patch<T> = { [K in keyof T]?: T[K] };

/** The commands, tagged by `type`. `track_id` "master" names the master where a command allows it. */
export type ProjectCommand =
  | { type: "add_track"; track: z.input<typeof TrackSchema>; index?: number }
  | { type: "remove_track"; track_id: string }
  | { type: "rename_track"; track_id: string; name: string }
  | { type: "move_track"; track_id: string; index: number }
  | { type: "set_mixer"; track_id: string; mixer: Patch<z.output<typeof MixerStripSchema>> }
  | { type: "set_output"; track_id: string; output: string }
  | { type: "add_send"; track_id: string; send: z.input<typeof SendSchema> }
  | { type: "set_send"; track_id: string; send_id: string; send: Patch<Omit<Send, "id">> }
  | { type: "remove_send"; track_id: string; send_id: string }
  | { type: "add_device"; track_id: string; device: z.input<typeof DeviceSchema>; index?: number }
  | { type: "remove_device"; track_id: string; device_id: string }
  | { type: "set_instrument"; track_id: string; instrument: z.input<typeof DeviceSchema> }
  | { type: "set_device_bypass"; track_id: string; device_id: string; bypass: boolean }
  | {
      type: "set_device_params";
      track_id: string;
      device_id: string;
      params: Record<string, number | string>;
    }
  | {
      type: "add_clip";
      track_id: string;
      clip: z.input<typeof AudioClipSchema> | z.input<typeof MidiClipSchema>;
    }
  | {
      type: "update_clip";
      track_id: string;
      clip_id: string;
      clip:
        | Patch<Omit<z.input<typeof AudioClipSchema>, "id">>
        | Patch<Omit<z.input<typeof MidiClipSchema>, "id">>;
    }
  | { type: "remove_clip"; track_id: string; clip_id: string }
  | {
      type: "set_automation";
      track_id: string;
      address: string;
      lane: z.input<typeof AutomationLaneSchema> | null;
    }
  | { type: "rename_project"; name: string }
  | { type: "set_tempo"; tempo: z.input<typeof TempoSchema> }
  | { type: "set_time_signatures"; time_signatures: z.input<typeof TimeSignatureSchema>[] }
  | { type: "add_marker"; marker: z.input<typeof MarkerSchema> }
  | { type: "remove_marker"; marker_id: string }
  | { type: "update_marker"; marker_id: string; marker: { beat?: number; name?: string } }
  | { type: "set_loop"; loop: z.input<typeof LoopRangeSchema> | null }
  | { type: "add_audio"; source: z.input<typeof AudioSourceSchema> }
  | { type: "remove_audio"; content_id: string }
  /** A device preset: added, or replacing the preset with its id. */
  | { type: "save_preset"; preset: z.input<typeof PresetSchema> }
  | { type: "remove_preset"; preset_id: string }
  /** Several commands as one edit (one undo step): a clip moved to another track, a paste. */
  | { type: "batch"; label: string; commands: ProjectCommand[] };

export type ProjectCommandType = ProjectCommand["type"];

const Id = z.string();
const Payload = z.unknown();
const Patch = z.record(z.string(), z.unknown());

/**
 * The shape of every command, checked before it is applied: its type, its ids as strings, its
 * patches as objects. The payloads (a track, a clip, a lane) are checked by their own schemas where
 * they are used, so their errors name their fields.
 */
const CommandEnvelopeSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("add_track"), track: Payload, index: Payload.optional() }),
  z.strictObject({ type: z.literal("remove_track"), track_id: Id }),
  z.strictObject({ type: z.literal("rename_track"), track_id: Id, name: Payload }),
  z.strictObject({ type: z.literal("move_track"), track_id: Id, index: Payload }),
  z.strictObject({ type: z.literal("set_mixer"), track_id: Id, mixer: Patch }),
  z.strictObject({ type: z.literal("set_output"), track_id: Id, output: Payload }),
  z.strictObject({ type: z.literal("add_send"), track_id: Id, send: Payload }),
  z.strictObject({ type: z.literal("set_send"), track_id: Id, send_id: Id, send: Patch }),
  z.strictObject({ type: z.literal("remove_send"), track_id: Id, send_id: Id }),
  z.strictObject({ type: z.literal("add_device"), track_id: Id, device: Payload, index: Payload.optional() }),
  z.strictObject({ type: z.literal("remove_device"), track_id: Id, device_id: Id }),
  z.strictObject({ type: z.literal("set_instrument"), track_id: Id, instrument: Payload }),
  z.strictObject({ type: z.literal("set_device_bypass"), track_id: Id, device_id: Id, bypass: z.boolean() }),
  z.strictObject({ type: z.literal("set_device_params"), track_id: Id, device_id: Id, params: Payload }),
  z.strictObject({ type: z.literal("add_clip"), track_id: Id, clip: Payload }),
  z.strictObject({ type: z.literal("update_clip"), track_id: Id, clip_id: Id, clip: Patch }),
  z.strictObject({ type: z.literal("remove_clip"), track_id: Id, clip_id: Id }),
  z.strictObject({ type: z.literal("set_automation"), track_id: Id, address: Id, lane: Payload }),
  z.strictObject({ type: z.literal("rename_project"), name: Payload }),
  z.strictObject({ type: z.literal("set_tempo"), tempo: Payload }),
  z.strictObject({ type: z.literal("set_time_signatures"), time_signatures: Payload }),
  z.strictObject({ type: z.literal("add_marker"), marker: Payload }),
  z.strictObject({ type: z.literal("remove_marker"), marker_id: Id }),
  z.strictObject({ type: z.literal("update_marker"), marker_id: Id, marker: Patch }),
  z.strictObject({ type: z.literal("set_loop"), loop: Payload }),
  z.strictObject({ type: z.literal("add_audio"), source: Payload }),
  z.strictObject({ type: z.literal("remove_audio"), content_id: Id }),
  z.strictObject({ type: z.literal("save_preset"), preset: Payload }),
  z.strictObject({ type: z.literal("remove_preset"), preset_id: Id }),
  z.strictObject({ type: z.literal("batch"), label: z.string(), commands: z.array(z.unknown()) }),
]);

/**
 * The project after `command`, checked against every rule; throws E_SCHEMA (nothing changes).
 * @example
 * const louder = applyCommand(project, { type: "set_mixer", track_id: "bass", mixer: { volume_db: -3 } });
 */
export function applyCommand(project: Project, command: ProjectCommand): Project {
  return checkProject(transform(project, command));
}

function transform(project: Project, input: ProjectCommand): Project {
  // A command may come from anywhere (a script, another thread, a collaborator): its shape first.
  parse(CommandEnvelopeSchema, input, "command");
  const command = input;
  switch (command.type) {
    case "add_track": {
      const track = parse(TrackSchema, command.track, "command.track");
      const tracks = [...project.tracks];
      tracks.splice(insertionIndex(command.index, tracks.length), 0, track);
      return { ...project, tracks };
    }
    case "remove_track": {
      trackAt(project, command.track_id);
      // What fed the track follows it out: sends to it go, tracks routed to it go to the master.
      const tracks = project.tracks
        .filter((track) => track.id !== command.track_id)
        .map((track) => {
          const sends = track.sends.filter((send) => send.target !== command.track_id);
          if (sends.length === track.sends.length && track.output !== command.track_id) return track;
          const automation = withoutLanes(track.automation, (address) =>
            track.sends.some((send) => send.target === command.track_id && address === `send:${send.id}`),
          );
          const output = track.output === command.track_id ? MASTER_ID : track.output;
          return { ...track, sends, output, automation };
        });
      return { ...project, tracks };
    }
    case "move_track": {
      const track = trackAt(project, command.track_id);
      const index = parse(
        z
          .int()
          .min(0)
          .max(project.tracks.length - 1),
        command.index,
        "command.index",
      );
      const tracks = project.tracks.filter((candidate) => candidate !== track);
      tracks.splice(index, 0, track);
      return { ...project, tracks };
    }
    case "rename_track":
      return withTrack(project, command.track_id, (track) => ({
        ...track,
        name: parse(z.string().max(256), command.name, "command.name"),
      }));
    case "set_mixer": {
      if (command.track_id === MASTER_ID) {
        const patch = parse(
          z.strictObject({ volume_db: MixerStripSchema.shape.volume_db.unwrap() }),
          command.mixer,
          "command.mixer",
        );
        return { ...project, master: { ...project.master, ...patch } };
      }
      const patch = parse(patchOf(MixerStripSchema), command.mixer, "command.mixer");
      return withTrack(project, command.track_id, (track) => ({
        ...track,
        mixer: { ...track.mixer, ...defined(patch) },
      }));
    }
    case "set_output":
      return withTrack(project, command.track_id, (track) => ({
        ...track,
        output: parse(ProjectIdSchema, command.output, "command.output"),
      }));
    case "add_send": {
      const send = parse(SendSchema, command.send, "command.send");
      return withTrack(project, command.track_id, (track) => ({ ...track, sends: [...track.sends, send] }));
    }
    case "set_send":
      return withTrack(project, command.track_id, (track) => {
        const index = indexOf(track.sends, command.send_id, "command.send_id");
        const patch = parse(patchOf(SendSchema.omit({ id: true })), command.send, "command.send");
        const sends = [...track.sends];
        sends[index] = { ...(sends[index] as Send), ...defined(patch) };
        return { ...track, sends };
      });
    case "remove_send":
      return withTrack(project, command.track_id, (track) => {
        indexOf(track.sends, command.send_id, "command.send_id");
        return {
          ...track,
          sends: track.sends.filter((send) => send.id !== command.send_id),
          automation: withoutLanes(track.automation, (address) => address === `send:${command.send_id}`),
        };
      });
    case "add_device": {
      const device = parse(DeviceSchema, command.device, "command.device");
      return withDevices(project, command.track_id, (devices) => {
        const next = [...devices];
        next.splice(insertionIndex(command.index, next.length), 0, device);
        return next;
      });
    }
    case "remove_device": {
      const prefix = `device:${command.device_id}:`;
      const removed = withDevices(project, command.track_id, (devices) => {
        indexOf(devices, command.device_id, "command.device_id");
        return devices.filter((device) => device.id !== command.device_id);
      });
      if (command.track_id === MASTER_ID) {
        return {
          ...removed,
          master: {
            ...removed.master,
            automation: withoutLanes(removed.master.automation, (a) => a.startsWith(prefix)),
          },
        };
      }
      return withTrack(removed, command.track_id, (track) => ({
        ...track,
        automation: withoutLanes(track.automation, (address) => address.startsWith(prefix)),
      }));
    }
    case "set_instrument": {
      const instrument = parse(DeviceSchema, command.instrument, "command.instrument");
      return withTrack(project, command.track_id, (track) => {
        if (track.kind !== "instrument")
          throw new EngineError(
            "E_SCHEMA",
            `"${track.id}" is not an instrument track (its kind is "${track.kind}")`,
            "command.track_id",
          );
        // The old instrument's lanes name its parameters: kept only while the same node type plays
        // under the same id (a preset or a new version of the same code), dropped otherwise.
        const old = track.instrument;
        const same = old.id === instrument.id && old.node_id === instrument.node_id;
        const prefix = `device:${old.id}:`;
        return {
          ...track,
          instrument,
          automation: same ? track.automation : withoutLanes(track.automation, (a) => a.startsWith(prefix)),
        };
      });
    }
    case "set_device_bypass":
      return withDevices(project, command.track_id, (devices) => {
        const index = indexOf(devices, command.device_id, "command.device_id");
        const next = [...devices];
        const { bypass: _, ...device } = next[index] as Device;
        next[index] = command.bypass ? { ...device, bypass: true } : device;
        return next;
      });
    case "set_device_params": {
      const params = parse(DeviceSchema.shape.params, command.params, "command.params");
      const update = (device: Device): Device => ({ ...device, params: { ...device.params, ...params } });
      const track = command.track_id === MASTER_ID ? undefined : trackAt(project, command.track_id);
      if (track?.kind === "instrument" && track.instrument.id === command.device_id) {
        return withTrack(project, track.id, () => ({ ...track, instrument: update(track.instrument) }));
      }
      return withDevices(project, command.track_id, (devices) => {
        const index = indexOf(devices, command.device_id, "command.device_id");
        const next = [...devices];
        next[index] = update(next[index] as Device);
        return next;
      });
    }
    case "add_clip":
      return withClips(project, command.track_id, (clips, kind) => {
        const clip =
          kind === "audio"
            ? parse(AudioClipSchema, command.clip, "command.clip")
            : parse(MidiClipSchema, command.clip, "command.clip");
        return [...clips, clip];
      });
    case "update_clip":
      return withClips(project, command.track_id, (clips, kind) => {
        const index = indexOf(clips, command.clip_id, "command.clip_id");
        const schema = kind === "audio" ? AudioClipSchema : MidiClipSchema;
        const merged = { ...(clips[index] as Clip), ...defined(command.clip as object), id: command.clip_id };
        const next = [...clips];
        next[index] = parse(schema, merged, "command.clip") as Clip;
        return next;
      });
    case "remove_clip":
      return withClips(project, command.track_id, (clips) => {
        indexOf(clips, command.clip_id, "command.clip_id");
        return clips.filter((clip) => clip.id !== command.clip_id);
      });
    case "set_automation": {
      const lane = command.lane === null ? null : parse(AutomationLaneSchema, command.lane, "command.lane");
      const change = (lanes: Record<string, z.output<typeof AutomationLaneSchema>>) => {
        const next = withoutLanes(lanes, (address) => address === command.address);
        if (lane !== null) next[command.address] = lane;
        return next;
      };
      if (command.track_id === MASTER_ID)
        return { ...project, master: { ...project.master, automation: change(project.master.automation) } };
      return withTrack(project, command.track_id, (track) => ({
        ...track,
        automation: change(track.automation),
      }));
    }
    case "rename_project":
      return { ...project, name: parse(z.string().max(256), command.name, "command.name") };
    case "set_tempo":
      return { ...project, tempo: parse(TempoSchema, command.tempo, "command.tempo") };
    case "set_time_signatures":
      return {
        ...project,
        time_signatures: parse(
          z.array(TimeSignatureSchema).min(1),
          command.time_signatures,
          "command.time_signatures",
        ),
      };
    case "add_marker": {
      const marker = parse(MarkerSchema, command.marker, "command.marker");
      return { ...project, markers: [...project.markers, marker].sort((a, b) => a.beat - b.beat) };
    }
    case "remove_marker":
      indexOf(project.markers, command.marker_id, "command.marker_id");
      return { ...project, markers: project.markers.filter((marker) => marker.id !== command.marker_id) };
    case "update_marker": {
      const index = indexOf(project.markers, command.marker_id, "command.marker_id");
      const patch = parse(patchOf(MarkerSchema.omit({ id: true })), command.marker, "command.marker");
      const markers = [...project.markers];
      markers[index] = { ...(markers[index] as Marker), ...defined(patch) };
      return { ...project, markers: markers.sort((a, b) => a.beat - b.beat) };
    }
    case "set_loop": {
      const loop: LoopRange | null =
        command.loop === null ? null : parse(LoopRangeSchema, command.loop, "command.loop");
      return { ...project, loop };
    }
    case "add_audio":
      return {
        ...project,
        audio: [...project.audio, parse(AudioSourceSchema, command.source, "command.source")],
      };
    case "remove_audio":
      if (!project.audio.some((source) => source.content_id === command.content_id)) {
        throw new EngineError("E_SCHEMA", `no audio "${command.content_id}"`, "command.content_id");
      }
      return {
        ...project,
        audio: project.audio.filter((source) => source.content_id !== command.content_id),
      };
    case "save_preset": {
      const preset = parse(PresetSchema, command.preset, "command.preset");
      const at = project.presets.findIndex((candidate) => candidate.id === preset.id);
      const presets = [...project.presets];
      if (at < 0) presets.push(preset);
      else presets[at] = preset;
      return { ...project, presets };
    }
    case "remove_preset":
      indexOf(project.presets, command.preset_id, "command.preset_id");
      return { ...project, presets: project.presets.filter((preset) => preset.id !== command.preset_id) };
    case "batch":
      // The rules hold after the whole batch (applyCommand checks once): a clip may leave one track
      // before it arrives on another.
      return command.commands.reduce(transform, project);
    default:
      throw new EngineError(
        "E_SCHEMA",
        `is not a project command: ${String((command as { type?: unknown }).type)}`,
        "command.type",
      );
  }
}

/** Where an insert goes: `index` (0..length, checked), or the end. */
function insertionIndex(index: number | undefined, length: number): number {
  return index === undefined ? length : parse(z.int().min(0).max(length), index, "command.index");
}

function parse<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  return parseContract(schema, value, path);
}

/**
 * A schema for patches of `schema`'s objects: every key optional and, unlike `.partial()`, without
 * its default (zod fills a default into an absent key, which would reset what the patch leaves out).
 */
function patchOf<S extends z.ZodObject>(schema: S) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    shape[key] = (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field).optional();
  }
  return z.strictObject(shape);
}

/** The keys of a patch that are set (a UI's `{ pan: undefined }` changes nothing). */
function defined<T extends object>(patch: T): T {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as T;
}

function trackAt(project: Project, trackId: string): Track {
  const track = project.tracks.find((candidate) => candidate.id === trackId);
  if (track === undefined) throw new EngineError("E_SCHEMA", `no track "${trackId}"`, "command.track_id");
  return track;
}

function indexOf(items: readonly { id: string }[], id: string, path: string): number {
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) throw new EngineError("E_SCHEMA", `no "${id}" here`, path);
  return index;
}

function withTrack(project: Project, trackId: string, update: (track: Track) => Track): Project {
  const track = trackAt(project, trackId);
  const tracks = project.tracks.map((candidate) => (candidate === track ? update(track) : candidate));
  return { ...project, tracks };
}

function withDevices(project: Project, trackId: string, update: (devices: Device[]) => Device[]): Project {
  if (trackId === MASTER_ID)
    return { ...project, master: { ...project.master, devices: update(project.master.devices) } };
  return withTrack(project, trackId, (track) => ({ ...track, devices: update(track.devices) }));
}

/** Clips stay in start order (stable), the order the invariants check overlaps in. */
function withClips(
  project: Project,
  trackId: string,
  update: (clips: Clip[], kind: "audio" | "instrument") => Clip[],
): Project {
  return withTrack(project, trackId, (track) => {
    if (track.kind === "bus")
      throw new EngineError("E_SCHEMA", `track "${trackId}" is a bus: it has no clips`, "command.track_id");
    const clips = update(track.clips, track.kind).sort((a, b) => a.start_beat - b.start_beat);
    return { ...track, clips } as Track;
  });
}

function withoutLanes<L>(lanes: Record<string, L>, drop: (address: string) => boolean): Record<string, L> {
  return Object.fromEntries(Object.entries(lanes).filter(([address]) => !drop(address)));
}
