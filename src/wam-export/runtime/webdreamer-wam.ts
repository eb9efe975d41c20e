/**
 * The main-thread half of an exported plugin, bundled into webdreamer-wam.js (the same file in every
 * export). The plugin's index.js is two lines: it calls createWebdreamerWam with its own URL and
 * default-exports the class, so a WAM host's `(await import(url)).default.createInstance(groupId,
 * context, state)` gets a standard WebAudioModule.
 *
 * createAudioNode fetches and compiles the plugin's files once per page (engine.wasm, graph.json,
 * the Faust .wasm modules; every instance shares them), adds the SDK's processor scripts and the
 * plugin's own AudioWorklet module, and builds a WamNode whose processor embeds the engine
 * (webdreamer-wam-processor.js). Everything the audio thread needs travels in processorOptions,
 * compiled: it has no fetch and no module loader of its own.
 */
import { WamNode, WebAudioModule } from "@webaudiomodules/sdk";
import type { ClonedFaustNode, GraphProgram, GraphProgramNode } from "../../engine/graph-program";
import type { FaustDspCode, FaustFactory } from "../../faust/dsp-code";
import type { FaustJson } from "../../faust/layout";
import type { SoundfilePart } from "../../faust/soundfiles";
import {
  EXPORTED_GRAPH_FORMAT,
  type ExportedAudio,
  type ExportedFaustFactory,
  type ExportedFaustNode,
  type ExportedGraph,
  PLUGIN_FILES,
  type WamProcessorSetup,
} from "../plugin-format";
import { parameterGui } from "./parameter-gui";

/** What one page loads once per plugin and every instance shares. */
interface LoadedPlugin {
  graph: ExportedGraph;
  setup: WamProcessorSetup;
}

/**
 * The WebAudioModule class of the plugin whose files sit beside `moduleUrl`. An exported plugin's
 * index.js is `export default createWebdreamerWam(import.meta.url)`, imported from
 * "./webdreamer-wam.js".
 */
export function createWebdreamerWam(moduleUrl: string): typeof WebAudioModule {
  const fileUrl = (file: string) => new URL(file, moduleUrl).href;
  let loading: Promise<LoadedPlugin> | null = null;
  const load = () => {
    loading ??= loadPlugin(fileUrl).catch((error: unknown) => {
      // A failed load (a network error) may succeed on the next instance.
      loading = null;
      throw error;
    });
    return loading;
  };

  class WebdreamerWam extends WebAudioModule {
    constructor(groupId: string, audioContext: BaseAudioContext) {
      super(groupId, audioContext);
      this._descriptorUrl = fileUrl(PLUGIN_FILES.descriptor);
    }

    /** The SDK's initialize neither reads descriptor.json nor applies the initial state: this does. */
    override async initialize(state?: unknown): Promise<WebAudioModule> {
      await this._loadDescriptor();
      this.audioNode = await this.createAudioNode(state);
      this.initialized = true;
      return this;
    }

    /** A control per exposed parameter (parameter-gui.ts); the SDK has no GUI of its own. */
    override async createGui(): Promise<Element> {
      return parameterGui(this.audioNode, this.name);
    }

    override async createAudioNode(initialState?: unknown): Promise<WamNode> {
      const { graph, setup } = await load();
      const context = this.audioContext;
      // The engine in the AudioWorklet takes audio at the context's rate: another rate would play
      // the graph's samples at the wrong speed and pitch, so such a context is refused.
      const mismatch = graph.buffers.find((buffer) => buffer.sampleRate !== context.sampleRate);
      if (mismatch !== undefined) {
        throw new Error(
          `${this.moduleId} plays audio recorded at ${mismatch.sampleRate} Hz (${mismatch.file}) and runs only in ` +
            `contexts at that rate; this one runs at ${context.sampleRate} Hz`,
        );
      }
      await WamNode.addModules(context, this.moduleId);
      await context.audioWorklet.addModule(fileUrl(PLUGIN_FILES.processor));
      // An effect takes one stereo input (a mono connection is copied to both channels), which the
      // processor reads into the graph where the exported graph's audio input node was.
      const inputChannels = graph.inputChannels ?? 0;
      const node = new WamNode(this, {
        numberOfInputs: inputChannels > 0 ? 1 : 0,
        ...(inputChannels > 0
          ? { channelCount: inputChannels, channelCountMode: "explicit", channelInterpretation: "speakers" }
          : {}),
        numberOfOutputs: 1,
        outputChannelCount: [graph.outputChannels],
        // Events travel on the node's port, not the SDK's event ring: that ring advertises the
        // parameter ids before the processor has any, so automation events could not be encoded
        // (docs/wam.md, "Export as a WAM").
        processorOptions: { useSab: false, setup },
      });
      await node._initialize();
      if (initialState !== undefined && initialState !== null) await node.setState(initialState);
      return node;
    }
  }
  return WebdreamerWam as unknown as typeof WebAudioModule;
}

