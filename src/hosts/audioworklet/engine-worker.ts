/**
 * The AudioWorklet host's engine Worker entry: the Worker host's EngineHost, extended to drive the
 * engine's AudioWorkletNode through the command ring (AudioWorkletEngineHost).
 */

import { instantiateEngine } from "../../engine/engine-module";
import { WasmEngine } from "../../engine/wasm-engine";
import { serveEngine } from "../worker/serve-engine";
import { AudioWorkletEngineHost } from "./audioworklet-host";

serveEngine(
  ({ client, module, faust, sampleRate }) => {
    // Types for compiling graphs for the worklet: the table of the Worker's own engine, an instance of
    // the same module (no second instance just to read it). The probe prepares stages to read their
    // channel counts (stage-channels.ts).
    const probe = () => new WasmEngine(instantiateEngine(module), sampleRate, 128);
    return new AudioWorkletEngineHost(client, client.processorTypes(), sampleRate, faust, probe);
    // Graphs with a live audio input node play here: the Worker's own client checks them (and renders
    // offline requests) with the input as silence; the worklet reads the real input.
  },
  { liveInputAsSilence: true },
);
