/**
 * The AudioWorklet module's entry: bundled on its own into build/engine-processor.js (the worklet
 * scope has no module loader of Vite's). The processor itself is the AudioWorklet host's audio-thread
 * half, src/hosts/audioworklet/engine-processor.ts.
 */
import { EngineProcessor } from "../src/hosts/audioworklet/engine-processor";
import { ENGINE_PROCESSOR_NAME } from "../src/protocol/main-to-worklet";

registerProcessor(ENGINE_PROCESSOR_NAME, EngineProcessor);
