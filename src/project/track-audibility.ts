/**
 * Which tracks sound, from mute, solo and solo-safe (solo in place):
 *
 * - a muted track never sounds (nor do its sends, pre-fader ones included);
 * - with no track soloed, every unmuted track sounds;
 * - with some soloed, an unmuted track sounds if it is soloed, solo-safe, on the output path of a
 *   soloed track (the buses a soloed track plays through), or routed through a soloed track (the
 *   members of a soloed bus). Buses reached only by sends fall silent unless solo-safe: mark a
 *   reverb return solo-safe to hear a soloed track's reverb.
 */
import { MASTER_ID, type Project } from "./project-schema";

/**
 * The ids of the tracks that sound.
 * @example
 * const sounding = audibleTracks(project); // Set { "drums", "reverb" } with drums soloed, reverb solo-safe
 */
export function audibleTracks(project: Project): Set<string> {
  const outputOf = new Map(project.tracks.map((track) => [track.id, track.output]));
  const outputPath = (id: string): string[] => {
    const path: string[] = [];
    for (let next = outputOf.get(id); next !== undefined && next !== MASTER_ID; next = outputOf.get(next)) {
      if (path.includes(next)) break; // a cycle: the invariants refuse it, stay finite regardless
      path.push(next);
    }
    return path;
  };
  const soloed = new Set(project.tracks.filter((track) => track.mixer.solo).map((track) => track.id));
  const sounding = new Set<string>();
  for (const track of project.tracks) {
    if (track.mixer.mute) continue;
    const path = outputPath(track.id);
    if (
      soloed.size === 0 ||
      soloed.has(track.id) ||
      track.mixer.solo_safe ||
      path.some((bus) => soloed.has(bus)) ||
      project.tracks.some((other) => soloed.has(other.id) && outputPath(other.id).includes(track.id))
    ) {
      sounding.add(track.id);
    }
  }
  return sounding;
}
