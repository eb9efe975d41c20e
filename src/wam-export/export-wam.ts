/**
 * exportWam: a webdreamer graph as a WAM 2.0 plugin folder (Node.js). The graph is checked and
 * compiled here, once, as any host compiles it (its Faust nodes from the source they carry in
 * extensions.faust), built once in a real engine so a graph that could not play is refused now, and
 * written as files a WAM host loads (plugin-format.ts):
 *
 *   descriptor.json   index.js   processor.js   graph.json   engine.wasm   faust/*.wasm
 *   webdreamer-wam.js   webdreamer-wam-processor.js   (webdreamer's runtime, the same in every export)
 *
 * A plugin is a sound, not a song: the graph's own MIDI and automation timelines are not exported
 * (the host plays the plugin with wam-midi and wam-automation events); `notes` says which were left.
 * Audio the graph plays (samples, custom waves, Faust soundfile parts) comes from `options.buffers`
 * by handle and is written beside it; a graph with engine buffers then plays only in contexts at
 * their rate (the engine in the AudioWorklet takes buffers at the context's rate; soundfile parts
 * keep theirs). With `audioInput` naming a source node, the plugin is an effect: the host's audio
 * takes that node's place (audio-input.ts); without it, an instrument or a generator.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { EngineError } from "../contracts/errors";
import {
  type GraphDescriptor,
  type GraphDescriptorInput,
  GraphDescriptorSchema,
} from "../contracts/graph-descriptor";
import { checkGraph } from "../contracts/graph-semantics";
import { formatPath, parseContract } from "../contracts/validate";
import { findBuiltinType } from "../engine/builtin-descriptors";
import { instantiateEngine } from "../engine/engine-module";
import { compileGraph } from "../engine/graph-compiler";
import { applyGraphProgram } from "../engine/graph-program";
import type { ProcessorTypeInfo } from "../engine/processor-types";
import { WasmEngine } from "../engine/wasm-engine";
import type { CompiledFaust } from "../faust/compiler";
import type { FaustFactory } from "../faust/dsp-code";
import { loadLibFaustFromDisk } from "../faust/libfaust-nodejs";
import { FAUST_PREFIX, type FaustGraphNode, FaustRegistry } from "../faust/registry";
import { engineWasmPath, loadEngineModuleFromDisk } from "../hosts/in-process/engine-file";
import { AUDIO_INPUT_CHANNELS, audioInputPort, audioInputResolution, withAudioInput } from "./audio-input";
import { exposedParameters, type ParameterSource } from "./exposed-parameters";
import {
  EXPORTED_GRAPH_FORMAT,
  type ExportedAudio,
  type ExportedBuffer,
  type ExportedFaustFactory,
  type ExportedFaustNode,
  type ExportedGraph,
  type ExportedProgramNode,
  PLUGIN_FILES,
} from "./plugin-format";
import { runtimeFile } from "./runtime-files";
import { type ExportedWamDescriptor, type WamIdentity, wamDescriptor } from "./wam-descriptor";

/** Options of exportWam. */
export interface ExportWamOptions extends Partial<WamIdentity> {
  /**
   * The graph parameters to expose as WAM parameters, by WAM id ("<node name>/<parameter id>");
   * default: every parameter of every node.
   */
  parameters?: string[];
  /**
   * The name of the node whose output the plugin's audio input replaces: the plugin is then an
   * effect (hasAudioInput, stereo in). A source node without inputs, e.g. a builtin:playback of a test
   * signal, so the same graph renders in webdreamer. Default: none (an instrument or a generator).
   */
  audioInput?: string;
  /** engine.wasm to ship. Default: the one the in-process host loads. */
  wasmPath?: string;
  /** The audio of each buffer handle the graph names (a session's audio: readSession). */
  buffers?: ReadonlyMap<string, { sampleRate: number; channels: Float32Array[] }>;
}

/** An exported plugin: its descriptor, every file by its path in the folder, and what was left out. */
export interface ExportedWam {
  descriptor: ExportedWamDescriptor;
  graph: ExportedGraph;
  files: Map<string, Uint8Array | string>;
  /** Parts of the graph the plugin does not play (its MIDI and automation timelines). */
  notes: string[];
}

/** The engine's block size in the plugin: the in-process host's default, so renders agree. */
const BLOCK_SIZE = 128;
/** Times become frames only in timelines, which are not exported: any rate compiles the same program. */
const COMPILE_RATE = 48000;

