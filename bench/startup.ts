/**
 * Row startup.nodejs (docs/performance.md): `createEngine()` to the first rendered audio in Node,
 * against faustwasm's own way to a first sound of a comparable DSP, interleaved pairs.
 *
 * - webdreamer: createEngine() (reads and compiles engine.wasm, instantiates it, builds the
 *   wavetables), then render() of 128 frames of a 440 Hz oscillator, readBuffer() of it, close();
 * - faustwasm: FaustMonoDspGenerator.createOfflineProcessor() on a factory compiled beforehand from
 *   `process = os.osc(440);` (its module and JSON, as a page ships them), then render() of 128 frames.
 *
 * Both sides reuse their compiled WebAssembly module after the first round: webdreamer's in-process
 * host caches engine.wasm's module for the process (loadEngineModuleFromDisk), and faustwasm's side is
 * handed one compiled module. What is timed is everything after: instantiation, the engine's setup
 * (the wavetables), the graph and the first block. The Faust compile is outside (faust-compile).
 *
 * Each pair times a batch of starts of each side and takes their mean, each start after a full
 * collection (bench/collect-garbage.ts, untimed). A faustwasm start takes 1.5 to 3 ms, and every
 * tenth took 6 to 8 ms when V8 collected the memories earlier starts had left; the median of single
 * starts jumped between those values, and two runs of 15 single pairs read 0.32 and 0.23.
 */
import { FaustMonoDspGenerator, type LooseFaustDspFactory } from "@grame/faustwasm/dist/esm/index.js";
import { createEngine } from "../src/create-engine";
import { libFaustCompiler } from "../src/faust/libfaust";
import { loadLibFaustFromDisk } from "../src/faust/libfaust-nodejs";
import { meanAfterCollections } from "./collect-garbage";
import { interleave } from "./pairs";

export async function benchStartup(
  pairs: number,
  batch = 5,
): Promise<{ webdreamer: number[]; faustwasm: number[] }> {
  const compiler = await libFaustCompiler(loadLibFaustFromDisk);
  const factory = await compiler.createMonoDSPFactory(
    "osc",
    'import("stdfaust.lib"); process = os.osc(440);',
    "-ftz 2",
  );
  if (factory === null) throw new Error(`startup: libfaust failed: ${compiler.getErrorMessage()}`);
  const module = factory.module;
  const json = factory.json;
  const webdreamer = async () => {
    const engine = await createEngine({ sampleRate: 48000 });
    const result = await engine.render({
      version: "v1alpha",
      request_id: "startup",
      node_graph: {
        version: "v1alpha",
        nodes: [{ name: "osc", node_id: "builtin:oscillator", params: { frequency: 440 } }],
        output: "osc",
      },
      duration_seconds: 128 / 48000,
      sample_rate: 48000,
      channels: 2,
    });
    const [left] = await engine.readBuffer(result.buffer_handle ?? "");
    if (left?.length !== 128) throw new Error(`startup: rendered ${left?.length} frames, not 128`);
    await engine.close();
  };
  const faustwasm = async () => {
    const processor = await new FaustMonoDspGenerator().createOfflineProcessor(48000, 128, {
      module,
      json,
      soundfiles: {},
    } as LooseFaustDspFactory);
    const [left] = processor.render(undefined, 128);
    if (left?.length !== 128) throw new Error(`startup: faustwasm rendered ${left?.length} frames`);
  };
  // Warm-up: Node's module loading and both code paths compiled by V8 once.
  await webdreamer();
  await faustwasm();
  return interleave(pairs, {
    webdreamer: () => meanAfterCollections(batch, webdreamer),
    faustwasm: () => meanAfterCollections(batch, faustwasm),
  });
}
