/**
 * The rules of a project that its schema cannot state, checked after every edit (a command that would
 * break one is refused and changes nothing) and when a project is read:
 *
 * - every id (tracks, clips, devices, sends, markers, presets) is unique in the project; "master" is the master's;
 * - references resolve: a clip's and a device buffer's content id is in `audio`, a track's output is
 *   "master" or a bus, a send targets a bus other than its own track;
 * - bus routing (outputs and sends together) has no cycle;
 * - clips on a track are in start order, at most two sound at once (a crossfade), and each one's
 *   declared fades fit in it: starts strictly increase, ends strictly increase, and clip i starts at or
 *   after clip i-2 ends;
 * - an audio clip starts inside its audio, and its loop lies inside the audio with the start before the
 *   loop end; MIDI events start inside their clip;
 * - automation lanes name a parameter the track has (volume, pan, one of its sends or devices), their
 *   points are in beat order, volume, pan and send lanes use linear or step segments (a linear
 *   segment in dB is an exponential one in gain, see compile-automation.ts), exponential segments
 *   join values of one sign;
 * - time signatures start at beat 0 in increasing beats; a loop range ends after it starts.
 */
import { EngineError, type FieldIssue } from "../contracts/errors";
import { formatPath, parseContract } from "../contracts/validate";
import {
  type AutomationLane,
  type Clip,
  MASTER_ID,
  type Master,
  type Project,
  ProjectSchema,
  type Track,
} from "./project-schema";

type Path = (string | number)[];

/**
 * Every broken rule of `project`, each with the path of its field (empty when it holds them all).
 * @example
 * const issues = projectIssues(project);
 * if (issues.length > 0) console.warn(issues.map((issue) => `${issue.path}: ${issue.detail}`));
 */
export function projectIssues(project: Project): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const report = (path: Path, detail: string): void => {
    issues.push({ path: formatPath(path, "project"), detail });
  };
  checkIds(project, report);
  const audio = new Set(project.audio.map((source) => source.content_id));
  const buses = new Set(project.tracks.filter((track) => track.kind === "bus").map((track) => track.id));
  project.tracks.forEach((track, index) => {
    const path: Path = ["tracks", index];
    if (track.output !== MASTER_ID && !buses.has(track.output)) {
      report([...path, "output"], `must be "master" or a bus track id; "${track.output}" is not a bus`);
    }
    if (track.output === track.id) report([...path, "output"], "must not be the track itself");
    track.sends.forEach((send, sendIndex) => {
      if (!buses.has(send.target) || send.target === track.id) {
        report([...path, "sends", sendIndex, "target"], `must be another bus track; "${send.target}" is not`);
      }
    });
    const devices = track.kind === "instrument" ? [track.instrument, ...track.devices] : track.devices;
    checkDeviceBuffers(devices, audio, track.kind === "instrument" ? path : [...path, "devices"], report);
    checkClips(project, track, path, report);
    checkAutomation(track.automation, laneTargets(track), [...path, "automation"], report);
  });
  checkDeviceBuffers(project.master.devices, audio, ["master", "devices"], report);
  checkAutomation(project.master.automation, masterTargets(project.master), ["master", "automation"], report);
  const cycle = routingCycle(project);
  if (cycle !== null) report(["tracks"], `bus routing has a cycle: ${cycle.join(" -> ")}`);
  project.time_signatures.forEach((signature, index) => {
    const previous = project.time_signatures[index - 1];
    if (index === 0 && signature.beat !== 0) report(["time_signatures", 0, "beat"], "must be 0");
    if (previous !== undefined && signature.beat <= previous.beat) {
      report(["time_signatures", index, "beat"], `must be > time_signatures[${index - 1}].beat`);
    }
  });
  if (project.loop !== null && project.loop.end_beat <= project.loop.start_beat) {
    report(["loop", "end_beat"], "must be > start_beat");
  }
  return issues;
}

/**
 * Throws E_SCHEMA at the first broken rule (all of them in `issues`); returns the project otherwise.
 * @example
 * checkProject(project); // E_SCHEMA at project.tracks[1].sends[0].target: must be another bus track; ...
 */
