/**
 * The one loader for engine.wasm, shared by the AudioWorklet, Workers and Node.
 *
 * It must run in AudioWorkletGlobalScope, which has no fetch, URL, TextDecoder or performance: so
 * this module only instantiates an already compiled WebAssembly.Module synchronously and wraps
 * its C ABI (wasm/src/abi.cpp). Fetching or reading the bytes is the host's job. The processor type
 * table behind that ABI is read by processor-types.ts; WasmEngine (wasm-engine.ts) wraps one engine
 * instance.
 */

import { ExternalHost } from "./external-nodes";
import type { ProcessorTableExports } from "./processor-types";

/** The raw exports of engine.wasm (see wasm/src/abi.cpp for each function's threading contract). */
export interface EngineWasmExports extends ProcessorTableExports {
  _initialize(): void;
  wd_engine_create(sampleRate: number, blockSize: number): number;
  wd_engine_destroy(engine: number): void;
  wd_graph_clear(engine: number): void;
  wd_node_add(engine: number, typeIndex: number): number;
  wd_node_add_input(engine: number, node: number, source: number): number;
  wd_node_add_external(engine: number, hostId: number, numOutputs: number, numParams: number): number;
  wd_external_param_range(
    engine: number,
    node: number,
    param: number,
    min: number,
    max: number,
    def: number,
    discrete: number,
  ): number;
  wd_graph_prepare(engine: number, outputNode: number): number;
  wd_graph_estimate(engine: number, outputNode: number): number;
  wd_node_memory_estimate(engine: number, node: number): number;
  wd_timeline_estimate(steps: number, segments: number, midi: number, values: number): number;
  wd_timeline_reserve(
    engine: number,
    node: number,
    steps: number,
    segments: number,
    midi: number,
    values: number,
  ): number;
  wd_memory_maximum(): number;
  wd_memory_in_use(): number;
  wd_memory_available(): number;
  wd_allocation_failure_bytes(): number;
  wd_last_error(engine: number): number;
  wd_node_set_param(engine: number, node: number, param: number, value: number): number;
  wd_node_set_capture(engine: number, node: number, on: number): number;
  wd_param_step(engine: number, node: number, param: number, frame: number, value: number): number;
  wd_param_ramp(
    engine: number,
    node: number,
    param: number,
    start: number,
    end: number,
    v0: number,
    v1: number,
    curve: number,
  ): number;
  wd_param_array(
    engine: number,
    node: number,
    param: number,
    start: number,
    values: number,
    count: number,
  ): number;
  wd_midi_event(
    engine: number,
    node: number,
    frame: number,
    status: number,
    data1: number,
    data2: number,
  ): number;
  wd_timeline_clear(engine: number, node: number): number;
  wd_lane_begin(engine: number, node: number, param: number): number;
  wd_lane_end(engine: number, node: number, param: number, base: number): number;
  wd_buffer_create(engine: number, channels: number, frames: number, sampleRate: number): number;
  wd_buffer_channel(engine: number, id: number, channel: number): number;
  wd_buffer_channels(engine: number, id: number): number;
  wd_buffer_frames(engine: number, id: number): number;
  wd_buffer_release(engine: number, id: number): number;
  wd_node_set_buffer(engine: number, node: number, slot: number, id: number): number;
  wd_engine_reset(engine: number): void;
  wd_engine_seek(engine: number, frame: number): void;
  wd_tempo_begin(engine: number, points: number): void;
  wd_tempo_point(engine: number, seconds: number, beat: number, bpm: number, bpmPerBeat: number): number;
  wd_tempo_change(engine: number, frame: number, bpm: number, rampFrames: number): void;
  wd_tempo_beat_at(engine: number, frame: number): number;
  wd_tempo_estimate(points: number): number;
  wd_node_midi_now(engine: number, node: number, status: number, data1: number, data2: number): number;
  wd_trap_for_testing(): void;
  wd_capture_channel(engine: number, node: number, channel: number): number;
  wd_node_set_record_params(engine: number, node: number, on: number): number;
  wd_parameter_record(engine: number, node: number, param: number): number;
  wd_alloc(bytes: number): number;
  wd_free(pointer: number): void;
  wd_render(engine: number, frames: number): number;
  wd_render_held(engine: number, frames: number): number;
  wd_release_timeline_notes(engine: number): void;
  wd_output_channels(engine: number): number;
  wd_output_channel(engine: number, channel: number): number;
  wd_position_frames(engine: number): number;
  wd_node_param_value(engine: number, node: number, param: number): number;
  wd_non_finite_samples(engine: number, node: number): number;
  wd_non_finite_first_frame(engine: number, node: number): number;
  wd_non_finite_clear(engine: number): void;
  wd_fused_nodes(engine: number): number;
  wd_adding_nodes(engine: number): number;
  wd_node_output_channels(engine: number, node: number): number;
  wd_max_render_frames(): number;
  wd_allocation_count(): number;
}

