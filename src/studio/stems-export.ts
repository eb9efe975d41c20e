/**
 * Export stems: the project's stems (exportProject with `stems`, rendered in the studio's Worker
 * engine as the mixdown is) as one download, a zip of one float32 WAV per track and bus. A file is
 * named after its track, with its place in the project in front ("01-Drums.wav"): the files list in
 * project order, and two tracks of one name still make two files. fflate writes the zip; WAVs barely
 * compress, so they are stored, and every entry carries one fixed date, so the same stems always zip
 * to the same bytes.
 */
import { type Zippable, zipSync } from "fflate";
import { EngineError } from "../contracts/errors";
import type { Track } from "../project/project-schema";
import { ZIP_DATE } from "../project/project-zip";
import { fileNameFor } from "./file-transfer";

/** A track as its stem file is named: its id and name. */
export type StemTrack = Pick<Track, "id" | "name">;

/**
 * The file name of each track's stem in the zip, by track id, in project order: its place (two
 * digits, or more for 100 tracks and over), then its name as fileNameFor writes it (its id when it
 * has none).
 * @example
 * stemFileNames([{ id: "t1", name: "Lead vox" }, { id: "t2", name: "" }]);
 * // Map { "t1" => "01-Lead-vox.wav", "t2" => "02-t2.wav" }
 */
export function stemFileNames(tracks: readonly StemTrack[]): Map<string, string> {
  const digits = Math.max(2, String(tracks.length).length);
  return new Map(
    tracks.map((track, index) => [
      track.id,
      `${String(index + 1).padStart(digits, "0")}-${fileNameFor(track.name.trim() || track.id, ".wav")}`,
    ]),
  );
}

/**
 * The zip of a project's stems (exportProject's `stems`, WAV bytes by track id), one file per track
 * as stemFileNames names it. Throws E_RENDER naming the track whose stem is missing.
 * @example
 * const zip = zipStems([{ id: "t1", name: "Drums" }], new Map([["t1", new Uint8Array(44)]])); // 01-Drums.wav
 */
export function zipStems(tracks: readonly StemTrack[], stems: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const entries: Zippable = {};
  for (const [id, fileName] of stemFileNames(tracks)) {
    const wav = stems.get(id);
    if (wav === undefined) throw new EngineError("E_RENDER", `the export has no stem of track "${id}"`);
    entries[fileName] = [wav, { level: 0, mtime: ZIP_DATE }];
  }
  return zipSync(entries);
}

/**
 * The zip's file name from the project's name.
 * @example
 * stemsZipName("My Song"); // "My-Song-stems.zip"
 */
export function stemsZipName(projectName: string): string {
  return fileNameFor(projectName, "-stems.zip");
}
