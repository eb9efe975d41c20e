/**
 * NodeDescriptors built from Faust's JSON UI (src/faust/descriptor.ts), checked field by field, and
 * valid v1alpha NodeDescriptors.
 */
import { describe, expect, it } from "vitest";
import { NodeDescriptorSchema } from "../../src/contracts/node-descriptor";
import { parseChoiceStyle, soundfileParts } from "../../src/faust/layout";
import { compile, faustwasmTestDsp } from "./support";

const CONTROLS = `
declare name "synth";
declare author "Someone";
declare description "Every kind of control";
import("stdfaust.lib");
freq = hslider("h:osc/freq[unit:Hz][scale:log][midi:ctrl 74]", 440, 20, 20000, 0.01);
steps = hslider("steps", 4, 0, 8, 1);
on = checkbox("on");
hit = button("hit");
shape = nentry("shape[style:menu{'sine':0;'saw':1;'square':2}]", 1, 0, 2, 1);
octave = hslider("octave[style:radio{'low':-1;'mid':0;'high':2}]", 0, -1, 2, 1);
secret = hslider("secret[hidden:1][tooltip:not shown]", 0.5, 0, 1, 0.1);
level(x) = attach(x, abs(x) : hbargraph("level[unit:dB]", -60, 0));
sample = 0, 0 : soundfile("sample[url:{'a.wav';'b.wav';'c.wav'}]", 1) : !, !, _;
process = os.osc(freq) * on * (1 + hit) * (shape + octave + steps + secret) + sample : level;
`;

