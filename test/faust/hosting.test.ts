/**
 * Faust DSP hosted as a node of the engine's graph (src/faust/faust-node.ts): exact arithmetic,
 * sample-exact pass-through at any block size, many channels, parameters and MIDI on their frame.
 */
import { describe, expect, it } from "vitest";
import { renderOffline } from "../../src/engine/render-job";
import { createFaustNode } from "../../src/faust/faust-node";
import { newEngine } from "../support/render";
import { compile, maxAbsDiff, noise, note, renderHosted, SAMPLE_RATE } from "./support";

const BLOCK_SIZES = [1, 2, 3, 4, 8, 16, 64, 100, 128, 1000, 2048];

describe("Faust nodes in the engine's graph", () => {
  it("a gain of 0.5 gives exactly half its input", async () => {
    const gain = await compile('process = *(hslider("gain", 0.5, 0, 1, 0.01));');
    const input = noise(4800, 1);
    const { output } = await renderHosted(gain, { frames: 4800, inputs: [input] });
    expect(output).toHaveLength(1);
    const expected = input.map((x) => x * 0.5);
    expect(Array.from(output[0] as Float32Array)).toEqual(Array.from(expected));
  });

  it("`process = _, _;` passes noise bit-exactly at block sizes 1 to 2048 and odd lengths", async () => {
    const wires = await compile("process = _, _;");
    const inputs = [noise(9000, 2), noise(9000, 3)];
    for (const blockSize of BLOCK_SIZES) {
      for (const frames of [4, 4410, 8999]) {
        const { output } = await renderHosted(wires, { frames, blockSize, inputs });
        expect(output).toHaveLength(2);
        for (let c = 0; c < 2; c++) {
          expect((output[c] as Float32Array).every((x, i) => x === (inputs[c] as Float32Array)[i])).toBe(
            true,
          );
        }
      }
    }
  });

  it("`si.bus(9)` has 9 inputs and 9 outputs and is the identity", async () => {
    const bus = await compile('import("stdfaust.lib");\nprocess = si.bus(9);');
    expect(bus.descriptor.extensions.input_channels).toBe(9);
    expect(bus.descriptor.extensions.output_channels).toBe(9);
    const inputs = Array.from({ length: 9 }, (_, c) =>
      Float32Array.from({ length: 2000 }, (_, i) =>
        Math.sin((2 * Math.PI * (c + 1) * 100 * i) / SAMPLE_RATE),
      ),
    );
    const { output } = await renderHosted(bus, { frames: 2000, inputs, blockSize: 64 });
    expect(output).toHaveLength(9);
    output.forEach((channel, c) => {
      expect(Array.from(channel)).toEqual(Array.from(inputs[c] as Float32Array));
    });
  });

  it("computes in double precision with -double, exact for a pass-through", async () => {
    const wires = await compile("process = _, _;", { argv: ["-double", "-ftz", "2"] });
    expect(wires.layout.sampleSize).toBe(8);
    const inputs = [noise(3000, 4), noise(3000, 5)];
    const { output } = await renderHosted(wires, { frames: 3000, inputs, blockSize: 37 });
    expect(Array.from(output[1] as Float32Array)).toEqual(Array.from(inputs[1] as Float32Array));
  });

  it("lands parameter steps on their exact frame, clamped to the slider's range", async () => {
    const gain = await compile('process = _ * hslider("gain", 1, 0, 4, 0.001);');
    const id = gain.layout.params[0]?.id as string;
    expect(id).toBe("/webdreamer/gain");
    const ones = new Float32Array(1000).fill(1);
    for (const blockSize of [1, 128, 1000]) {
      const { output } = await renderHosted(gain, {
        frames: 1000,
        blockSize,
        inputs: [ones],
        steps: {
          [id]: [
            [300, 2],
            [301, 9],
            [777, 0.25],
          ],
        },
      });
      const out = output[0] as Float32Array;
      expect([out[0], out[299], out[300], out[301], out[776], out[777], out[999]]).toEqual([
        1, 1, 2, 4, 4, 0.25, 0.25,
      ]);
    }
  });

  it("maps a menu's choice index to the value the DSP declares", async () => {
    const menu = await compile(
      "process = nentry(\"shape[style:menu{'a':10;'b':20;'c':35}]\", 20, 10, 35, 1);",
    );
    const id = "/webdreamer/shape";
    const { output } = await renderHosted(menu, {
      frames: 300,
      steps: {
        [id]: [
          [100, 2],
          [200, 0],
        ],
      },
    });
    const out = output[0] as Float32Array;
    expect([out[0], out[99], out[100], out[199], out[200]]).toEqual([20, 20, 35, 35, 10]);
  });

  it("routes MIDI control changes and pitch bend through [midi:...] metadata on their frame", async () => {
    const dsp = await compile(
      'process = hslider("cutoff[midi:ctrl 74]", 0, 0, 127, 1), hslider("bend[midi:pitchwheel]", 0, -2, 2, 0.001);',
    );
    const { output } = await renderHosted(dsp, {
      frames: 400,
      blockSize: 128,
      midi: [
        { frame: 50, status: 0xb0, data1: 74, data2: 100 },
        { frame: 60, status: 0xb0, data1: 7, data2: 1 },
        { frame: 200, status: 0xe0, data1: 0, data2: 0x60 },
      ],
    });
    const [cutoff, bend] = output as [Float32Array, Float32Array];
    expect([cutoff[49], cutoff[50], cutoff[399]]).toEqual([0, 100, 100]);
    // 0x60 << 7 = 12288 of 16383 -> -2 + 4 * 12288 / 16383
    expect([bend[199], bend[200]]).toEqual([0, Math.fround(-2 + (4 * 12288) / 16383)]);
  });

  it("reads a bargraph as a meter after a block", async () => {
    const meter = await compile('process = _ <: attach(_, abs : hbargraph("level", 0, 1));');
    const input = new Float32Array(256).fill(0.25);
    input[255] = -0.75;
    const { output, node } = await renderHosted(meter, { frames: 256, inputs: [input] });
    expect((output[0] as Float32Array)[255]).toBe(-0.75);
    expect(meter.layout.meters.map((m) => m.id)).toEqual(["/webdreamer/level"]);
    expect(node.meterValue(0)).toBe(0.75);
  });

  it("grows its memory for wide DSPs and long blocks", async () => {
    const bus = await compile('import("stdfaust.lib");\nprocess = si.bus(32);');
    const inputs = Array.from({ length: 32 }, (_, c) => noise(9000, 100 + c));
    const { output } = await renderHosted(bus, { frames: 9000, inputs, blockSize: 4096 });
    output.forEach((channel, c) => {
      expect(channel.every((x, i) => x === (inputs[c] as Float32Array)[i])).toBe(true);
    });
  });

  it("reset clears its state (tails, voices): a second render after reset is the first again", async () => {
    const zita = await compile(
      'import("stdfaust.lib");\nprocess = os.sawtooth(110) * 0.25 <: re.zita_rev1_stereo(0, 200, 6000, 3, 4, 48000);',
    );
    const organ = await compile(
      'import("stdfaust.lib");\nprocess = os.osc(hslider("freq", 440, 20, 2000, 1)) * (button("gate") : en.adsr(0.01, 0.1, 0.8, 1));',
      { voices: 4 },
    );
    for (const compiled of [zita, organ]) {
      const engine = await newEngine();
      const node = engine.addExternalNode(
        createFaustNode(compiled),
        compiled.layout.numOutputs,
        compiled.layout.params,
      );
      for (const m of [...note(100, 5000, 60, 100), ...note(700, 9000, 67, 90)]) {
        engine.addMidi(node, m.frame, m.status, m.data1, m.data2);
      }
      engine.prepare(node);
      const first = [new Float32Array(12000), new Float32Array(12000)];
      const second = [new Float32Array(12000), new Float32Array(12000)];
      renderOffline(engine, 12000, first);
      engine.reset();
      renderOffline(engine, 12000, second);
      engine.destroy();
      expect(maxAbsDiff(first, second)).toBe(0);
      expect(first[0]?.some((x) => x !== 0)).toBe(true);
    }
  });

  it("runs one instance per node: two nodes of one DSP in series keep their own parameters", async () => {
    const gain = await compile('process = *(hslider("gain", 0.5, 0, 1, 0.001));');
    const engine = await newEngine();
    const source = engine.addNode("playback");
    const input = noise(2000, 9);
    engine.setNodeBuffer(source, 0, engine.createBuffer([input], SAMPLE_RATE));
    const first = engine.addExternalNode(createFaustNode(gain), 1, gain.layout.params);
    const second = engine.addExternalNode(createFaustNode(gain), 1, gain.layout.params);
    engine.addInput(first, source);
    engine.addInput(second, first);
    engine.setParam(first, "/webdreamer/gain", 0.25);
    engine.setParam(second, "/webdreamer/gain", 0.125);
    engine.prepare(second);
    const out = [new Float32Array(2000)];
    renderOffline(engine, 2000, out);
    engine.destroy();
    expect(Array.from(out[0] as Float32Array)).toEqual(Array.from(input.map((x) => x * 0.25 * 0.125)));
  });
});
