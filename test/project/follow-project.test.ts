/**
 * followProject keeps an in-process engine on an editor's project through edits, undos and a reload,
 * and reports a change it cannot compile without leaving the engine on a half-applied edit.
 */
import { describe, expect, it } from "vitest";
import type { EngineClient, HostKind } from "../../src/api/engine-client";
import type { GraphDescriptor } from "../../src/contracts/graph-descriptor";
import { createEngine } from "../../src/create-engine";
import type { InProcessEngineClient } from "../../src/hosts/in-process/in-process-client";
import { compileProject } from "../../src/project/compile-project";
import type { EngineChange } from "../../src/project/diff-compiled";
import { followProject } from "../../src/project/follow-project";
import type { ProjectCommand } from "../../src/project/project-commands";
import { ProjectEditor } from "../../src/project/project-editor";
import { makeProject } from "./project-fixtures";

const RATE = 48000;

describe("followProject", () => {
  it("keeps the engine's graph rendering what the project compiles to, through edits, undo and a reload", async () => {
    const engine = (await createEngine({ sampleRate: RATE })) as unknown as InProcessEngineClient;
    const tone = Float32Array.from(
      { length: RATE },
      (_, i) => Math.sin((2 * Math.PI * 330 * i) / RATE) * 0.4,
    );
    const buffers = { tone: await engine.uploadBuffer([tone], RATE) };
    const editor = new ProjectEditor(
      makeProject({
        audio: [{ content_id: "tone", sample_rate: RATE, frames: RATE, channels: 1 }],
        tracks: [
          {
            kind: "audio",
            id: "a",
            clips: [{ id: "c1", start_beat: 0, length_beats: 1, content_id: "tone" }],
          },
        ],
      }),
    );
    const changes: EngineChange["kind"][] = [];
    const follower = await followProject(editor, engine, {
      sampleRate: RATE,
      buffers,
      onChange: (change) => changes.push(change.kind),
    });
    for (let step = 1; step <= 10; step++) {
      editor.execute({ type: "set_mixer", track_id: "a", mixer: { volume_db: -step } }, { gesture: "drag" });
    }
    editor.execute({
      type: "add_clip",
      track_id: "a",
      clip: { id: "c2", start_beat: 2, length_beats: 1, content_id: "tone" },
    });
    editor.execute({
      type: "update_clip",
      track_id: "a",
      clip_id: "c2",
      clip: { start_beat: 2.5, gain_db: -3 },
    });
    editor.undo();
    editor.execute({ type: "set_mixer", track_id: "a", mixer: { pan: -0.7 } });
    await follower.settled();
    expect(changes).toEqual([...new Array(10).fill("edits"), "reload", "edits", "edits", "edits"]);
    const expected = compileProject(editor.project, { sampleRate: RATE, buffers });
    const renderGraph = async (graph: GraphDescriptor) => {
      const result = await engine.render({ ...expected.request, node_graph: graph });
      return engine.readBuffer(result.buffer_handle as string);
    };
    const [played, compiled] = [
      await renderGraph(engine.loadedGraph() as GraphDescriptor),
      await renderGraph(expected.graph),
    ];
    expect(
      played.map((channel, c) => channel.filter((value, i) => !Object.is(value, compiled[c]?.[i])).length),
    ).toEqual([0, 0]);
    follower.stop();
    await engine.close();
  });

  it("reports audio without a handle, keeps the engine on what it played, and catches up when the audio arrives", async () => {
    const engine = (await createEngine({ sampleRate: RATE })) as unknown as InProcessEngineClient;
    const editor = new ProjectEditor(makeProject({ tracks: [{ kind: "bus", id: "b" }] }));
    const follower = await followProject(editor, engine, { sampleRate: RATE, buffers: {} });
    const before = engine.loadedGraph();
    editor.execute({
      type: "add_audio",
      source: { content_id: "new", sample_rate: RATE, frames: 10, channels: 1 },
    });
    editor.execute({
      type: "add_track",
      track: {
        kind: "audio",
        id: "t",
        clips: [{ id: "c", start_beat: 0, length_beats: 1, content_id: "new" }],
      },
    });
    await expect(follower.settled()).rejects.toThrow(
      'E_UNKNOWN_HANDLE at project.tracks[1].clips[0].content_id: no buffer handle for audio "new"',
    );
    expect(engine.loadedGraph()).toBe(before);
    // The audio arrives: the engine catches up with the project.
    follower.setBuffers({ new: await engine.uploadBuffer([new Float32Array(10).fill(0.5)], RATE) });
    await follower.settled(); // the earlier failure was reported once
    expect(engine.loadedGraph()?.nodes.map((node) => node.name)).toContain("t.clip.c");
    await engine.close();
  });

  /** A client that records the calls it gets; setParameter refuses when told to. */
  function recordingClient(host: HostKind, refuseParameters = false) {
    const calls: string[] = [];
    const client = {
      host,
      loadGraph: async () => void calls.push("loadGraph"),
      setLoop: async () => void calls.push("setLoop"),
      setParameter: async (node: string) => {
        calls.push(`setParameter ${node}`);
        if (refuseParameters) throw new Error("refused");
      },
      scheduleAutomation: async (node: string) => void calls.push(`scheduleAutomation ${node}`),
      scheduleEvents: async (node: string) => void calls.push(`scheduleEvents ${node}`),
    };
    return { client: client as unknown as EngineClient, calls };
  }

  const keys = () =>
    new ProjectEditor(
      makeProject({
        tracks: [
          {
            kind: "instrument",
            id: "keys",
            instrument: { id: "syn", node_id: "builtin:synth" },
            clips: [{ id: "m", start_beat: 0, length_beats: 4 }],
          },
        ],
      }),
    );
  const addNote: ProjectCommand = {
    type: "update_clip",
    track_id: "keys",
    clip_id: "m",
    clip: { notes: [{ beat: 1, length_beats: 1, note: 60, velocity: 100 }] },
  };

  it("schedules added notes on hosts that replay them, and reloads for them on the real-time host", async () => {
    for (const [host, expected] of [
      ["in-process", "scheduleEvents keys.dev.syn"],
      ["audioworklet", "loadGraph"],
    ] as const) {
      const { client, calls } = recordingClient(host);
      const editor = keys();
      const follower = await followProject(editor, client, { sampleRate: RATE, buffers: {} });
      editor.execute(addNote);
      await follower.settled();
      expect(calls, host).toEqual([
        "loadGraph",
        "setLoop",
        expected,
        ...(host === "audioworklet" ? ["setLoop"] : []),
      ]);
    }
  });

  it("reloads when the engine refuses an edit, so it never stays on half of one", async () => {
    const { client, calls } = recordingClient("in-process", true);
    const editor = keys();
    const follower = await followProject(editor, client, { sampleRate: RATE, buffers: {} });
    editor.execute({ type: "set_mixer", track_id: "keys", mixer: { volume_db: -6, pan: 0.5 } });
    await follower.settled();
    expect(calls).toEqual(["loadGraph", "setLoop", "setParameter keys.fader", "loadGraph", "setLoop"]);
  });
});