describe("NodeDescriptor of a compiled Faust DSP", () => {
  it("maps sliders, checkbox, button, menu, radio and bargraph to the right types and ranges", async () => {
    const compiled = await compile(CONTROLS);
    const d = compiled.descriptor;
    expect(NodeDescriptorSchema.safeParse(d).success).toBe(true);
    expect(d).toMatchObject({
      version: "v1alpha",
      node_id: compiled.nodeId,
      name: "synth",
      vendor: "Someone",
      format: "faust",
      supported_sample_rates: [],
      latency_samples: 0,
    });
    expect(d.extensions).toMatchObject({
      input_channels: 0,
      output_channels: 1,
      is_instrument: false,
      buffer_slots: ["sample", "sample#1", "sample#2"],
      description: "Every kind of control",
      meters: [{ id: "/synth/level", name: "level", range: [-60, 0], units: "dB" }],
    });
    const byId = Object.fromEntries((d.parameters ?? []).map((p) => [p.id, p]));
    expect(Object.keys(byId).sort()).toEqual(
      [
        "/synth/osc/freq",
        "/synth/steps",
        "/synth/on",
        "/synth/hit",
        "/synth/shape",
        "/synth/octave",
        "/synth/secret",
      ].sort(),
    );
    expect(byId["/synth/osc/freq"]).toEqual({
      name: "freq",
      id: "/synth/osc/freq",
      default: 440,
      range: [20, 20000],
      extensions: { type: "float", discrete_step: 0, units: "Hz", scale: "log", midi: "ctrl 74" },
    });
    expect(byId["/synth/steps"]).toEqual({
      name: "steps",
      id: "/synth/steps",
      default: 4,
      range: [0, 8],
      extensions: { type: "int", discrete_step: 1 },
    });
    expect(byId["/synth/on"]).toEqual({
      name: "on",
      id: "/synth/on",
      default: 0,
      range: [0, 1],
      extensions: { type: "boolean" },
    });
    expect(byId["/synth/hit"]?.extensions).toEqual({ type: "boolean", momentary: true });
    expect(byId["/synth/shape"]).toEqual({
      name: "shape",
      id: "/synth/shape",
      default: 1,
      range: [0, 2],
      extensions: { type: "choice", choices: ["sine", "saw", "square"] },
    });
    // Radio values -1, 0, 2 become choice indices 0, 1, 2; the DSP still receives -1, 0, 2.
    expect(byId["/synth/octave"]).toMatchObject({ default: 1, range: [0, 2] });
    expect(byId["/synth/octave"]?.extensions.choices).toEqual(["low", "mid", "high"]);
    const octave = compiled.layout.params.find((p) => p.id === "/synth/octave");
    expect(octave?.values).toEqual([-1, 0, 2]);
    expect(byId["/synth/secret"]?.extensions).toEqual({
      type: "float",
      discrete_step: 0,
      hidden: true,
      description: "not shown",
    });
    // Discrete parameters round in the engine; the rest are continuous.
    expect(
      compiled.layout.params
        .filter((p) => p.discrete)
        .map((p) => p.id)
        .sort(),
    ).toEqual(["/synth/hit", "/synth/octave", "/synth/on", "/synth/shape", "/synth/steps"].sort());
  });

  it("leaves the voice controls to the allocator and names per-voice parameters when ungrouped", async () => {
    const source = faustwasmTestDsp("organ1.dsp");
    const grouped = await compile(source, { name: "organ1", voices: 3 });
    expect(grouped.descriptor.parameters?.map((p) => p.id)).toEqual(["/organ1/Left", "/organ1/Right"]);
    expect(grouped.descriptor.extensions).toMatchObject({ is_instrument: true, output_channels: 2 });
    expect(grouped.layout.voiceControls.freq).toHaveLength(1);
    // The effect is one struct: its controls stay single parameters when voices are not grouped.
    const ungrouped = await compile(source, { name: "organ1", voices: 2, groupVoices: false });
    expect(ungrouped.descriptor.parameters?.map((p) => [p.id, p.name])).toEqual([
      ["/organ1/Left", "Left"],
      ["/organ1/Right", "Right"],
    ]);
    const mono = await compile(faustwasmTestDsp("organ.dsp"), {
      name: "organ",
      voices: 2,
      groupVoices: false,
    });
    expect(mono.descriptor.parameters).toEqual([]);
  });

  it("makes one parameter per voice and control when voices are not grouped", async () => {
    const source = `import("stdfaust.lib");
process = os.sawtooth(hslider("freq", 440, 20, 2000, 1)) * en.adsr(0.01, hslider("decay", 0.1, 0.01, 2, 0.01), 0.5, 0.1, button("gate")) * hslider("gain", 0.5, 0, 1, 0.01);`;
    const ungrouped = await compile(source, { voices: 3, groupVoices: false });
    expect(ungrouped.descriptor.parameters?.map((p) => [p.id, p.name])).toEqual([
      ["/V1/webdreamer/decay", "decay (voice 1)"],
      ["/V2/webdreamer/decay", "decay (voice 2)"],
      ["/V3/webdreamer/decay", "decay (voice 3)"],
    ]);
    expect(ungrouped.layout.params.map((p) => p.target)).toEqual([0, 1, 2]);
  });

  it("declares latency only when the DSP declares it", async () => {
    const delayed = await compile('declare latency_samples "64";\nprocess = @(64);');
    expect(delayed.descriptor.latency_samples).toBe(64);
    expect((await compile("process = @(64);")).descriptor.latency_samples).toBe(0);
  });

  it("parses menu and radio styles written with either quote, and soundfile part lists", () => {
    expect(parseChoiceStyle("menu{-sine-:0;-saw-:1}")).toEqual({ labels: ["sine", "saw"], values: [0, 1] });
    expect(parseChoiceStyle("radio{'a b':0.5;'c':7}")).toEqual({ labels: ["a b", "c"], values: [0.5, 7] });
    expect(parseChoiceStyle("knob")).toBeNull();
    expect(soundfileParts("{-a.wav-;-b.flac-}", "x")).toEqual(["a.wav", "b.flac"]);
    expect(soundfileParts("{-x-}", "x")).toEqual(["x"]);
  });
});