/**
 * Exports `graph` as a WAM plugin, in memory; writeWamFolder writes it. Throws EngineError with the
 * path of the field to fix (E_SCHEMA, E_UNKNOWN_NODE, Faust compile errors...).
 * @example
 * const plugin = await exportWam(graph, { identifier: "com.example.pad", name: "Pad", parameters: ["synth/filter_cutoff"] });
 * await writeWamFolder("public/plugins/pad", plugin);
 */
export async function exportWam(
  input: GraphDescriptorInput,
  options: ExportWamOptions = {},
): Promise<ExportedWam> {
  const parsed = parseContract(GraphDescriptorSchema, input, "graph");
  checkGraph(parsed, { rootLabel: "graph" });
  const { graph: timeless, notes } = withoutTimelines(parsed);
  const graph =
    options.audioInput === undefined
      ? timeless
      : withAudioInput(timeless, options.audioInput, "options.audioInput");
  const inputIndex = graph.nodes.findIndex((node) => node.name === options.audioInput);
  const audio = new BufferTable(options.buffers ?? new Map());

  const wasmPath = options.wasmPath ?? engineWasmPath();
  const engineModule = await loadEngineModuleFromDisk(wasmPath);
  const engine = new WasmEngine(instantiateEngine(engineModule), COMPILE_RATE, BLOCK_SIZE);
  const faust = graph.nodes.some((node) => node.node_id.startsWith(FAUST_PREFIX))
    ? new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk })
    : undefined;
  await faust?.prepareGraph(graph, "graph");
  const faustByNode = new Map<number, FaustGraphNode>();
  const types: ProcessorTypeInfo[] = [];
  const compiled = compileGraph(graph, {
    types: engine.types,
    sampleRate: COMPILE_RATE,
    rootLabel: "graph",
    resolveBuffer: (handle, path) => audio.idOf(handle, path),
    // Only automation reads buffers this way, and timelines are not exported.
    readBufferChannel0: (_handle, path) => {
      throw new EngineError("E_SCHEMA", "automation is not exported", path);
    },
    resolveExternal: (node, path) => {
      const port = audioInputResolution(node);
      if (port !== undefined) {
        types[graph.nodes.indexOf(node)] = port.type;
        return port;
      }
      const resolved = faust?.resolve(node, path, (handle, slotPath) => audio.audioOf(handle, slotPath));
      if (resolved === undefined) return undefined;
      faustByNode.set(graph.nodes.indexOf(node), resolved);
      const { layout, nodeId } = resolved.compiled;
      return {
        type: resolved.type,
        spec: {
          nodeId,
          numOutputs: layout.numOutputs,
          params: layout.params,
          create: resolved.create,
          latencyFrames: resolved.compiled.descriptor.latency_samples,
        },
      };
    },
  });
  let outputChannels: number;
  try {
    // Built once here, so a graph the plugin could not build fails the export, not the host's page.
    for (const { channels, sampleRate } of audio.used) engine.createBuffer(channels, sampleRate);
    applyGraphProgram(engine, compiled.program);
    outputChannels = engine.outputChannels;
  } finally {
    engine.destroy();
  }
  graph.nodes.forEach((node, index) => {
    const compiledFaust = faustByNode.get(index);
    if (compiledFaust !== undefined) types[index] = compiledFaust.type;
    else types[index] ??= findBuiltinType(engine.types, node.node_id) as ProcessorTypeInfo;
  });

  const sources: ParameterSource[] = graph.nodes.map((node, index) => ({
    name: node.name,
    index,
    type: types[index] as ProcessorTypeInfo,
    values: compiled.program.nodes[index]?.params ?? {},
  }));
  const parameters = exposedParameters(sources, options.parameters);
  const midiNodes = graph.nodes.flatMap((_node, index) =>
    takesMidi(types[index], faustByNode.get(index)?.compiled) ? [index] : [],
  );

  const files = new Map<string, Uint8Array | string>();
  const nodes: ExportedProgramNode[] = compiled.program.nodes.map((node, index) => {
    const { external: _external, faust: _faust, timeline: _timeline, capture: _capture, ...kept } = node;
    if (index === inputIndex) return { ...kept, port: audioInputPort() };
    const faustNode = faustByNode.get(index);
    return faustNode === undefined ? kept : { ...kept, faust: faustFiles(index, faustNode, files) };
  });
  const exportedGraph: ExportedGraph = {
    format: EXPORTED_GRAPH_FORMAT,
    program: { nodes, output: compiled.program.output },
    outputChannels,
    inputChannels: inputIndex >= 0 ? AUDIO_INPUT_CHANNELS : 0,
    blockSize: BLOCK_SIZE,
    parameters,
    midiNodes,
    buffers: audio.write(files),
  };
  const identity = identityOf(graph, options);
  const descriptor = wamDescriptor(identity, {
    takesMidi: midiNodes.length > 0,
    exposedParameters: parameters.length,
    inputChannels: exportedGraph.inputChannels ?? 0,
    outputChannels,
  });
  files.set(PLUGIN_FILES.descriptor, `${JSON.stringify(descriptor, null, 2)}\n`);
  files.set(PLUGIN_FILES.graph, `${JSON.stringify(exportedGraph)}\n`);
  files.set(PLUGIN_FILES.index, indexModule(identity));
  files.set(PLUGIN_FILES.processor, processorModule(identity));
  files.set(PLUGIN_FILES.engine, await readFile(wasmPath));
  files.set(PLUGIN_FILES.mainRuntime, await readFile(runtimeFile(PLUGIN_FILES.mainRuntime)));
  files.set(PLUGIN_FILES.processorRuntime, await readFile(runtimeFile(PLUGIN_FILES.processorRuntime)));
  return { descriptor, graph: exportedGraph, files, notes };
}

