/**
 * Commands, undo and redo: labels, coalescing of drags, change events, refused commands, and the
 * property that any sequence of edits, undos and redos keeps every rule and unwinds byte for byte.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/contracts/errors";
import { checkGraph } from "../../src/contracts/graph-semantics";
import { compileProject, ProjectCompiler } from "../../src/project/compile-project";
import type { ProjectCommand } from "../../src/project/project-commands";
import { type ProjectChange, ProjectEditor } from "../../src/project/project-editor";
import { projectIssues } from "../../src/project/project-invariants";
import type { Project } from "../../src/project/project-schema";
import { commandFrom } from "./project-command-arbitrary";
import { makeProject } from "./project-fixtures";
import { replaceOneValue } from "./replace-one-value";

const AUDIO = [{ content_id: "loop", sample_rate: 48000, frames: 96000, channels: 2 }];

function starter(): Project {
  return makeProject({
    audio: AUDIO,
    tracks: [
      {
        kind: "audio",
        id: "bass",
        name: "Bass",
        clips: [{ id: "c1", start_beat: 0, length_beats: 4, content_id: "loop" }],
      },
      { kind: "bus", id: "verb", name: "Verb" },
    ],
  });
}

describe("ProjectEditor", () => {
  it("coalesces a drag of one fader into one undo step, back to where the drag started", () => {
    const editor = new ProjectEditor(starter());
    for (let step = 1; step <= 60; step++) {
      editor.execute(
        { type: "set_mixer", track_id: "bass", mixer: { volume_db: -step / 10 } },
        { gesture: "drag-1" },
      );
    }
    expect(editor.history.done).toHaveLength(1);
    expect(editor.history.done[0]?.commands).toHaveLength(60);
    expect(editor.undoLabel).toBe("Volume of Bass");
    expect(editor.project.tracks[0]?.mixer.volume_db).toBe(-6);
    editor.undo();
    expect(editor.project.tracks[0]?.mixer.volume_db).toBe(0);
    editor.redo();
    expect(editor.project.tracks[0]?.mixer.volume_db).toBe(-6);
  });

  it("keeps separate steps for another gesture, another target, and after an undo", () => {
    const editor = new ProjectEditor(starter());
    const volume = (db: number, gesture: string, track = "bass") =>
      editor.execute({ type: "set_mixer", track_id: track, mixer: { volume_db: db } }, { gesture });
    volume(-1, "a");
    volume(-2, "a");
    volume(-3, "b"); // a new drag
    volume(-4, "b", "verb"); // same drag id, another fader
    editor.execute({ type: "set_mixer", track_id: "bass", mixer: { pan: 0.5 } }, { gesture: "b" }); // another field
    expect(editor.history.done.map((entry) => entry.label)).toEqual([
      "Volume of Bass",
      "Volume of Bass",
      "Volume of Verb",
      "Pan of Bass",
    ]);
    editor.undo();
    editor.redo();
    editor.execute({ type: "set_mixer", track_id: "bass", mixer: { pan: 0.2 } }, { gesture: "b" }); // after a redo
    expect(editor.history.done).toHaveLength(5);
  });

  it("merges a wholeGesture's commands on several targets into one step, and only its own gesture's", () => {
    const editor = new ProjectEditor(starter());
    const set = (track: string, db: number, gesture: string) =>
      editor.execute(
        { type: "set_mixer", track_id: track, mixer: { volume_db: db } },
        { gesture, wholeGesture: true },
      );
    set("bass", -1, "take");
    set("verb", -2, "take");
    set("bass", -3, "take");
    set("verb", -4, "other");
    expect(editor.history.done.map((entry) => entry.commands.length)).toEqual([3, 1]);
    expect(editor.history.done[0]?.label).toBe("Volume of Bass");
    editor.undo();
    editor.undo();
    expect(editor.project.tracks.map((track) => track.mixer.volume_db)).toEqual([0, 0]);
  });

  it("tells subscribers what changed, and stops when they unsubscribe", () => {
    const editor = new ProjectEditor(starter());
    const heard: ProjectChange[] = [];
    const stop = editor.subscribe((change) => heard.push(change));
    const initial = editor.project;
    editor.execute({ type: "update_clip", track_id: "bass", clip_id: "c1", clip: { start_beat: 2 } });
    editor.undo();
    editor.redo();
    stop();
    editor.undo();
    expect(heard.map((change) => [change.cause, change.label])).toEqual([
      ["execute", "Move clip on Bass"],
      ["undo", "Move clip on Bass"],
      ["redo", "Move clip on Bass"],
    ]);
    expect(heard[1]?.after).toBe(initial);
    expect(heard[0]?.before).toBe(initial);
  });

  it("refuses a command that breaks a rule and changes nothing", () => {
    const editor = new ProjectEditor(starter());
    const heard: ProjectChange[] = [];
    editor.subscribe((change) => heard.push(change));
    const before = editor.project;
    const refused: [ProjectCommand, string][] = [
      [
        { type: "add_send", track_id: "bass", send: { id: "s1", target: "bass" } },
        "project.tracks[0].sends[0].target",
      ],
      [{ type: "set_output", track_id: "verb", output: "bass" }, "project.tracks[1].output"],
      [
        {
          type: "add_clip",
          track_id: "bass",
          clip: { id: "c1", start_beat: 8, length_beats: 1, content_id: "loop" },
        },
        "project.tracks[0].clips[1].id",
      ],
      [{ type: "set_mixer", track_id: "bass", mixer: { volume_db: 40 } }, "command.mixer.volume_db"],
      [{ type: "remove_clip", track_id: "nope", clip_id: "c1" }, "command.track_id"],
    ];
    for (const [command, path] of refused) {
      const error = (() => {
        try {
          editor.execute(command);
        } catch (caught) {
          return caught;
        }
        return null;
      })();
      expect(error, command.type).toBeInstanceOf(EngineError);
      expect((error as EngineError).path, command.type).toBe(path);
    }
    expect(editor.project).toBe(before);
    expect(heard).toEqual([]);
    expect(editor.canUndo).toBe(false);
  });

  it("allows two clips to overlap (a crossfade) but not three", () => {
    const editor = new ProjectEditor(starter());
    const add = (id: string, start: number) =>
      editor.execute({
        type: "add_clip",
        track_id: "bass",
        clip: { id, start_beat: start, length_beats: 4, content_id: "loop" },
      });
    add("c2", 3);
    expect(() => add("c3", 3.5)).toThrow(/at most two clips/);
    add("c3", 4);
    expect(
      editor.project.tracks[0]?.kind === "audio" && editor.project.tracks[0].clips.map((clip) => clip.id),
    ).toEqual(["c1", "c2", "c3"]);
  });

  it("keeps at most historyLimit steps, and refuses to remove audio a clip uses", () => {
    const editor = new ProjectEditor(starter(), { historyLimit: 3 });
    for (let step = 1; step <= 5; step++)
      editor.execute({ type: "set_mixer", track_id: "bass", mixer: { pan: step / 10 } });
    let undone = 0;
    while (editor.undo()) undone++;
    expect(undone).toBe(3);
    expect(editor.project.tracks[0]?.mixer.pan).toBe(0.2);
    expect(() => editor.execute({ type: "remove_audio", content_id: "loop" })).toThrow(
      'E_SCHEMA at project.tracks[0].clips[0].content_id: no audio "loop" in project.audio',
    );
  });

  it("moves a clip to another track in one batch: one undo step, refused whole if the end breaks a rule", () => {
    const editor = new ProjectEditor(starter());
    editor.execute({ type: "add_track", track: { kind: "audio", id: "gtr", name: "Guitar" } });
    const clip = { id: "c1", start_beat: 8, length_beats: 4, content_id: "loop" };
    const move: ProjectCommand = {
      type: "batch",
      label: "Move clip to Guitar",
      commands: [
        { type: "remove_clip", track_id: "bass", clip_id: "c1" },
        { type: "add_clip", track_id: "gtr", clip },
      ],
    };
    editor.execute(move);
    expect(editor.undoLabel).toBe("Move clip to Guitar");
    const clipsOf = (id: string) => {
      const track = editor.project.tracks.find((candidate) => candidate.id === id);
      return track?.kind === "audio" ? track.clips.map((entry) => `${entry.id}@${entry.start_beat}`) : [];
    };
    expect([clipsOf("bass"), clipsOf("gtr")]).toEqual([[], ["c1@8"]]);
    editor.undo();
    expect(editor.project.tracks[0]?.kind === "audio" && editor.project.tracks[0].clips[0]?.id).toBe("c1");
    // Adding without removing leaves the id twice: the batch is refused and nothing changes.
    const before = editor.project;
    expect(() =>
      editor.execute({
        type: "batch",
        label: "Copy",
        commands: [{ type: "add_clip", track_id: "gtr", clip }],
      }),
    ).toThrow(/duplicates the id/);
    expect(editor.project).toBe(before);
  });

  it("reorders tracks and keeps markers in beat order", () => {
    const editor = new ProjectEditor(starter());
    editor.execute({ type: "move_track", track_id: "verb", index: 0 });
    expect(editor.project.tracks.map((track) => track.id)).toEqual(["verb", "bass"]);
    expect(() => editor.execute({ type: "move_track", track_id: "verb", index: 2 })).toThrow(
      "E_SCHEMA at command.index",
    );
    editor.execute({ type: "add_marker", marker: { id: "m1", beat: 4, name: "Verse" } });
    editor.execute({ type: "add_marker", marker: { id: "m2", beat: 8, name: "Chorus" } });
    editor.execute({ type: "update_marker", marker_id: "m2", marker: { beat: 2 } });
    expect(editor.project.markers.map((marker) => [marker.id, marker.beat, marker.name])).toEqual([
      ["m2", 2, "Chorus"],
      ["m1", 4, "Verse"],
    ]);
  });

  it("knows whether the project is the saved one, also after undoing back to it", () => {
    const editor = new ProjectEditor(starter());
    expect(editor.isSaved).toBe(true);
    editor.execute({ type: "set_mixer", track_id: "bass", mixer: { mute: true } });
    expect(editor.isSaved).toBe(false);
    editor.markSaved();
    editor.execute({ type: "set_mixer", track_id: "bass", mixer: { mute: false } });
    expect(editor.isSaved).toBe(false);
    editor.undo();
    expect(editor.isSaved).toBe(true);
    editor.undo();
    expect(editor.isSaved).toBe(false);
  });

  it("removing a bus removes the sends to it and routes its members to the master", () => {
    const editor = new ProjectEditor(starter());
    editor.execute({ type: "add_send", track_id: "bass", send: { id: "s1", target: "verb" } });
    editor.execute({
      type: "set_automation",
      track_id: "bass",
      address: "send:s1",
      lane: { points: [{ beat: 0, value: -6 }] },
    });
    editor.execute({ type: "add_track", track: { kind: "audio", id: "gtr", output: "verb" } });
    editor.execute({ type: "remove_track", track_id: "verb" });
    const [bass, gtr] = editor.project.tracks;
    expect(bass?.sends).toEqual([]);
    expect(bass?.automation).toEqual({});
    expect(gtr?.output).toBe("master");
  });
});

/** Deep-freezes a project so an edit that changed one in place would throw. */
function freeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) freeze(child);
  }
  return value;
}

