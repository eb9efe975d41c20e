/**
 * Random project commands for the property tests: a command built against the current project from a
 * few random numbers, often valid, sometimes refused (an overlap, a cycle, a send to a non-bus).
 */
import type { ProjectCommand } from "../../src/project/project-commands";
import type { Project } from "../../src/project/project-schema";

/**
 * A command built against the current project from a few random numbers: often valid, sometimes
 * refused (an overlap, a cycle, a send to a non-bus), which the property covers too.
 */
export function commandFrom(
  project: Project,
  [choice, a, b, c]: [number, number, number, number],
  serial: number,
  nested = false,
): ProjectCommand {
  const tracks = project.tracks;
  const track = tracks[a % Math.max(1, tracks.length)];
  const trackId = track?.id ?? "none";
  const id = `x${serial}`;
  const beat = (b % 64) / 4;
  const clips = track !== undefined && track.kind !== "bus" ? track.clips : [];
  const clip = clips[c % Math.max(1, clips.length)];
  const buses = tracks.filter((candidate) => candidate.kind === "bus");
  const bus = buses[b % Math.max(1, buses.length)];
  switch (choice % (nested ? 20 : 21)) {
    case 0:
      return { type: "add_track", track: { kind: "audio", id }, index: b % (tracks.length + 1) };
    case 1:
      return { type: "add_track", track: { kind: "bus", id } };
    case 2:
      return {
        type: "add_track",
        track: { kind: "instrument", id, instrument: { id: `${id}i`, node_id: "builtin:synth" } },
      };
    case 3:
      return c % 3 === 0
        ? { type: "move_track", track_id: trackId, index: b % Math.max(1, tracks.length) }
        : { type: "remove_track", track_id: trackId };
    case 4:
      return {
        type: "set_mixer",
        track_id: b % 5 === 0 ? "master" : trackId,
        mixer: { volume_db: -(c % 60) },
      };
    case 5:
      return {
        type: "set_mixer",
        track_id: trackId,
        mixer: { pan: ((c % 21) - 10) / 10, mute: b % 2 === 0 },
      };
    case 6:
      return { type: "set_mixer", track_id: trackId, mixer: { solo: b % 2 === 0, solo_safe: c % 3 === 0 } };
    case 7:
      return { type: "set_output", track_id: trackId, output: bus?.id ?? "master" };
    case 8:
      return {
        type: "add_send",
        track_id: trackId,
        send: { id, target: bus?.id ?? trackId, pre_fader: c % 2 === 0 },
      };
    case 9: {
      const send = track?.sends[c % Math.max(1, track.sends.length)];
      return {
        type: "set_send",
        track_id: trackId,
        send_id: send?.id ?? "none",
        send: { level_db: -(b % 40) },
      };
    }
    case 10: {
      const send = track?.sends[0];
      return { type: "remove_send", track_id: trackId, send_id: send?.id ?? "none" };
    }
    case 11:
      return track?.kind === "instrument"
        ? {
            type: "add_clip",
            track_id: trackId,
            clip: {
              id,
              start_beat: beat,
              length_beats: 1 + (c % 8),
              notes: [{ beat: 0, length_beats: 1, note: 60, velocity: 100 }],
            },
          }
        : {
            type: "add_clip",
            track_id: trackId,
            clip: {
              id,
              start_beat: beat,
              length_beats: 1 + (c % 8),
              content_id: "loop",
              fade_in: { beats: (c % 3) / 4 },
              loop: c % 4 === 0 ? { start_seconds: 0.5, end_seconds: 1 } : null,
            },
          };
    case 12:
      return {
        type: "update_clip",
        track_id: trackId,
        clip_id: clip?.id ?? "none",
        clip: { start_beat: beat },
      };
    case 13:
      return {
        type: "update_clip",
        track_id: trackId,
        clip_id: clip?.id ?? "none",
        clip: { length_beats: 0.5 + (c % 6) },
      };
    case 14:
      return { type: "remove_clip", track_id: trackId, clip_id: clip?.id ?? "none" };
    case 15:
      return {
        type: "add_device",
        track_id: trackId,
        device: { id, node_id: "builtin:filter", params: { frequency: 200 + c } },
      };
    case 16: {
      const device = track?.devices[0];
      return c % 2 === 0
        ? {
            type: "set_device_params",
            track_id: trackId,
            device_id: device?.id ?? "none",
            params: { frequency: 100 + b },
          }
        : c % 3 === 0
          ? {
              type: "set_instrument",
              track_id: trackId,
              instrument: { id: `${id}-i`, node_id: "builtin:synth", params: { filter_cutoff: 100 + b } },
            }
          : { type: "remove_device", track_id: trackId, device_id: device?.id ?? "none" };
    }
    case 17:
      return {
        type: "set_automation",
        track_id: trackId,
        address: c % 3 === 0 ? "pan" : "volume",
        lane:
          b % 4 === 0
            ? null
            : {
                points: [
                  { beat: 0, value: -(c % 30) },
                  { beat: beat + 1, value: 0 },
                ],
              },
      };
    case 18:
      return b % 2 === 0
        ? {
            type: "set_tempo",
            tempo: {
              map: [
                { beat: 0, bpm: 60 + (c % 120) },
                { beat: 4 + (b % 8), bpm: 90 },
              ],
            },
          }
        : { type: "set_loop", loop: c % 3 === 0 ? null : { start_beat: beat, end_beat: beat + 1 + (c % 4) } };
    case 19:
      if (c % 3 === 0)
        return { type: "update_marker", marker_id: project.markers[0]?.id ?? "none", marker: { beat } };
      return b % 2 === 0
        ? { type: "add_marker", marker: { id, beat, name: `M${serial}` } }
        : { type: "remove_marker", marker_id: project.markers[0]?.id ?? "none" };
    default:
      // Two commands as one edit, checked once at the end (built against the same project).
      return {
        type: "batch",
        label: "Batch",
        commands: [
          commandFrom(project, [a, b, c, choice], serial + 1000, true),
          commandFrom(project, [b, c, a, choice], serial + 2000, true),
        ],
      };
  }
}