/**
 * Writes an exported plugin into `directory` (created if needed; files already there are replaced).
 * Returns the paths written.
 * @example
 * await writeWamFolder("public/plugins/pad", await exportWam(graph, { name: "Pad" }));
 */
export async function writeWamFolder(directory: string, plugin: ExportedWam): Promise<string[]> {
  const written: string[] = [];
  for (const [name, content] of plugin.files) {
    const path = join(directory, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    written.push(path);
  }
  return written;
}

/** A node takes wam-midi when its type plays notes, or a Faust DSP binds a control to MIDI. */
function takesMidi(type: ProcessorTypeInfo | undefined, faust: CompiledFaust | undefined): boolean {
  return (type?.instrument ?? false) || (faust?.layout.midi.length ?? 0) > 0;
}

/** The buffers the program names, by engine id in the order the compiler first asks for them. */
class BufferTable {
  readonly used: { handle: string; sampleRate: number; channels: Float32Array[] }[] = [];
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly given: ReadonlyMap<string, { sampleRate: number; channels: Float32Array[] }>,
  ) {}

  idOf(handle: string, path: string): number {
    let id = this.ids.get(handle);
    if (id === undefined) {
      id = this.used.length;
      this.used.push({ handle, ...this.audioOf(handle, path) });
      this.ids.set(handle, id);
    }
    return id;
  }

  /** The audio given for a handle; E_UNKNOWN_HANDLE at `path` when there is none. */
  audioOf(handle: string, path: string): { sampleRate: number; channels: Float32Array[] } {
    const audio = this.given.get(handle);
    if (audio === undefined) {
      throw new EngineError(
        "E_UNKNOWN_HANDLE",
        `no audio for buffer handle ${handle}: give it in options.buffers (the CLI reads it from a session file)`,
        path,
      );
    }
    return audio;
  }

  /** Writes each buffer as buffers/<id>.f32 (planar little-endian float32). */
  write(files: Map<string, Uint8Array | string>): ExportedBuffer[] {
    return this.used.map((audio, id) => writeAudio(files, `${PLUGIN_FILES.bufferFolder}/${id}.f32`, audio));
  }
}

/** Writes audio as a planar little-endian float32 file. */
function writeAudio(
  files: Map<string, Uint8Array | string>,
  file: string,
  { channels, sampleRate }: { sampleRate: number; channels: readonly Float32Array[] },
): ExportedAudio {
  const frames = channels[0]?.length ?? 0;
  const bytes = new Uint8Array(channels.length * frames * 4);
  const view = new DataView(bytes.buffer);
  channels.forEach((channel, c) => {
    for (let i = 0; i < frames; i++) view.setFloat32((c * frames + i) * 4, channel[i] as number, true);
  });
  files.set(file, bytes);
  return { file, channels: channels.length, frames, sampleRate };
}

