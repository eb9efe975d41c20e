/**
 * A saved project with automation lanes renders what its lanes say: a volume lane (linear in dB,
 * then a step) and a pan lane on a track playing a constant, saved as a .wdproj, opened again and
 * exported on the in-process engine. Each frame's level is 0.5 · 10^(lane dB / 20) through the pan
 * law, at the lane's value for the frame's beat (laneValueAt, the studio's own reading of a lane).
 */
import { describe, expect, it } from "vitest";

import { decodeWav } from "../../src/audio-io/wav-codec";
import { createEngine } from "../../src/create-engine";
import { exportProject } from "../../src/project/export-project";
import { unzipProject, zipProject } from "../../src/project/project-zip";
import { laneValueAt } from "../../src/studio/automation-math";
import { CONSTANT_BPM, CONSTANT_LEVEL, CONSTANT_RATE, constantProject } from "../support/constant-project";

const RATE = CONSTANT_RATE;
const BPM = CONSTANT_BPM;
const DC = CONSTANT_LEVEL;

function automatedProject() {
  return constantProject("automation", [
    {
      kind: "audio",
      id: "tone",
      clips: [{ id: "c1", start_beat: 0, length_beats: 8, content_id: "dc" }],
      automation: {
        // -30 dB up to 0 dB over beats 1..5 (held before), held until a step down to -12 dB at beat 6.
        volume: {
          points: [
            { beat: 1, value: -30 },
            { beat: 5, value: 0, curve: "step" },
            { beat: 6, value: -12 },
          ],
        },
      },
    },
    {
      kind: "audio",
      id: "panned",
      clips: [{ id: "c2", start_beat: 0, length_beats: 8, content_id: "dc" }],
      mixer: { mute: false },
      // Full left to full right over beats 0..8.
      automation: {
        pan: {
          points: [
            { beat: 0, value: -1 },
            { beat: 8, value: 1 },
          ],
        },
      },
    },
  ]);
}

describe("automation lanes of a saved project", () => {
  it("render on the frames their points say, in both channels", async () => {
    const saved = await zipProject(automatedProject());
    const opened = await unzipProject(saved, "automation.wdproj");
    const volume = opened.project.tracks[0]?.automation.volume?.points ?? [];
    const pan = opened.project.tracks[1]?.automation.pan?.points ?? [];
    expect(volume).toHaveLength(3);

    const engine = await createEngine({ sampleRate: RATE });
    // The tone track alone first (the panned one muted), then the panned one alone.
    const solo = (id: string) => ({
      ...opened,
      project: {
        ...opened.project,
        tracks: opened.project.tracks.map((track) => ({
          ...track,
          mixer: { ...track.mixer, mute: track.id !== id },
        })),
      },
    });
    const tone = decodeWav((await exportProject(engine, solo("tone"), { sampleRate: RATE })).mixdown);
    const panned = decodeWav((await exportProject(engine, solo("panned"), { sampleRate: RATE })).mixdown);
    await engine.close();

    const beatOf = (frame: number) => ((frame / RATE) * BPM) / 60;
    const centre = Math.cos(Math.PI / 4);
    const left = tone.channels[0] as Float32Array;
    const right = tone.channels[1] as Float32Array;
    // Frames before, along and after the ramp, at the step and after it.
    for (const beat of [0.5, 1, 1.75, 2, 3, 4.5, 5, 5.5, 5.99, 6, 7]) {
      const frame = Math.round(((beat * 60) / BPM) * RATE);
      const expected = DC * centre * 10 ** (laneValueAt(volume, beatOf(frame)) / 20);
      expect(left[frame], `left at beat ${beat}`).toBeCloseTo(expected, 5);
      expect(right[frame], `right at beat ${beat}`).toBeCloseTo(expected, 5);
    }
    // The figures the lane says, in words: -30 dB at beat 1, -15 dB at beat 3, -12 dB from beat 6.
    expect(left[RATE / 2]).toBeCloseTo(DC * centre * 10 ** (-30 / 20), 6);
    expect(left[(3 * RATE) / 2]).toBeCloseTo(DC * centre * 10 ** (-15 / 20), 5);
    expect(left[3 * RATE]).toBeCloseTo(DC * centre * 10 ** (-12 / 20), 6);
    expect(left[3 * RATE - 1]).toBeCloseTo(DC * centre, 6);

    // The pan lane through the equal-power law: left cos(θ), right sin(θ), θ = (pan + 1) · π/4.
    for (const beat of [0, 2, 4, 6, 7.5]) {
      const frame = Math.round(((beat * 60) / BPM) * RATE);
      const theta = ((laneValueAt(pan, beatOf(frame)) + 1) * Math.PI) / 4;
      expect(panned.channels[0]?.[frame], `pan left at beat ${beat}`).toBeCloseTo(DC * Math.cos(theta), 5);
      expect(panned.channels[1]?.[frame], `pan right at beat ${beat}`).toBeCloseTo(DC * Math.sin(theta), 5);
    }
  });
});
