/**
 * A send's level automation renders what its lane says: a track playing a constant feeds a bus
 * through a post-fader send whose `send:<id>` lane ramps linearly in dB, holds, then steps; saved as a
 * .wdproj, opened again and rendered on the in-process engine with stems. At each checked frame the
 * bus's output is the track's output × 10^(lane dB / 20) (the law of the send's builtin:gain,
 * compile-automation.ts), the lane read as the studio reads it (laneValueAt); the track's own output
 * does not follow the lane.
 */
import { describe, expect, it } from "vitest";

import { createEngine } from "../../src/create-engine";
import { compileProject, trackNodes } from "../../src/project/compile-project";
import { unzipProject, zipProject } from "../../src/project/project-zip";
import { laneValueAt } from "../../src/studio/automation-math";
import { CONSTANT_BPM, CONSTANT_LEVEL, CONSTANT_RATE, constantProject } from "../support/constant-project";

const RATE = CONSTANT_RATE;
const BPM = CONSTANT_BPM;
const DC = CONSTANT_LEVEL;

function sendProject() {
  return constantProject("send automation", [
    {
      kind: "audio",
      id: "keys",
      clips: [{ id: "c1", start_beat: 0, length_beats: 8, content_id: "dc" }],
      sends: [{ id: "s1", target: "bus", level_db: 0 }],
      automation: {
        // -40 dB up to -6 dB over beats 1..5 (held before), held to a step down to -20 dB at beat 6.
        "send:s1": {
          points: [
            { beat: 1, value: -40 },
            { beat: 5, value: -6, curve: "step" },
            { beat: 6, value: -20 },
          ],
        },
      },
    },
    { kind: "bus", id: "bus", name: "Bus" },
  ]);
}

describe("a send's level lane of a saved project", () => {
  it("sets the bus's level on the frames its points say, by 10^(dB/20)", async () => {
    const opened = await unzipProject(await zipProject(sendProject()), "send.wdproj");
    const lane = opened.project.tracks[0]?.automation["send:s1"]?.points ?? [];
    expect(lane).toHaveLength(3);

    const engine = await createEngine({ sampleRate: RATE });
    const dc = opened.audio.get("dc");
    if (!dc) throw new Error("the saved project lost its audio");
    const buffers = { dc: await engine.uploadBuffer(dc.channels, dc.sampleRate) };
    const { request } = compileProject(opened.project, { sampleRate: RATE, buffers, stems: true });
    const result = await engine.render(request);
    expect(result.status).toBe("ok");
    const captures = result.extensions.captures ?? {};
    const keys = await engine.readBuffer(captures[trackNodes.pan("keys")] as string);
    const bus = await engine.readBuffer(captures[trackNodes.pan("bus")] as string);
    await engine.close();

    const beatOf = (frame: number) => ((frame / RATE) * BPM) / 60;
    const centre = Math.cos(Math.PI / 4);
    // The track is DC through the centre pan (mono: cos(π/4) a side); the bus's pan passes its stereo
    // input unchanged at the centre (mixer-laws.ts), so the bus is the send's output.
    for (const beat of [0.5, 1, 1.75, 3, 4.5, 5, 5.5, 5.99, 6, 7.5]) {
      const frame = Math.round(((beat * 60) / BPM) * RATE);
      expect(keys[0]?.[frame], `track at beat ${beat}`).toBeCloseTo(DC * centre, 6);
      const expected = DC * centre * 10 ** (laneValueAt(lane, beatOf(frame)) / 20);
      for (const c of [0, 1]) expect(bus[c]?.[frame], `bus ch ${c} at beat ${beat}`).toBeCloseTo(expected, 6);
    }
    // The lane's figures in words: -40 dB before beat 1, -23 dB at beat 3, -6 dB to beat 6, -20 dB after.
    const at = (beat: number) => bus[0]?.[Math.round(((beat * 60) / BPM) * RATE)] ?? Number.NaN;
    const level = (db: number) => DC * centre * 10 ** (db / 20);
    expect(at(0.5)).toBeCloseTo(level(-40), 7);
    expect(at(3)).toBeCloseTo(level(-23), 6);
    expect(at(5.99)).toBeCloseTo(level(-6), 6);
    expect(at(7)).toBeCloseTo(level(-20), 6);
  });
});
