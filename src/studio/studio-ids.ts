/**
 * Fresh ids for what the studio adds to a project. Ids are unique across the whole project (tracks,
 * clips, devices, sends, markers) and 1-48 of `A-Z a-z 0-9 _ -` (docs/projects.md, Rules); content
 * ids are unique among the project's audio.
 */
import type { Project } from "../project/project-schema";

const MAX_ID_LENGTH = 48;

/** Every id in use in `project`: tracks, clips, devices, instruments, sends, markers, presets, audio. */
function idsInUse(project: Project): Set<string> {
  const ids = new Set<string>(["master"]);
  for (const source of project.audio) ids.add(source.content_id);
  for (const marker of project.markers) ids.add(marker.id);
  for (const preset of project.presets) ids.add(preset.id);
  for (const device of project.master.devices) ids.add(device.id);
  for (const track of project.tracks) {
    ids.add(track.id);
    for (const device of track.devices) ids.add(device.id);
    for (const send of track.sends) ids.add(send.id);
    if (track.kind === "instrument") ids.add(track.instrument.id);
    if (track.kind !== "bus") for (const clip of track.clips) ids.add(clip.id);
  }
  return ids;
}

/**
 * `text` as an id's stem: lower case, runs of other characters as one "-", at most 32 characters.
 * @example
 * idStem("Kick 01.wav"); // "kick-01-wav"
 */
export function idStem(text: string): string {
  const stem = text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32);
  return stem || "item";
}

/**
 * The first of `stem`, `stem-2`, `stem-3`, ... no id of `project` uses.
 * @example
 * freshId(project, "track"); // "track-3" when track and track-2 exist
 */
export function freshId(project: Project, stem: string, taken: ReadonlySet<string> = new Set()): string {
  const used = idsInUse(project);
  const base = idStem(stem).slice(0, MAX_ID_LENGTH - 6);
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!used.has(id) && !taken.has(id)) return id;
  }
}
