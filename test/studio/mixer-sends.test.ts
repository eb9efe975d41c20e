/**
 * Buses and sends as the mixer makes them (mixer-sends.ts): the commands of "+ Bus", "+ Reverb" and
 * "+ Send", the send slider's law, and a Node render of the result proving the level law: what a send
 * puts on its bus is the track's signal × 10^(dB / 20), after the fader (post) or before it (pre).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../src/create-engine";
import { compileProject, trackNodes } from "../../src/project/compile-project";
import { dbToGain } from "../../src/project/mixer-laws";
import { ProjectEditor } from "../../src/project/project-editor";
import {
  addBusCommand,
  addReverbCommand,
  addSendCommand,
  MIN_SEND_DB,
  sendLevelFromSlider,
  sendTargets,
} from "../../src/studio/mixer-sends";
import { makeProject } from "../project/project-fixtures";

const RATE = 48000;

/** One audio track playing a 250 Hz tone of amplitude 0.5 for a beat (0.5 s at 120 bpm). */
function toneProject() {
  return makeProject({
    audio: [{ content_id: "tone", sample_rate: RATE, frames: RATE, channels: 1 }],
    tracks: [
      {
        kind: "audio",
        id: "keys",
        name: "Keys",
        clips: [{ id: "c1", start_beat: 0, length_beats: 1, content_id: "tone" }],
      },
    ],
  });
}

describe("the mixer's bus and send commands", () => {
  it('"+ Bus" adds "Bus 1", then "Bus 2"; "+ Reverb" puts a fully wet reverb on it; one undo step each', () => {
    const editor = new ProjectEditor(toneProject());
    editor.execute(addBusCommand(editor.project));
    editor.execute(addBusCommand(editor.project));
    expect(editor.project.tracks.map((track) => [track.kind, track.id, track.name])).toEqual([
      ["audio", "keys", "Keys"],
      ["bus", "bus-1", "Bus 1"],
      ["bus", "bus-2", "Bus 2"],
    ]);
    editor.execute(addReverbCommand(editor.project, "bus-1"));
    const bus = editor.project.tracks[1];
    expect(bus?.devices).toEqual([
      { id: "reverb", node_id: "builtin:reverb", params: { dry_level: 0 }, buffers: {} },
    ]);
    expect(editor.history.done.length).toBe(3);
    editor.undo();
    expect(editor.project.tracks[1]?.devices).toEqual([]);
  });

  it('"+ Send" feeds the first bus post-fader at 0 dB; no bus, no send; a bus never sends to itself', () => {
    const project = toneProject();
    expect(addSendCommand(project, "keys")).toBeNull();
    const editor = new ProjectEditor(project);
    editor.execute(addBusCommand(editor.project));
    const command = addSendCommand(editor.project, "keys");
    expect(command).toEqual({
      type: "add_send",
      track_id: "keys",
      send: { id: "send", target: "bus-1", level_db: 0, pre_fader: false },
    });
    const bus = editor.project.tracks[1];
    expect(bus && sendTargets(editor.project, bus)).toEqual([]);
    expect(addSendCommand(editor.project, "bus-1")).toBeNull();
  });

  it("the send slider's floor is -120 dB (a gain of 1e-6); above it the slider's value, at most +12", () => {
    expect(sendLevelFromSlider(MIN_SEND_DB)).toBe(-120);
    expect(dbToGain(sendLevelFromSlider(MIN_SEND_DB))).toBeCloseTo(1e-6, 12);
    expect(sendLevelFromSlider(-6)).toBe(-6);
    expect(sendLevelFromSlider(20)).toBe(12);
    expect(dbToGain(-6)).toBeCloseTo(0.501187, 6);
    expect(dbToGain(6)).toBeCloseTo(1.995262, 6);
  });
});

describe("a send's level law, rendered in Node", () => {
  let engine: Awaited<ReturnType<typeof createEngine>>;
  const handles: Record<string, string> = {};

  beforeAll(async () => {
    engine = await createEngine({ sampleRate: RATE });
    const tone = Float32Array.from(
      { length: RATE },
      (_, i) => 0.5 * Math.sin((2 * Math.PI * 250 * i) / RATE),
    );
    handles.tone = await engine.uploadBuffer([tone], RATE);
  });

  afterAll(async () => {
    await engine.close();
  });

  /** Renders the keys track and the bus (stems), with a send at `level` dB and the fader at `fader` dB. */
  async function renderSend(level: number, preFader: boolean, fader = 0) {
    const editor = new ProjectEditor(toneProject());
    editor.execute(addBusCommand(editor.project));
    editor.execute(addSendCommand(editor.project, "keys") as never);
    editor.execute({
      type: "set_send",
      track_id: "keys",
      send_id: "send",
      send: { level_db: level, pre_fader: preFader },
    });
    editor.execute({ type: "set_mixer", track_id: "keys", mixer: { volume_db: fader } });
    const { request } = compileProject(editor.project, { sampleRate: RATE, buffers: handles, stems: true });
    const result = await engine.render(request);
    expect(result.status).toBe("ok");
    const captures = result.extensions.captures ?? {};
    const stem = async (id: string) => engine.readBuffer(captures[trackNodes.pan(id)] as string);
    return { keys: await stem("keys"), bus: await stem("bus-1") };
  }

  /** The largest |bus - keys × gain| over both channels, and the bus's peak. */
  function misfit(keys: Float32Array[], bus: Float32Array[], gain: number) {
    let worst = 0;
    let loudest = 0;
    for (const c of [0, 1]) {
      const k = keys[c] as Float32Array;
      const b = bus[c] as Float32Array;
      for (let i = 0; i < k.length; i++) {
        worst = Math.max(worst, Math.abs((b[i] as number) - (k[i] as number) * gain));
        loudest = Math.max(loudest, Math.abs(b[i] as number));
      }
    }
    return { worst, loudest };
  }

  for (const level of [0, -6, -20, 6]) {
    it(`post-fader at ${level} dB: bus = track output × 10^(${level}/20)`, async () => {
      const { keys, bus } = await renderSend(level, false, -3);
      const { worst, loudest } = misfit(keys, bus, 10 ** (level / 20));
      expect(loudest).toBeGreaterThan(0.1 * 10 ** (level / 20));
      expect(worst).toBeLessThan(1e-6);
    });
  }

  it("pre-fader at -6 dB with the fader at -12 dB: the bus does not follow the fader", async () => {
    const { keys, bus } = await renderSend(-6, true, -12);
    // The track's output carries the fader; the pre-fader send does not: bus = output × g / fader.
    const { worst } = misfit(keys, bus, dbToGain(-6) / dbToGain(-12));
    expect(worst).toBeLessThan(1e-6);
  });
});
