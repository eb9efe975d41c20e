// A module Worker that compiles W3 with libfaust (served by Vite) and times it hosted in engine.wasm
// against faustwasm's offline processor, both in this Worker.
import { compileFaust } from "../../../src/faust/compiler";
import { loadLibFaustWithVite } from "../../../src/faust/libfaust-vite";
import { timeW3, W3_OPTIONS, W3_SOURCE } from "../w3";

self.onmessage = async (event: MessageEvent<{ seconds: number; repetitions: number }>) => {
  try {
    const { seconds, repetitions } = event.data;
    const [compiled, engineModule] = await Promise.all([
      compileFaust(loadLibFaustWithVite, W3_SOURCE, W3_OPTIONS),
      WebAssembly.compileStreaming(fetch("/build/engine.wasm")),
    ]);
    const timings = await timeW3(compiled, engineModule, seconds, repetitions, () => performance.now());
    self.postMessage({ timings });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
};
