/**
 * The AudioWorklet module's entry: bundled on its own into build/engine-processor.js (the worklet
 * scope has no module loader of Vite's). The processor itself is the AudioWorklet host's audio-thread
 * half, src/hosts/audioworklet/engine-processor.ts; the time probe times WAM plugins for their
 * resource estimates (src/hosts/audioworklet/wam-cost-meter.ts).
 */
import { EngineProcessor } from "../src/hosts/audioworklet/engine-processor";
import { TimeProbeProcessor } from "../src/hosts/audioworklet/time-probe-processor";
import { ENGINE_PROCESSOR_NAME, TIME_PROBE_PROCESSOR_NAME } from "../src/protocol/main-to-worklet";

registerProcessor(ENGINE_PROCESSOR_NAME, EngineProcessor);
registerProcessor(TIME_PROBE_PROCESSOR_NAME, TimeProbeProcessor);
