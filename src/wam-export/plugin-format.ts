/**
 * The files of a webdreamer graph exported as a WAM 2.0 plugin, and the one file only webdreamer's
 * own runtime reads (graph.json). The exporter (export-wam.ts, Node.js) writes them; the plugin's
 * runtime (runtime/, bundled into webdreamer-wam.js and webdreamer-wam-processor.js) reads them in
 * the host's page and audio thread. Types and names only, so both sides import it without pulling
 * in the other's platform.
 */
import type { WamParameterConfiguration } from "@webaudiomodules/api";
import type { GraphProgram, GraphProgramNode } from "../engine/graph-program";
import type { FaustLayout } from "../faust/layout";

/** The file names of an exported plugin folder. */
export const PLUGIN_FILES = {
  /** The WAM descriptor (WamDescriptor), read by hosts before loading the module. */
  descriptor: "descriptor.json",
  /** The module a host imports: its default export is the WebAudioModule class. */
  index: "index.js",
  /** The plugin's AudioWorklet module: registers the processor under the plugin's identifier. */
  processor: "processor.js",
  /** webdreamer's main-thread runtime (the same file for every export). */
  mainRuntime: "webdreamer-wam.js",
  /** webdreamer's audio-thread runtime (the same file for every export). */
  processorRuntime: "webdreamer-wam-processor.js",
  /** The engine. */
  engine: "engine.wasm",
  /** The compiled graph, its exposed parameters and MIDI routing. */
  graph: "graph.json",
  /** Compiled Faust DSPs, one .wasm per module. */
  faustFolder: "faust",
  /** The audio the graph plays (samples, custom waves): raw float32, little-endian, planar. */
  bufferFolder: "buffers",
  /** Faust soundfile parts, in the same format. */
  soundfileFolder: "soundfiles",
} as const;

/** graph.json's `format`: bumped when the runtime could no longer read older files. */
export const EXPORTED_GRAPH_FORMAT = "webdreamer-wam-graph/1";

/** A compiled Faust module on disk: the .wasm file (relative to the plugin folder) and libfaust's JSON. */
export interface ExportedFaustFactory {
  wasm: string;
  json: string;
}

/** A Faust node of the program, its WebAssembly modules written as files. */
export interface ExportedFaustNode {
  nodeId: string;
  numOutputs: number;
  params: { id: string; min: number; max: number; default: number; discrete?: boolean }[];
  dsp: ExportedFaustFactory;
  effect: ExportedFaustFactory | null;
  /** The poly voice mixer's .wasm, or null for a mono DSP. */
  mixer: string | null;
  layout: FaustLayout;
  /** Soundfile audio by soundfile label, parts by index (null: a part the graph leaves silent). */
  soundfiles: [string, (ExportedAudio | null)[]][];
}

/** A program node as written: builtin nodes as compiled, Faust nodes by their files. */
export type ExportedProgramNode = Omit<GraphProgramNode, "external" | "faust" | "timeline"> & {
  faust?: ExportedFaustNode;
};

/** Audio written as a file: a buffer the program names, or a part of a Faust soundfile. */
export interface ExportedAudio {
  /** The .f32 file, relative to the plugin folder: channel after channel, `frames` floats each. */
  file: string;
  channels: number;
  frames: number;
  /**
   * The rate the audio was recorded at. A program buffer plays in contexts at this rate only; a
   * soundfile part is read at it (the Faust node resamples it).
   */
  sampleRate: number;
}

/** One buffer the program names by id (its index in ExportedGraph.buffers). */
export type ExportedBuffer = ExportedAudio;

/** One graph parameter exposed as a WAM parameter. */
export interface ExposedParameter {
  /** The WAM parameter id: "<node name>/<parameter id>". */
  id: string;
  /** Program index of the node. */
  node: number;
  /** Index of the parameter in the node's parameter table (what wd_node_set_param takes). */
  param: number;
  info: WamParameterConfiguration;
}

/** graph.json. */
export interface ExportedGraph {
  format: typeof EXPORTED_GRAPH_FORMAT;
  program: { nodes: ExportedProgramNode[]; output: number };
  /** Channels of the graph's output: the WAM node's output channel count. */
  outputChannels: number;
  /**
   * Channels of the plugin's audio input (an effect: 2), 0 without one. The program node that reads
   * it carries `port` (the stage-input port, src/wam/stage-ports.ts). Absent in files written before
   * effects were exported: 0.
   */
  inputChannels?: number;
  /** Engine block size the program was checked at (the plugin renders with the same). */
  blockSize: number;
  parameters: ExposedParameter[];
  /** Program indices of the nodes wam-midi events play (every node that takes MIDI). */
  midiNodes: number[];
  /** The audio of the program's buffer ids 0, 1, ... */
  buffers: ExportedBuffer[];
}

/** What the audio thread receives in processorOptions (modules compiled on the main thread). */
export interface WamProcessorSetup {
  engineModule: WebAssembly.Module;
  program: GraphProgram;
  blockSize: number;
  parameters: ExposedParameter[];
  midiNodes: number[];
  /** Channels of buffer ids 0, 1, ... */
  buffers: Float32Array[][];
}