export function checkProject(project: Project): Project {
  const issues = projectIssues(project);
  const first = issues[0];
  if (first !== undefined) throw new EngineError("E_SCHEMA", first.detail, first.path, issues);
  return project;
}

/**
 * A project from JSON-like input: the schema (defaults filled in), then its rules. A format version
 * newer than this code reads is refused before anything else, so a later file is never half-read.
 * @example
 * const project = parseProject(JSON.parse(text)); // E_SCHEMA at project.format_version: ... is newer ...
 */
export function parseProject(value: unknown): Project {
  const version = (value as { format_version?: unknown } | null)?.format_version;
  if (typeof version === "number" && version > ProjectSchema.shape.format_version.value) {
    throw new EngineError(
      "E_SCHEMA",
      `is ${version}, newer than this webdreamer reads (${ProjectSchema.shape.format_version.value}): open it with a later version`,
      "project.format_version",
    );
  }
  return checkProject(parseContract(ProjectSchema, value, "project"));
}

function checkIds(project: Project, report: (path: Path, detail: string) => void): void {
  const seen = new Map<string, string>([[MASTER_ID, "project.master"]]);
  const claim = (id: string, path: Path) => {
    const first = seen.get(id);
    const text = formatPath(path, "project");
    if (first !== undefined) report([...path, "id"], `duplicates the id of ${first}`);
    else seen.set(id, text);
  };
  project.tracks.forEach((track, t) => {
    claim(track.id, ["tracks", t]);
    if (track.kind === "instrument") claim(track.instrument.id, ["tracks", t, "instrument"]);
    for (const [d, device] of track.devices.entries()) claim(device.id, ["tracks", t, "devices", d]);
    for (const [s, send] of track.sends.entries()) claim(send.id, ["tracks", t, "sends", s]);
    const clips: readonly Clip[] = track.kind === "bus" ? [] : track.clips;
    for (const [c, clip] of clips.entries()) claim(clip.id, ["tracks", t, "clips", c]);
  });
  for (const [d, device] of project.master.devices.entries()) claim(device.id, ["master", "devices", d]);
  for (const [m, marker] of project.markers.entries()) claim(marker.id, ["markers", m]);
  for (const [p, preset] of project.presets.entries()) claim(preset.id, ["presets", p]);
  const contents = new Set<string>();
  project.audio.forEach((source, a) => {
    if (contents.has(source.content_id)) report(["audio", a, "content_id"], "is listed twice");
    contents.add(source.content_id);
  });
}

function checkDeviceBuffers(
  devices: readonly { buffers: Record<string, string> }[],
  audio: ReadonlySet<string>,
  path: Path,
  report: (path: Path, detail: string) => void,
): void {
  devices.forEach((device, index) => {
    for (const [slot, contentId] of Object.entries(device.buffers)) {
      if (!audio.has(contentId))
        report([...path, index, "buffers", slot], `no audio "${contentId}" in project.audio`);
    }
  });
}