/** The graph without timelines or captures, and a note for each node that had a timeline. */
function withoutTimelines(graph: GraphDescriptor): { graph: GraphDescriptor; notes: string[] } {
  const notes: string[] = [];
  const nodes = graph.nodes.map((node, index) => {
    const lanes = Object.keys(node.automation);
    // Captures are a render's stems: a plugin has one output.
    if (node.midi.length === 0 && lanes.length === 0) return { ...node, capture: false };
    const parts = [
      ...(node.midi.length > 0 ? [`${node.midi.length} MIDI event${node.midi.length === 1 ? "" : "s"}`] : []),
      ...(lanes.length > 0 ? [`automation of ${lanes.join(", ")}`] : []),
    ];
    notes.push(
      `${formatPath(["nodes", index], "graph")} ("${node.name}"): ${parts.join(" and ")} not exported; ` +
        "the host plays the plugin with wam-midi and wam-automation events",
    );
    return { ...node, midi: [], automation: {}, capture: false };
  });
  return { graph: { ...graph, nodes }, notes };
}

function identityOf(graph: GraphDescriptor, options: ExportWamOptions): WamIdentity {
  const name = options.name ?? `webdreamer ${graph.output}`;
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "graph";
  return {
    identifier: options.identifier ?? `com.webdreamer.export.${slug}`,
    name,
    vendor: options.vendor ?? "webdreamer",
    version: options.version ?? "1.0.0",
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.keywords === undefined ? {} : { keywords: options.keywords }),
    ...(options.website === undefined ? {} : { website: options.website }),
    ...(options.thumbnail === undefined ? {} : { thumbnail: options.thumbnail }),
  };
}

/**
 * A Faust node's modules as files under faust/, named by the DSP's hash (shared by its nodes), and
 * its soundfile parts under soundfiles/, named by node, label and part.
 */
function faustFiles(
  index: number,
  node: FaustGraphNode,
  files: Map<string, Uint8Array | string>,
): ExportedFaustNode {
  const { compiled } = node;
  const hash = compiled.nodeId.slice(FAUST_PREFIX.length);
  const file = (part: string, bytes: Uint8Array | null | undefined): string => {
    if (bytes === null || bytes === undefined) {
      throw new EngineError(
        "E_RENDER",
        `${compiled.nodeId}: the compiler kept no bytes of its ${part} module`,
      );
    }
    const path = `${PLUGIN_FILES.faustFolder}/${hash}-${part}.wasm`;
    files.set(path, bytes);
    return path;
  };
  const factory = (part: string, factory: FaustFactory): ExportedFaustFactory => ({
    wasm: file(part, factory.bytes),
    json: factory.json,
  });
  const { layout } = compiled;
  return {
    nodeId: compiled.nodeId,
    numOutputs: layout.numOutputs,
    params: layout.params,
    dsp: factory("dsp", compiled.dsp),
    effect: compiled.effect === null ? null : factory("effect", compiled.effect),
    mixer: compiled.mixer === null ? null : file("mixer", compiled.mixerBytes),
    layout,
    soundfiles: [...node.soundfiles].map(([label, parts], l): [string, (ExportedAudio | null)[]] => [
      label,
      Array.from(parts, (part, p) =>
        part === undefined
          ? null
          : writeAudio(files, `${PLUGIN_FILES.soundfileFolder}/${index}-${l}-${p}.f32`, part),
      ),
    ]),
  };
}

function indexModule(identity: WamIdentity): string {
  return [
    `// ${identity.name}: a webdreamer graph exported as a WAM 2.0 plugin (webdreamer export-wam).`,
    "// Its default export is the WebAudioModule class: (await import(url)).default.createInstance(groupId, context).",
    `import { createWebdreamerWam } from "./${PLUGIN_FILES.mainRuntime}";`,
    "",
    "export default createWebdreamerWam(import.meta.url);",
    "",
  ].join("\n");
}

function processorModule(identity: WamIdentity): string {
  return [
    `// The AudioWorklet module of ${identity.name}: registers its processor under its identifier.`,
    `import { registerWebdreamerWamProcessor } from "./${PLUGIN_FILES.processorRuntime}";`,
    "",
    `registerWebdreamerWamProcessor(${JSON.stringify(identity.identifier)});`,
    "",
  ].join("\n");
}
