/**
 * What a command is called in a history list ("Volume of Bass"), and what it edits, for coalescing:
 * two commands of one gesture with the same target key merge into one history entry (a fader drag is
 * one undo step, a drag of two faders in one gesture is two).
 */
import type { ProjectCommand } from "./project-commands";
import { MASTER_ID, type Project } from "./project-schema";

/**
 * A short human label for `command`, naming the track it edits by its name in `project`.
 * @example
 * commandLabel({ type: "set_mixer", track_id: "bass", mixer: { volume_db: -3 } }, project); // "Volume of Bass"
 */
export function commandLabel(command: ProjectCommand, project: Project): string {
  const track = "track_id" in command ? trackName(project, command.track_id) : "";
  switch (command.type) {
    case "add_track":
      return `Add ${command.track.kind} track`;
    case "remove_track":
      return `Remove ${track}`;
    case "rename_track":
      return `Rename ${track}`;
    case "move_track":
      return `Move ${track}`;
    case "set_mixer": {
      const fields = Object.keys(command.mixer).map((key) => MIXER_WORDS[key] ?? key);
      return `${capitalise(fields.join(", ") || "Mixer")} of ${track}`;
    }
    case "set_output":
      return `Route ${track}`;
    case "add_send":
      return `Add send to ${track}`;
    case "set_send":
      return `Send level of ${track}`;
    case "remove_send":
      return `Remove send from ${track}`;
    case "add_device":
      return `Add device to ${track}`;
    case "remove_device":
      return `Remove device from ${track}`;
    case "set_device_bypass":
      return `${command.bypass ? "Bypass" : "Unbypass"} device on ${track}`;
    case "set_instrument":
      return `Instrument of ${track}`;
    case "set_device_params":
      return `Device parameters of ${track}`;
    case "add_clip":
      return `Add clip to ${track}`;
    case "update_clip":
      return `${clipVerb(Object.keys(command.clip))} clip on ${track}`;
    case "remove_clip":
      return `Remove clip from ${track}`;
    case "set_automation":
      return `Automation of ${addressWords(project, command.track_id, command.address)} on ${track}`;
    case "rename_project":
      return "Rename project";
    case "set_tempo":
      return "Tempo";
    case "set_time_signatures":
      return "Time signature";
    case "add_marker":
      return "Add marker";
    case "remove_marker":
      return "Remove marker";
    case "update_marker":
      return "Edit marker";
    case "batch":
      return command.label;
    case "set_loop":
      return command.loop === null ? "Clear loop" : "Loop range";
    case "add_audio":
      return "Add audio";
    case "remove_audio":
      return "Remove audio";
    case "save_preset":
      return `Save preset ${command.preset.name}`;
    case "remove_preset":
      return "Remove preset";
  }
}

/**
 * What `command` edits: equal keys within one gesture coalesce.
 * @example
 * coalesceKey({ type: "set_mixer", track_id: "bass", mixer: { volume_db: -3 } }); // "set_mixer|bass|volume_db"
 */
export function coalesceKey(command: ProjectCommand): string {
  if (command.type === "batch") return `batch|${command.commands.map(coalesceKey).join(";")}`;
  const parts: string[] = [command.type];
  for (const field of ["track_id", "clip_id", "send_id", "device_id", "address", "marker_id"] as const) {
    if (field in command) parts.push(String((command as unknown as Record<string, unknown>)[field]));
  }
  for (const field of ["mixer", "send", "clip", "params", "marker"] as const) {
    if (field in command)
      parts.push(
        Object.keys((command as unknown as Record<string, object>)[field] ?? {})
          .sort()
          .join(","),
      );
  }
  return parts.join("|");
}

const MIXER_WORDS: Record<string, string> = {
  volume_db: "volume",
  pan: "pan",
  mute: "mute",
  solo: "solo",
  solo_safe: "solo safe",
};

function clipVerb(fields: string[]): string {
  if (fields.length === 1 && fields[0] === "start_beat") return "Move";
  if (fields.every((field) => field === "fade_in" || field === "fade_out")) return "Fade";
  if (fields.every((field) => field === "gain_db")) return "Gain of";
  if (fields.some((field) => field === "notes" || field === "cc" || field === "pitch_bend"))
    return "Edit notes of";
  return "Edit";
}

function trackName(project: Project, trackId: string): string {
  if (trackId === MASTER_ID) return "Master";
  const track = project.tracks.find((candidate) => candidate.id === trackId);
  return track === undefined ? trackId : track.name || track.id;
}

/** A lane's address in words where it names an id: `send:<id>` as "send to <bus>"; others as they are. */
function addressWords(project: Project, trackId: string, address: string): string {
  if (!address.startsWith("send:")) return address;
  const track = project.tracks.find((candidate) => candidate.id === trackId);
  const send = track?.sends.find((candidate) => `send:${candidate.id}` === address);
  return send === undefined ? address : `send to ${trackName(project, send.target)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
