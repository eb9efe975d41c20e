// A module Worker that compiles Faust with libfaust (its files served by Vite) and renders it hosted
// in its own engine.wasm: the browser side of e2e/faust.spec.ts.
import { compileFaust } from "../../src/faust/compiler";
import { loadLibFaustWithVite } from "../../src/faust/libfaust-vite";
import { FAUST_SCENARIOS, renderFaustScenario } from "./faust-scenarios";

self.onmessage = async (event: MessageEvent<{ name: string }>) => {
  try {
    const scenario = FAUST_SCENARIOS[event.data.name];
    if (scenario === undefined) throw new Error(`no scenario "${event.data.name}"`);
    const engineModule = await WebAssembly.compileStreaming(fetch("/build/engine.wasm"));
    const compiled = await compileFaust(loadLibFaustWithVite, scenario.source, scenario.options);
    const channels = renderFaustScenario(scenario, compiled, engineModule);
    self.postMessage({ channels }, { transfer: channels.map((channel) => channel.buffer) });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
};
