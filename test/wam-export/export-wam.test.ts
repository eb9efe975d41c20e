/**
 * exportWam and `webdreamer export-wam` (src/wam-export/export-wam.ts, src/cli/export-wam-command.ts):
 * the files of a plugin folder, what graph.json says about the graph, what is refused and what is
 * left out. That the folder plays in a WAM host, and plays webdreamer's samples, is
 * e2e/wam-export.spec.ts's job.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli";
import type { GraphDescriptorInput } from "../../src/contracts/graph-descriptor";
import { exportWam, writeWamFolder } from "../../src/wam-export/export-wam";
import { EXPORTED_GRAPH_FORMAT, type ExportedGraph } from "../../src/wam-export/plugin-format";

const SYNTH: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    {
      name: "synth",
      node_id: "builtin:synth",
      params: { gain: 0.5 },
      midi: [{ type: "note", time: 0, duration: 1, note: 60, velocity: 100 }],
    },
    {
      name: "filter",
      node_id: "builtin:filter",
      inputs: ["synth"],
      params: { mode: "highpass", frequency: 200 },
      automation: { frequency: { kind: "breakpoints", points: [{ time: 0, value: 200 }] } },
      capture: true,
    },
  ],
  output: "filter",
};

let folder = "";
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "wam-export-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function graphOf(files: Map<string, Uint8Array | string>): ExportedGraph {
  return JSON.parse(files.get("graph.json") as string) as ExportedGraph;
}

describe("exportWam", () => {
  it("writes a plugin folder a WAM host loads: descriptor, module, processor, runtime, engine, graph", async () => {
    const plugin = await exportWam(SYNTH, { name: "Test Pad", vendor: "Tests" });
    expect([...plugin.files.keys()].sort()).toEqual([
      "descriptor.json",
      "engine.wasm",
      "graph.json",
      "index.js",
      "processor.js",
      "webdreamer-wam-processor.js",
      "webdreamer-wam.js",
    ]);
    const descriptor = JSON.parse(plugin.files.get("descriptor.json") as string);
    expect(descriptor).toMatchObject({
      identifier: "com.webdreamer.export.test-pad",
      name: "Test Pad",
      vendor: "Tests",
      isInstrument: true,
      hasMidiInput: true,
    });
    // The module's default export is the WebAudioModule class, made from its own URL.
    expect(plugin.files.get("index.js")).toContain("export default createWebdreamerWam(import.meta.url);");
    expect(plugin.files.get("processor.js")).toContain(
      'registerWebdreamerWamProcessor("com.webdreamer.export.test-pad");',
    );
    const engine = plugin.files.get("engine.wasm") as Uint8Array;
    expect([...engine.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);

    const written = await writeWamFolder(join(folder, "pad"), plugin);
    expect(written).toHaveLength(7);
    expect((await readdir(join(folder, "pad"))).sort()).toEqual([...plugin.files.keys()].sort());
  });

  it("graph.json holds the compiled graph, its exposed parameters and the nodes wam-midi plays", async () => {
    const graph = graphOf((await exportWam(SYNTH)).files);
    expect(graph.format).toBe(EXPORTED_GRAPH_FORMAT);
    expect(graph.program.output).toBe(1);
    expect(graph.program.nodes.map((n) => n.kind)).toEqual(["synth", "filter"]);
    expect(graph.program.nodes[1]?.params).toMatchObject({ frequency: 200 });
    expect(graph.midiNodes).toEqual([0]);
    expect(graph.outputChannels).toBe(1);
    expect(graph.blockSize).toBe(128);
    expect(graph.parameters.find((p) => p.id === "filter/mode")?.info.defaultValue).toBe(1); // highpass
  });

  it("leaves the graph's MIDI and automation timelines and captures out, and says so", async () => {
    const plugin = await exportWam(SYNTH);
    const graph = graphOf(plugin.files);
    for (const node of graph.program.nodes) {
      expect(node).not.toHaveProperty("timeline");
      expect(node).not.toHaveProperty("capture");
    }
    expect(plugin.notes).toEqual([
      'graph.nodes[0] ("synth"): 1 MIDI event not exported; the host plays the plugin with wam-midi and wam-automation events',
      'graph.nodes[1] ("filter"): automation of frequency not exported; the host plays the plugin with wam-midi and wam-automation events',
    ]);
  });

  it("a graph with no MIDI-taking node exports as a generator", async () => {
    const plugin = await exportWam({
      version: "v1alpha",
      nodes: [{ name: "osc", node_id: "builtin:oscillator", params: { frequency: 220 } }],
      output: "osc",
    });
    expect(plugin.descriptor).toMatchObject({ isInstrument: false, hasMidiInput: false });
    expect(plugin.graph.midiNodes).toEqual([]);
  });

  it("a graph with an audio input exports as an effect: the input node becomes the input port", async () => {
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [
        // A stand-in source: its test signal is never given, it is replaced by the host's audio.
        { name: "in", node_id: "builtin:playback", buffers: { data: "buf:test" }, params: { gain: 0.5 } },
        { name: "filter", node_id: "builtin:filter", inputs: ["in"], params: { frequency: 900 } },
      ],
      output: "filter",
    };
    const plugin = await exportWam(graph, { audioInput: "in" });
    expect(plugin.descriptor).toMatchObject({
      isInstrument: false,
      hasAudioInput: true,
      hasAudioOutput: true,
      hasMidiInput: false,
      audioInputChannels: 2,
      audioOutputChannels: 2,
    });
    expect(plugin.graph.inputChannels).toBe(2);
    expect(plugin.graph.buffers).toEqual([]);
    expect(plugin.graph.program.nodes[0]).toMatchObject({
      port: { direction: "input", index: 0 },
      inputs: [],
    });
    expect(plugin.graph.program.nodes[1]).toMatchObject({ kind: "filter", inputs: [0] });
    // The input node's parameters are gone with it: only the filter's are exposed.
    expect(plugin.graph.parameters.every((p) => p.id.startsWith("filter/"))).toBe(true);
    const written = JSON.parse(plugin.files.get("descriptor.json") as string);
    expect(written).toMatchObject({ hasAudioInput: true, audioInputChannels: 2 });

    await expect(exportWam(graph, { audioInput: "nope" })).rejects.toThrow(
      'E_UNKNOWN_NODE at options.audioInput: no node named "nope" to take the plugin\'s audio input (the graph has "in", "filter")',
    );
    await expect(exportWam(graph, { audioInput: "filter" })).rejects.toThrow(
      /E_SCHEMA at options.audioInput: node "filter" has inputs \(in\): the audio input replaces a source node's output/,
    );
    const through = { ...graph, nodes: graph.nodes.slice(0, 1), output: "in" };
    await expect(exportWam(through, { audioInput: "in" })).rejects.toThrow(
      /E_SCHEMA at options.audioInput: node "in" is the graph's output/,
    );
  });

  it("refuses what it cannot export, naming the field: audio it was not given, unknown parameters and nodes", async () => {
    await expect(
      exportWam({
        version: "v1alpha",
        nodes: [{ name: "drums", node_id: "builtin:playback", buffers: { data: "buf:1" } }],
        output: "drums",
      }),
    ).rejects.toThrow(/E_UNKNOWN_HANDLE at graph.nodes\[0\].buffers.data: no audio for buffer handle buf:1/);
    await expect(exportWam(SYNTH, { parameters: ["synth/nope"] })).rejects.toThrow(
      /E_SCHEMA at options.parameters\[0\]/,
    );
    await expect(
      exportWam({ version: "v1alpha", nodes: [{ name: "x", node_id: "builtin:flanger" }], output: "x" }),
    ).rejects.toThrow(/graph.nodes\[0\].node_id/);
  });

  it("writes the audio the graph plays as planar float32 files, with its rate", async () => {
    const left = Float32Array.from({ length: 100 }, (_, i) => i / 100);
    const right = Float32Array.from({ length: 100 }, (_, i) => -i / 100);
    const plugin = await exportWam(
      {
        version: "v1alpha",
        nodes: [{ name: "keys", node_id: "builtin:sampler", buffers: { sample: "buf:9" } }],
        output: "keys",
      },
      { buffers: new Map([["buf:9", { sampleRate: 44100, channels: [left, right] }]]) },
    );
    const graph = graphOf(plugin.files);
    expect(graph.buffers).toEqual([{ file: "buffers/0.f32", channels: 2, frames: 100, sampleRate: 44100 }]);
    expect(graph.program.nodes[0]?.buffers).toEqual({ 0: 0 });
    const bytes = plugin.files.get("buffers/0.f32") as Uint8Array;
    const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    expect(floats.subarray(0, 100)).toEqual(left);
    expect(floats.subarray(100)).toEqual(right);
  });

  it("writes a Faust node's soundfile parts with their rates; a part the graph leaves out is null", async () => {
    const source = `import("stdfaust.lib");
process = 0, ba.time : soundfile("sample[url:{'a.wav';'b.wav'}]", 1) : !, !, _;`;
    const { createEngine } = await import("../../src/index");
    const engine = await createEngine({ host: "in-process" });
    const descriptor = await engine.compileFaust(source);
    await engine.close();
    const part = Float32Array.from([0.5, -0.25, 0.125]);
    const plugin = await exportWam(
      {
        version: "v1alpha",
        nodes: [
          {
            name: "reader",
            node_id: descriptor.node_id,
            buffers: { "sample#1": "buf:2" },
            extensions: { faust: { source } },
          },
        ],
        output: "reader",
      },
      { buffers: new Map([["buf:2", { sampleRate: 22050, channels: [part] }]]) },
    );
    const faust = graphOf(plugin.files).program.nodes[0]?.faust;
    expect(faust?.soundfiles).toEqual([
      ["sample", [null, { file: "soundfiles/0-0-1.f32", channels: 1, frames: 3, sampleRate: 22050 }]],
    ]);
    const bytes = plugin.files.get("soundfiles/0-0-1.f32") as Uint8Array;
    expect(new Float32Array(bytes.buffer, bytes.byteOffset, 3)).toEqual(part);
    // Program buffers are the engine's only: a soundfile is not one.
    expect(graphOf(plugin.files).buffers).toEqual([]);
  });

  it("writes a Faust node's compiled modules as .wasm files its graph.json names", async () => {
    const source = `import("stdfaust.lib");
      freq = hslider("freq", 440, 20, 20000, 0.01);
      gain = hslider("gain", 0.5, 0, 1, 0.01);
      gate = button("gate");
      process = os.osc(freq) * gain * en.ar(0.01, 0.1, gate);`;
    const { createEngine } = await import("../../src/index");
    const engine = await createEngine({ host: "in-process" });
    const descriptor = await engine.compileFaust(source, { voices: 2 });
    await engine.close();
    const plugin = await exportWam({
      version: "v1alpha",
      nodes: [{ name: "poly", node_id: descriptor.node_id, extensions: { faust: { source, voices: 2 } } }],
      output: "poly",
    });
    const graph = graphOf(plugin.files);
    const faust = graph.program.nodes[0]?.faust;
    expect(faust?.nodeId).toBe(descriptor.node_id);
    expect(faust?.mixer).toMatch(/^faust\/[0-9a-f]+-mixer\.wasm$/);
    for (const file of [faust?.dsp.wasm as string, faust?.mixer as string]) {
      const bytes = plugin.files.get(file) as Uint8Array<ArrayBuffer>;
      expect(WebAssembly.validate(bytes), file).toBe(true);
    }
    expect(graph.midiNodes).toEqual([0]);
    expect(plugin.descriptor.isInstrument).toBe(true);
  });
});

describe("webdreamer export-wam", () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      streams: {
        stdout: { write: (text: string) => out.push(text) > 0 },
        stderr: { write: (text: string) => err.push(text) > 0 },
      },
    };
  };

  it("exports a graph file (or a session's graph) to a folder", async () => {
    const input = join(folder, "session.json");
    await writeFile(input, JSON.stringify({ version: "v1alpha", request: { node_graph: SYNTH } }));
    const output = join(folder, "cli-plugin");
    const { err, streams } = io();
    const status = await runCli(
      ["export-wam", input, "-o", output, "--name", "Cli Pad", "--param", "synth/gain"],
      streams,
    );
    expect(status, err.join("")).toBe(0);
    expect(err.join("")).toContain("exported");
    const graph = JSON.parse(await readFile(join(output, "graph.json"), "utf8")) as ExportedGraph;
    expect(graph.parameters.map((p) => p.id)).toEqual(["synth/gain"]);
    expect(JSON.parse(await readFile(join(output, "descriptor.json"), "utf8")).name).toBe("Cli Pad");
  });

  it("--audio-input exports an effect and says so", async () => {
    const input = join(folder, "effect.json");
    const effect: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [
        { name: "in", node_id: "builtin:playback" },
        { name: "verb", node_id: "builtin:reverb", inputs: ["in"] },
      ],
      output: "verb",
    };
    await writeFile(input, JSON.stringify(effect));
    const output = join(folder, "cli-effect");
    const { err, streams } = io();
    expect(await runCli(["export-wam", input, "-o", output, "--audio-input", "in"], streams)).toBe(0);
    expect(err.join("")).toMatch(
      /as com\.webdreamer\.export\.webdreamer-verb to .*: an effect, \d+ parameters, no MIDI, 2 in, 2 out\n$/,
    );
    const descriptor = JSON.parse(await readFile(join(output, "descriptor.json"), "utf8"));
    expect(descriptor).toMatchObject({ hasAudioInput: true, isInstrument: false, audioInputChannels: 2 });
    const wrong = io();
    expect(await runCli(["export-wam", input, "-o", output, "--audio-input", "verb"], wrong.streams)).toBe(1);
    expect(wrong.err.join("")).toMatch(/E_SCHEMA at options.audioInput: node "verb" has inputs/);
  });

  it("bad usage is exit status 2, a graph it cannot export 1 with the field named", async () => {
    const usage = io();
    expect(await runCli(["export-wam", "graph.json"], usage.streams)).toBe(2);
    expect(usage.err.join("")).toContain("-o/--output is required");
    const input = join(folder, "bad.json");
    await writeFile(input, JSON.stringify({ ...SYNTH, output: "nowhere" }));
    const failed = io();
    expect(await runCli(["export-wam", input, "-o", join(folder, "bad")], failed.streams)).toBe(1);
    expect(failed.err.join("")).toMatch(/failed: .*bad.json: E_UNKNOWN_NODE at graph.output/);
  });
});
