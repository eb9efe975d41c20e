import { describe, expect, it } from "vitest";
import { encodeWav } from "../../src/audio-io/wav-codec";
import { applyCommand } from "../../src/project/project-commands";
import { parseProject } from "../../src/project/project-invariants";
import { audioImportCommand, wavSampleRate } from "../../src/studio/audio-import";
import { freshId, idStem } from "../../src/studio/studio-ids";
import { computePeaks } from "../../src/studio/waveform-peaks";

const empty = parseProject({ format: "webdreamer-project", format_version: 1 });

describe("ids for what the studio adds", () => {
  it("makes a stem of any text and never reuses an id of the project", () => {
    expect(idStem("Kick 01.wav")).toBe("kick-01-wav");
    expect(idStem("¡¡¡")).toBe("item");
    const project = parseProject({
      format: "webdreamer-project",
      format_version: 1,
      tracks: [
        { kind: "audio", id: "kick" },
        { kind: "instrument", id: "kick-2", instrument: { id: "kick-3", node_id: "builtin:synth" } },
      ],
    });
    expect(freshId(project, "Kick")).toBe("kick-4");
    expect(freshId(project, "Kick", new Set(["kick-4"]))).toBe("kick-5");
    expect(freshId(empty, "x".repeat(60)).length).toBeLessThanOrEqual(48);
  });
});

describe("importing audio", () => {
  it("reads a WAV's rate from its header, and nothing from other bytes", () => {
    const wav = encodeWav({ sampleRate: 22050, channels: [new Float32Array(10)] });
    expect(wavSampleRate(wav)).toBe(22050);
    expect(wavSampleRate(new Uint8Array(64))).toBeNull();
  });

  it("adds the audio, a track and a clip of the whole file as one command", () => {
    const audio = { sampleRate: 48000, channels: [new Float32Array(48000), new Float32Array(48000)] };
    const imported = audioImportCommand(empty, "Loop 1.wav", audio, 2);
    expect(imported).toMatchObject({ contentId: "loop-1", trackId: "audio", clipId: "loop-1-clip" });
    const project = applyCommand(empty, imported.command);
    expect(project.audio).toEqual([
      { content_id: "loop-1", name: "Loop 1.wav", sample_rate: 48000, frames: 48000, channels: 2 },
    ]);
    const track = project.tracks[0];
    expect(track?.kind === "audio" && track.clips[0]).toMatchObject({ start_beat: 2, length_beats: 2 });
  });
});

describe("waveform peaks", () => {
  it("takes min and max per bucket over every channel", () => {
    const peaks = computePeaks(
      [new Float32Array([0, 0.5, -0.25, 1, 0.1]), new Float32Array([-1, 0, 0, 0, 0.2])],
      2,
      8000,
    );
    expect([...peaks.min]).toEqual([-1, -0.25, 0.10000000149011612]);
    expect([...peaks.max]).toEqual([0.5, 1, 0.20000000298023224]);
    expect(peaks.frames).toBe(5);
  });
});