/** The rules restated independently of project-invariants.ts, for the property. */
function independentRuleBreaks(project: Project): string[] {
  const broken: string[] = [];
  const ids = [
    ...project.tracks.flatMap((track) => [
      track.id,
      ...track.sends.map((send) => send.id),
      ...track.devices.map((device) => device.id),
      ...(track.kind === "bus" ? [] : track.clips.map((clip) => clip.id)),
      ...(track.kind === "instrument" ? [track.instrument.id] : []),
    ]),
    ...project.markers.map((marker) => marker.id),
  ];
  if (new Set(ids).size !== ids.length) broken.push("ids repeat");
  const kinds = new Map(project.tracks.map((track) => [track.id, track.kind]));
  for (const track of project.tracks) {
    for (const send of track.sends)
      if (kinds.get(send.target) !== "bus") broken.push(`send ${send.id} targets a non-bus`);
    if (track.output !== "master" && kinds.get(track.output) !== "bus")
      broken.push(`${track.id} outputs to a non-bus`);
    // Routing: following outputs and sends from any track reaches no track twice on one path.
    const walk = (id: string, path: string[]): void => {
      if (path.includes(id)) {
        broken.push(`cycle ${[...path, id].join(">")}`);
        return;
      }
      const at = project.tracks.find((candidate) => candidate.id === id);
      if (at === undefined) return;
      for (const next of [at.output, ...at.sends.map((send) => send.target)]) walk(next, [...path, id]);
    };
    walk(track.id, []);
    if (track.kind !== "bus") {
      // At any clip's start at most one other clip of the track is sounding.
      for (const clip of track.clips) {
        const sounding = track.clips.filter(
          (other) =>
            other.start_beat <= clip.start_beat && clip.start_beat < other.start_beat + other.length_beats,
        );
        if (sounding.length > 2) broken.push(`three clips sound at ${clip.start_beat} on ${track.id}`);
      }
    }
  }
  return broken;
}