function checkClips(
  project: Project,
  track: Track,
  path: Path,
  report: (path: Path, detail: string) => void,
): void {
  if (track.kind === "bus") return;
  const clips: readonly Clip[] = track.clips;
  clips.forEach((clip, index) => {
    const at: Path = [...path, "clips", index];
    const end = clip.start_beat + clip.length_beats;
    const previous = clips[index - 1];
    if (previous !== undefined) {
      if (clip.start_beat <= previous.start_beat)
        report([...at, "start_beat"], "must be > the previous clip's start");
      if (end <= previous.start_beat + previous.length_beats) {
        report(
          [...at, "length_beats"],
          "must end after the previous clip ends (clips may overlap, not nest)",
        );
      }
    }
    const beforePrevious = clips[index - 2];
    if (
      beforePrevious !== undefined &&
      clip.start_beat < beforePrevious.start_beat + beforePrevious.length_beats
    ) {
      report([...at, "start_beat"], "overlaps two clips: at most two clips of a track may sound at once");
    }
    if ("content_id" in clip) {
      if (clip.fade_in.beats + clip.fade_out.beats > clip.length_beats) {
        report([...at, "fade_out", "beats"], "fade_in.beats + fade_out.beats must be <= length_beats");
      }
      const source = project.audio.find((entry) => entry.content_id === clip.content_id);
      if (source === undefined) {
        report([...at, "content_id"], `no audio "${clip.content_id}" in project.audio`);
        return;
      }
      const seconds = source.frames / source.sample_rate;
      if (clip.source_start_seconds >= seconds) {
        report([...at, "source_start_seconds"], `must be < the audio's length (${seconds} s)`);
      }
      if (clip.loop !== null) {
        if (clip.loop.end_seconds <= clip.loop.start_seconds)
          report([...at, "loop", "end_seconds"], "must be > start_seconds");
        if (clip.loop.end_seconds > seconds)
          report([...at, "loop", "end_seconds"], `must be <= the audio's length (${seconds} s)`);
        if (clip.source_start_seconds >= clip.loop.end_seconds) {
          report([...at, "source_start_seconds"], "must be < loop.end_seconds");
        }
      }
    } else {
      for (const field of ["notes", "cc", "pitch_bend"] as const) {
        clip[field].forEach((event, e) => {
          if (event.beat >= clip.length_beats)
            report([...at, field, e, "beat"], "must be < the clip's length_beats");
        });
      }
    }
  });
}

/** What a lane address may name on a track, and whether exponential segments are allowed there. */
type LaneTargets = (address: string) => "level" | "any" | undefined;

function laneTargets(track: Track): LaneTargets {
  const sends = new Set(track.sends.map((send) => send.id));
  const devices = new Set(track.devices.map((device) => device.id));
  if (track.kind === "instrument") devices.add(track.instrument.id);
  return (address) => {
    if (address === "volume" || address === "pan") return "level";
    const [kind, id, ...rest] = address.split(":");
    if (kind === "send" && rest.length === 0 && sends.has(id ?? "")) return "level";
    if (kind === "device" && devices.has(id ?? "") && rest.join(":") !== "") return "any";
    return undefined;
  };
}

function masterTargets(master: Master): LaneTargets {
  const devices = new Set(master.devices.map((device) => device.id));
  return (address) => {
    if (address === "volume") return "level";
    const [kind, id, ...rest] = address.split(":");
    return kind === "device" && devices.has(id ?? "") && rest.join(":") !== "" ? "any" : undefined;
  };
}

function checkAutomation(
  lanes: Record<string, AutomationLane>,
  targets: LaneTargets,
  path: Path,
  report: (path: Path, detail: string) => void,
): void {
  for (const [address, lane] of Object.entries(lanes)) {
    const target = targets(address);
    if (target === undefined) {
      report(
        [...path, address],
        "names no parameter of this track: volume, pan, send:<id> or device:<id>:<parameter>",
      );
      continue;
    }
    lane.points.forEach((point, index) => {
      const previous = lane.points[index - 1];
      if (previous !== undefined && point.beat < previous.beat) {
        report([...path, address, "points", index, "beat"], `must be >= points[${index - 1}].beat`);
      }
      if (point.curve !== "exponential") return;
      const next = lane.points[index + 1];
      if (target === "level") report([...path, address, "points", index, "curve"], "must be linear or step");
      else if (next !== undefined && !(point.value * next.value > 0)) {
        report(
          [...path, address, "points", index, "curve"],
          "exponential needs this value and the next non-zero, same sign",
        );
      }
    });
  }
}

/** The first cycle of the routing graph (track -> output and sends), as track ids, or null. */
function routingCycle(project: Project): string[] | null {
  const edges = new Map<string, string[]>();
  for (const track of project.tracks) {
    edges.set(track.id, [track.output, ...track.sends.map((send) => send.target)]);
  }
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === "done") return null;
    if (state.get(id) === "open") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "open");
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      const found = visit(next);
      if (found !== null) return found;
    }
    stack.pop();
    state.set(id, "done");
    return null;
  };
  for (const track of project.tracks) {
    const found = visit(track.id);
    if (found !== null) return found;
  }
  return null;
}