async function loadPlugin(fileUrl: (file: string) => string): Promise<LoadedPlugin> {
  const [graph, engineModule] = await Promise.all([
    fetchJson<ExportedGraph>(fileUrl(PLUGIN_FILES.graph)),
    fetchModule(fileUrl(PLUGIN_FILES.engine)),
  ]);
  if (graph.format !== EXPORTED_GRAPH_FORMAT) {
    throw new Error(
      `${fileUrl(PLUGIN_FILES.graph)} is "${graph.format}", this runtime reads "${EXPORTED_GRAPH_FORMAT}": export the graph again`,
    );
  }
  const nodes = await Promise.all(
    graph.program.nodes.map(async ({ faust, ...node }): Promise<GraphProgramNode> => {
      if (faust === undefined) return node;
      return { ...node, faust: await loadFaustNode(faust, fileUrl) };
    }),
  );
  const program: GraphProgram = { nodes, output: graph.program.output };
  const buffers = await Promise.all(graph.buffers.map((buffer) => loadAudio(buffer, fileUrl)));
  return {
    graph,
    setup: {
      engineModule,
      program,
      blockSize: graph.blockSize,
      parameters: graph.parameters,
      midiNodes: graph.midiNodes,
      buffers,
    },
  };
}

/** An audio file (planar little-endian float32) as its channels. */
async function loadAudio(buffer: ExportedAudio, fileUrl: (file: string) => string): Promise<Float32Array[]> {
  const url = fileUrl(buffer.file);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const view = new DataView(await response.arrayBuffer());
  if (view.byteLength !== buffer.channels * buffer.frames * 4) {
    throw new Error(
      `${url}: ${view.byteLength} bytes, not ${buffer.channels} channels of ${buffer.frames} floats`,
    );
  }
  const channels: Float32Array[] = [];
  for (let c = 0; c < buffer.channels; c++) {
    const channel = new Float32Array(buffer.frames);
    for (let i = 0; i < buffer.frames; i++) channel[i] = view.getFloat32((c * buffer.frames + i) * 4, true);
    channels.push(channel);
  }
  return channels;
}

/** A Faust node's files as the ClonedFaustNode the processor makes an external node of (externalFaustNode). */
async function loadFaustNode(
  faust: ExportedFaustNode,
  fileUrl: (file: string) => string,
): Promise<ClonedFaustNode> {
  const factory = async (exported: ExportedFaustFactory): Promise<FaustFactory> => ({
    module: await fetchModule(fileUrl(exported.wasm)),
    json: exported.json,
    meta: JSON.parse(exported.json) as FaustJson,
  });
  const code: FaustDspCode = {
    dsp: await factory(faust.dsp),
    effect: faust.effect === null ? null : await factory(faust.effect),
    mixer: faust.mixer === null ? null : await fetchModule(fileUrl(faust.mixer)),
    layout: faust.layout,
  };
  const soundfiles = await Promise.all(
    faust.soundfiles.map(
      async ([label, parts]): Promise<[string, (SoundfilePart | undefined)[]]> => [
        label,
        await Promise.all(
          parts.map(async (part) =>
            part === null
              ? undefined
              : { channels: await loadAudio(part, fileUrl), sampleRate: part.sampleRate },
          ),
        ),
      ],
    ),
  );
  return { nodeId: faust.nodeId, numOutputs: faust.numOutputs, params: faust.params, code, soundfiles };
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

async function fetchModule(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}
