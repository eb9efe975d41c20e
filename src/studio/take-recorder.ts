/**
 * Recording a take: what the keyboard and Web MIDI play on one instrument track between Play (with
 * Record armed) and Stop, recorded by the engine (LiveMidiRecorder) on the frames it played, then
 * made into the add_clip command of a new clip "Take N" on that track (recordedMidiClip: the frames
 * through the project's tempo map), so the whole take is one undoable edit. A take that starts inside
 * a clip already there is overdubbed into it (its notes added, the clip lengthened to hold them): the
 * project keeps clips from nesting or starting together, so a second clip cannot lie on the first.
 */
import type { LiveMidiRecorder, MidiRecording } from "../api/midi-recording";
import type { ProjectCommand } from "../project/project-commands";
import type { MidiClip, Project } from "../project/project-schema";
import { type RecordedClip, recordedMidiClip } from "../project/recorded-midi-clip";
import { freshId } from "./studio-ids";

/** What a take records: the track its clip goes to and the instrument node the keys play. */
export interface TakeTarget {
  trackId: string;
  node: string;
}

export interface FinishedTake {
  take: MidiRecording;
  /**
   * The add_clip of the take's clip (or the update_clip overdubbing it into the clip it started in),
   * or null when nothing was played on the node (or the track went).
   */
  command: (ProjectCommand & { type: "add_clip" | "update_clip" }) | null;
  clipId: string | null;
}

export class TakeRecorder {
  private target: TakeTarget | null = null;

  /** True while a take records. */
  get recording(): boolean {
    return this.target !== null;
  }

  /**
   * Starts a take on `target` (the engine records from the moment this resolves).
   * @example
   * await recorder.start(engine, { trackId: "keys", node: "keys.dev.synth" });
   */
  async start(engine: LiveMidiRecorder, target: TakeTarget): Promise<void> {
    this.target = target;
    try {
      await engine.startMidiRecording();
    } catch (error) {
      this.target = null;
      throw error;
    }
  }

  /**
   * Ends the take under way (null when none is): the engine's recording and the clip it makes on
   * `project`, whose bars are `beatsPerBar` beats long.
   * @example
   * const finished = await recorder.finish(engine, studio.project, 4);
   * if (finished?.command) studio.editor.execute(finished.command);
   */
  async finish(
    engine: LiveMidiRecorder,
    project: Project,
    beatsPerBar: number,
  ): Promise<FinishedTake | null> {
    const target = this.target;
    if (!target) return null;
    this.target = null;
    const take = await engine.stopMidiRecording();
    const clip = recordedMidiClip(take, target.node, project.tempo, beatsPerBar);
    const track = project.tracks.find((t) => t.id === target.trackId);
    if (!clip || track?.kind !== "instrument") return { take, command: null, clipId: null };
    const under = track.clips.find(
      (c) => c.start_beat <= clip.start_beat && clip.start_beat < c.start_beat + c.length_beats,
    );
    if (under) return { take, command: overdub(track.id, under, clip), clipId: under.id };
    const takes = track.clips.filter((c) => c.name.startsWith("Take ")).length;
    const id = freshId(project, `${track.id}-take`);
    return {
      take,
      command: { type: "add_clip", track_id: track.id, clip: { id, name: `Take ${takes + 1}`, ...clip } },
      clipId: id,
    };
  }
}

/**
 * The update_clip adding a recorded clip's notes, CC and pitch bend to `clip` (which starts at or before
 * it), moved to the clip's beats, lengthening the clip to the recording's end if that is later.
 * @example
 * const clip = { id: "c", name: "", start_beat: 0, length_beats: 4, notes: [], cc: [], pitch_bend: [] };
 * const note = { beat: 3, length_beats: 2, note: 60, velocity: 100, channel: 1 };
 * overdub("keys", clip, { start_beat: 0, length_beats: 8, notes: [note], cc: [], pitch_bend: [] });
 * // an update_clip of "c": length_beats 8, notes [note]
 */
export function overdub(
  trackId: string,
  clip: MidiClip,
  recorded: RecordedClip,
): ProjectCommand & { type: "update_clip" } {
  const shift = recorded.start_beat - clip.start_beat;
  const byBeat = (a: { beat: number }, b: { beat: number }) => a.beat - b.beat;
  return {
    type: "update_clip",
    track_id: trackId,
    clip_id: clip.id,
    clip: {
      length_beats: Math.max(clip.length_beats, shift + recorded.length_beats),
      notes: [...clip.notes, ...recorded.notes.map((n) => ({ ...n, beat: n.beat + shift }))].sort(byBeat),
      cc: [...clip.cc, ...recorded.cc.map((c) => ({ ...c, beat: c.beat + shift }))].sort(byBeat),
      pitch_bend: [
        ...clip.pitch_bend,
        ...recorded.pitch_bend.map((p) => ({ ...p, beat: p.beat + shift })),
      ].sort(byBeat),
    },
  };
}