/** An instantiated engine: the wasm exports and what this loader keeps beside them. */
export interface EngineExports extends EngineWasmExports {
  /** The dispatch table behind the external-node imports of this instance. */
  externals: ExternalHost;
  /**
   * How many times the memory has grown. Views over the memory must be rebuilt when it changes;
   * comparing a number is cheaper per quantum than reading `memory.buffer`.
   */
  growths: { count: number };
}

/** Every function engine.wasm must export (the compiler checks this list against the interface). */
const ENGINE_FUNCTIONS = {
  _initialize: true,
  wd_engine_create: true,
  wd_engine_destroy: true,
  wd_graph_clear: true,
  wd_node_add: true,
  wd_node_add_input: true,
  wd_node_add_external: true,
  wd_external_param_range: true,
  wd_graph_prepare: true,
  wd_graph_estimate: true,
  wd_node_memory_estimate: true,
  wd_timeline_estimate: true,
  wd_timeline_reserve: true,
  wd_memory_maximum: true,
  wd_memory_in_use: true,
  wd_memory_available: true,
  wd_allocation_failure_bytes: true,
  wd_last_error: true,
  wd_node_set_param: true,
  wd_node_set_capture: true,
  wd_param_step: true,
  wd_param_ramp: true,
  wd_param_array: true,
  wd_midi_event: true,
  wd_timeline_clear: true,
  wd_lane_begin: true,
  wd_lane_end: true,
  wd_buffer_create: true,
  wd_buffer_channel: true,
  wd_buffer_channels: true,
  wd_buffer_frames: true,
  wd_buffer_release: true,
  wd_node_set_buffer: true,
  wd_engine_reset: true,
  wd_engine_seek: true,
  wd_tempo_begin: true,
  wd_tempo_point: true,
  wd_tempo_change: true,
  wd_tempo_beat_at: true,
  wd_tempo_estimate: true,
  wd_node_midi_now: true,
  wd_trap_for_testing: true,
  wd_capture_channel: true,
  wd_node_set_record_params: true,
  wd_parameter_record: true,
  wd_alloc: true,
  wd_free: true,
  wd_render: true,
  wd_render_held: true,
  wd_release_timeline_notes: true,
  wd_output_channels: true,
  wd_output_channel: true,
  wd_position_frames: true,
  wd_node_param_value: true,
  wd_non_finite_samples: true,
  wd_non_finite_first_frame: true,
  wd_non_finite_clear: true,
  wd_fused_nodes: true,
  wd_adding_nodes: true,
  wd_node_output_channels: true,
  wd_max_render_frames: true,
  wd_allocation_count: true,
  wd_type_count: true,
  wd_type_kind: true,
  wd_type_name: true,
  wd_type_max_inputs: true,
  wd_type_param_count: true,
  wd_type_param: true,
  wd_type_instrument: true,
  wd_type_buffer_slots: true,
  wd_type_presets: true,
  wd_type_internal: true,
} satisfies Record<Exclude<keyof EngineWasmExports, "memory">, true>;

/** Whether an instance's exports are engine.wasm's (checked once, at instantiation). */
function isEngineWasm(exports: WebAssembly.Exports): exports is WebAssembly.Exports & EngineWasmExports {
  if (!(exports.memory instanceof WebAssembly.Memory)) return false;
  return Object.keys(ENGINE_FUNCTIONS).every((name) => typeof exports[name] === "function");
}

/** Compiles engine.wasm bytes (main thread, Worker or Node; never needed in the worklet). */
export function compileEngineModule(bytes: BufferSource): Promise<WebAssembly.Module> {
  return WebAssembly.compile(bytes);
}

/**
 * Instantiates a compiled engine module synchronously, as the AudioWorklet constructor must.
 * @example
 * import { WasmEngine } from "./wasm-engine";
 * const exports = instantiateEngine(module);
 * const engine = new WasmEngine(exports, 48000, 128);
 */
export function instantiateEngine(module: WebAssembly.Module): EngineExports {
  const externals = new ExternalHost();
  const growths = { count: 0 };
  const imports = {
    webdreamer: externals.imports(),
    wasi_snapshot_preview1: {
      proc_exit(code: number): never {
        throw new Error(`engine.wasm called proc_exit(${code})`);
      },
    },
    // Called when memory.grow succeeds: WasmEngine rebuilds its views when the count changes.
    env: {
      emscripten_notify_memory_growth(): void {
        growths.count++;
      },
    },
  };
  const instance = new WebAssembly.Instance(module, imports);
  if (!isEngineWasm(instance.exports)) {
    throw new Error("this WebAssembly module is not engine.wasm: an export the loader needs is missing");
  }
  const exports: EngineExports = { ...instance.exports, externals, growths };
  externals.attach(exports.memory);
  exports._initialize();
  return exports;
}
