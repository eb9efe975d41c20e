/**
 * A 16-track, 3-minute project: it compiles to a graph the contracts accept, a fader move on it is
 * one parameter call, and the compile and diff times are printed (figures, not assertions: the
 * machine running the suite is shared).
 */
import { describe, expect, it } from "vitest";
import { checkGraph } from "../../src/contracts/graph-semantics";
import { RenderRequestSchema } from "../../src/contracts/render";
import { parseContract } from "../../src/contracts/validate";
import { compileProject, ProjectCompiler } from "../../src/project/compile-project";
import { diffCompiled } from "../../src/project/diff-compiled";
import { applyCommand } from "../../src/project/project-commands";
import { BEATS, scaleAudioSources, sixteenTracks } from "../support/project-scale";
import { makeProject } from "./project-fixtures";

describe("a 16-track, 3-minute project", () => {
  it("compiles to a valid graph, and a fader move is one parameter call", () => {
    const project = makeProject({
      audio: scaleAudioSources(),
      tracks: sixteenTracks(),
    });
    const buffers = Object.fromEntries(
      project.audio.map((source, index) => [source.content_id, `buf:${index + 1}`]),
    );
    const compiler = new ProjectCompiler();
    const started = performance.now();
    const compiled = compiler.compile(project, { sampleRate: 48000, buffers });
    const compileMs = performance.now() - started;
    checkGraph(compiled.graph);
    // Written in the parsed form: parsing changes nothing (every default is there).
    expect(parseContract(RenderRequestSchema, compiled.request)).toEqual(compiled.request);
    const warmStarted = performance.now();
    compileProject(project, { sampleRate: 48000, buffers }); // a fresh compiler: every track again
    const warmMs = performance.now() - warmStarted;
    const clips = 8 * (BEATS / 4);
    // Per track: sum, mute, fader, pan; devices; a send; one node per audio clip; the master's two.
    expect(compiled.graph.nodes).toHaveLength(clips + 8 * 5 + 6 * 4 + 2 * 5 + 2);
    expect(compiled.request.duration_seconds).toBe(180);
    const applyStarted = performance.now();
    const moved = applyCommand(project, { type: "set_mixer", track_id: "audio3", mixer: { volume_db: -2 } });
    const applyMs = performance.now() - applyStarted;
    const diffStarted = performance.now();
    const next = compiler.compile(moved, { sampleRate: 48000, buffers });
    const recompileMs = performance.now() - diffStarted;
    const change = diffCompiled(compiled, next);
    const diffMs = performance.now() - diffStarted - recompileMs;
    // The compiler kept every other track's nodes (not the moved track's 95, nor the master's 2), and
    // the result is what a fresh compile gives.
    const kept = next.graph.nodes.filter((node, index) => node === compiled.graph.nodes[index]).length;
    expect(kept).toBe(compiled.graph.nodes.length - (BEATS / 4 + 5) - 2);
    expect(JSON.stringify(next)).toBe(JSON.stringify(compileProject(moved, { sampleRate: 48000, buffers })));
    expect(change).toMatchObject({ kind: "edits", edits: [{ type: "set_parameter", node: "audio3.fader" }] });
    const events = compiled.graph.nodes.reduce((total, node) => total + node.midi.length, 0);
    console.log(
      `16 tracks, 3 min: ${compiled.graph.nodes.length} nodes, ${events} MIDI events; compile ${compileMs.toFixed(1)} ms ` +
        `(first), ${warmMs.toFixed(1)} ms (warm); after a fader move: recompile ${recompileMs.toFixed(1)} ms ` +
        `(ProjectCompiler, one track rebuilt), diff ${diffMs.toFixed(1)} ms; the command itself (rules checked) ${applyMs.toFixed(1)} ms`,
    );
  });
});