describe("any sequence of edits, undos and redos", () => {
  it("keeps every rule, compiles to a valid graph (kept nodes included), and unwinds byte for byte", () => {
    const step = fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat());
    const action = fc.oneof(
      {
        weight: 6,
        arbitrary: step.map((numbers) => ({
          kind: "command" as const,
          numbers,
          gesture: numbers[3] % 3 === 0,
        })),
      },
      { weight: 1, arbitrary: fc.constant({ kind: "undo" as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: "redo" as const }) },
    );
    let executed = 0;
    let refused = 0;
    let undone = 0;
    fc.assert(
      fc.property(fc.array(action, { minLength: 20, maxLength: 80 }), (actions) => {
        const initial = freeze(starter());
        const initialText = JSON.stringify(initial);
        const editor = new ProjectEditor(initial);
        const compiler = new ProjectCompiler();
        const compileOptions = { sampleRate: 48000, buffers: { loop: "buf:1" } };
        actions.forEach((act, serial) => {
          if (act.kind === "command") {
            const command = commandFrom(editor.project, act.numbers, serial);
            try {
              editor.execute(command, act.gesture ? { gesture: "drag" } : {});
              executed++;
            } catch (error) {
              expect(error).toBeInstanceOf(EngineError);
              refused++;
            }
          } else if (act.kind === "undo" && editor.canUndo) {
            // Redo after undo gives back the same project; then undo again.
            const text = JSON.stringify(editor.project);
            editor.undo();
            editor.redo();
            expect(JSON.stringify(editor.project)).toBe(text);
            editor.undo();
            undone++;
          } else if (act.kind === "redo") editor.redo();
          const project = freeze(editor.project);
          expect(projectIssues(project)).toEqual([]);
          expect(independentRuleBreaks(project)).toEqual([]);
          const compiled = compiler.compile(project, compileOptions);
          checkGraph(compiled.graph);
          // The compiler that kept nodes from earlier steps gives what a fresh compile gives.
          expect(JSON.stringify(compiled)).toBe(JSON.stringify(compileProject(project, compileOptions)));
        });
        // The newest state of the history (after redoing what the sequence left undone), then all
        // the way back, then forward again.
        while (editor.redo()) {}
        const newestText = JSON.stringify(editor.project);
        while (editor.undo()) {}
        expect(JSON.stringify(editor.project)).toBe(initialText);
        while (editor.redo()) {}
        expect(JSON.stringify(editor.project)).toBe(newestText);
      }),
      { numRuns: 100 },
    );
    console.log(
      `edit property: ${executed} commands applied, ${refused} refused, ${undone} undo/redo/undo checks`,
    );
    // The generator must exercise both outcomes, or the property proves little.
    expect(executed).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(100);
    expect(undone).toBeGreaterThan(100);
  });
});

describe("hostile commands", () => {
  it("apply or fail with E_SCHEMA, never another error, whatever one value of a command holds", () => {
    let applied = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()),
        fc.nat(),
        fc.jsonValue({ maxDepth: 2 }),
        (numbers, pick, replacement) => {
          const editor = new ProjectEditor(starter());
          const command = replaceOneValue(commandFrom(editor.project, numbers, 0), pick, replacement);
          try {
            editor.execute(command as ProjectCommand);
            expect(projectIssues(editor.project)).toEqual([]);
            applied++;
          } catch (error) {
            expect(error, JSON.stringify(command)).toBeInstanceOf(EngineError);
            refused++;
          }
        },
      ),
      { numRuns: 3000 },
    );
    console.log(`hostile commands: ${applied} applied, ${refused} refused`);
    // Most corruptions break the command; some land on a value that is still valid (a name, a number).
    expect(applied).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(1000);
  });
});
