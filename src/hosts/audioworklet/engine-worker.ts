/**
 * The AudioWorklet host's engine Worker entry: the Worker host's EngineHost, extended to drive the
 * engine's AudioWorkletNode through the command ring (AudioWorkletEngineHost).
 */

import { instantiateEngine } from "../../engine/engine-module";
import { readProcessorTypes } from "../../engine/processor-types";
import { WasmEngine } from "../../engine/wasm-engine";
import { serveEngine } from "../worker/serve-engine";
import { AudioWorkletEngineHost } from "./audioworklet-host";

serveEngine(
  ({ client, module, faust, sampleRate }) => {
    // Types for compiling graphs for the worklet: the same table the engine was built with.
    const types = readProcessorTypes(instantiateEngine(module));
    const probe = () => new WasmEngine(instantiateEngine(module), sampleRate, 128);
    return new AudioWorkletEngineHost(client, types, sampleRate, faust, probe);
    // Graphs with a live audio input node play here: the Worker's own client checks them (and renders
    // offline requests) with the input as silence; the worklet reads the real input.
  },
  { liveInputAsSilence: true },
);
