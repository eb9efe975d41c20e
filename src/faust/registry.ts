/**
 * FaustRegistry: the Faust DSPs one EngineClient knows, by node id, and how its graphs use them.
 *
 * A graph names a Faust node by `node_id: "faust:<hash>"`. The DSP behind it is either one the client
 * compiled earlier (`compile()`, EngineClient-side `compileFaust`), or one the node carries itself:
 *
 *   { "name": "verb", "node_id": "faust:…", "extensions": { "faust": {
 *       "source": "import(\"stdfaust.lib\"); process = re.zita_rev1_stereo(0, 200, 6000, 3, 4, 48000);",
 *       "argv": ["-ftz", "2"], "voices": 0, "group_voices": true, "name": "verb",
 *       "libraries": { "mylib.lib": "..." } } } }
 *
 * so a saved session (or a request sent to another host) compiles its Faust nodes when it loads. The
 * node id must be the one the source and options compile to; the error names it when it is not.
 *
 * Hosts call prepareGraph() (async: it compiles) before compiling a graph, then pass
 * resolveExternal() to the graph compiler, which turns each Faust node into an external node of the
 * engine: parameters, automation, MIDI and capture work as for builtin nodes. Soundfile audio comes
 * from the graph node's `buffers` (slots "<label>" and "<label>#<part>").
 */
import * as z from "zod";
import type { DiscoveryRoot, RootScan } from "../api/discovery-roots";
import { withoutReservedKey } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import type { GraphDescriptor, GraphNode } from "../contracts/graph-descriptor";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import { formatPath, parseContract } from "../contracts/validate";
import type { ProcessorTypeInfo } from "../engine/processor-types";
import { type CompiledFaust, compileFaust, type FaustCompileOptions, forgetCompiledFaust } from "./compiler";
import { type DspFolderReader, scanFaustRoot } from "./dsp-roots";
import { createFaustNode, type FaustNode, type SoundfilePart } from "./faust-node";
import { type FaustPolicy, faustPolicyPrefixes } from "./faust-policy";
import { soundfileSlot, soundfileSlotNames } from "./layout";
import type { LibFaustLoader } from "./libfaust";

/** The node_id prefix of Faust DSPs. */
export const FAUST_PREFIX = "faust:";

/** `extensions.faust` of a graph node: the DSP's source and compile options. */
export const FaustNodeSourceSchema = z.strictObject({
  source: z.string().min(1).describe("Faust source of the DSP."),
  name: z
    .string()
    .min(1)
    .optional()
    .describe('DSP name (address prefix when the source declares none). Default "webdreamer".'),
  argv: z.array(z.string().min(1)).optional().describe('libfaust options. Default ["-ftz", "2"].'),
  libraries: withoutReservedKey(z.record(z.string(), z.string()))
    .optional()
    .describe("Extra Faust libraries by file name."),
  voices: z
    .int()
    .min(0)
    .max(256)
    .optional()
    .describe("0: mono; N: polyphonic with N voices. Default: [nvoices:N] of the source."),
  group_voices: z
    .boolean()
    .optional()
    .describe("Poly: one parameter for all voices (default) or one per voice."),
  release_length: z
    .number()
    .min(0)
    .max(60)
    .optional()
    .describe("Poly: seconds a released voice computes before it may be freed. Default 0."),
  dynamic_voices: z
    .boolean()
    .optional()
    .describe("Poly: compute only voices playing a note (default) or every voice in every block."),
});

export type FaustNodeSource = z.output<typeof FaustNodeSourceSchema>;

/** A Faust node of a graph as the graph compiler and the engine need it. */
export interface FaustGraphNode {
  /** Parameter table for checking values and automation (kind = the node id). */
  type: ProcessorTypeInfo;
  compiled: CompiledFaust;
  /** The node's soundfile audio by label (what create() hands the processor). */
  soundfiles: Map<string, SoundfilePart[]>;
  /** Creates the processor, with the node's soundfile audio (control thread of the rendering host). */
  create(): FaustNode;
}

export interface FaustRegistryOptions {
  /** How this thread loads libfaust: loadLibFaustFromDisk (Node), loadLibFaustWithVite (browser). */
  loadLibFaust: LibFaustLoader;
  /** How this thread reads faust-folder discovery roots: readDspFolderFromDisk (Node); none in a page. */
  readDspFolder?: DspFolderReader;
  /** What every compile of this registry may fetch (the app's FaustPolicy); none by default. */
  policy?: FaustPolicy;
}

/** Options of a graph node's source as compile options. */
export function compileOptionsOf(source: FaustNodeSource): FaustCompileOptions {
  return {
    ...(source.name === undefined ? {} : { name: source.name }),
    ...(source.argv === undefined ? {} : { argv: source.argv }),
    ...(source.libraries === undefined ? {} : { libraries: source.libraries }),
    ...(source.voices === undefined ? {} : { voices: source.voices }),
    ...(source.group_voices === undefined ? {} : { groupVoices: source.group_voices }),
    ...(source.release_length === undefined ? {} : { releaseLength: source.release_length }),
    ...(source.dynamic_voices === undefined ? {} : { dynamicVoices: source.dynamic_voices }),
  };
}

/**
 * The `node_id` and `extensions.faust` of a graph node that plays `compiled` and carries its source,
 * so the graph (a saved session, a request sent to another host) compiles it wherever it loads.
 * @example
 * const node = { name: "verb", inputs: ["dry"], ...faustNodeSource(compiled) };
 */
export function faustNodeSource(compiled: CompiledFaust): {
  node_id: string;
  extensions: { faust: FaustNodeSource };
} {
  const { name, argv, libraries, voices, groupVoices, releaseLength, dynamicVoices } = compiled.options;
  return {
    node_id: compiled.nodeId,
    extensions: {
      faust: {
        source: compiled.source,
        name,
        argv: [...argv],
        ...(Object.keys(libraries).length > 0 ? { libraries: { ...libraries } } : {}),
        voices,
        group_voices: groupVoices,
        // Only when set, so sources saved before these options read the same.
        ...(releaseLength === 0 ? {} : { release_length: releaseLength }),
        ...(dynamicVoices ? {} : { dynamic_voices: dynamicVoices }),
      },
    },
  };
}

export class FaustRegistry {
  private readonly compiled = new Map<string, CompiledFaust>();
  private readonly types = new Map<string, ProcessorTypeInfo>();
  private readonly loadLibFaust: LibFaustLoader;
  private readonly readDspFolder: DspFolderReader | undefined;
  private readonly allowUrlPrefixes: readonly string[];

  /**
   * @example
   * const registry = new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk });
   */
  constructor(options: FaustRegistryOptions) {
    this.loadLibFaust = options.loadLibFaust;
    this.readDspFolder = options.readDspFolder;
    this.allowUrlPrefixes = faustPolicyPrefixes(options.policy, "faustPolicy");
  }

  /**
   * Scans a Faust discovery root, compiling each of its files into this registry (dsp-roots.ts).
   * @example
   * const scan = await registry.scanRoot({ kind: "faust-url", url: "/dsp/", files: ["gain.dsp"] });
   */
  scanRoot(root: Extract<DiscoveryRoot, { kind: "faust-url" | "faust-folder" }>): Promise<RootScan> {
    return scanFaustRoot(root, this, this.readDspFolder);
  }

  /**
   * Compiles a DSP (once per source and options in this thread) and remembers it under its node id.
   * Throws FaustCompileError (E_SCHEMA at `paths.source`, with Faust's message and line).
   * @example
   * const gain = await registry.compile('process = *(hslider("gain", 0.5, 0, 1, 0.01));');
   * gain.descriptor.node_id; // "faust:…"
   */
  async compile(
    source: string,
    options: FaustCompileOptions = {},
    paths: { source?: string; options?: string } = {},
  ): Promise<CompiledFaust> {
    // The app's prefixes join the compile's own; they do not enter the node id (compiler.ts).
    const allowed =
      this.allowUrlPrefixes.length === 0
        ? options
        : { ...options, allowUrlPrefixes: [...this.allowUrlPrefixes, ...(options.allowUrlPrefixes ?? [])] };
    const compiled = await compileFaust(this.loadLibFaust, source, allowed, paths);
    this.compiled.set(compiled.nodeId, compiled);
    return compiled;
  }

  /**
   * Forgets a DSP (and drops it from the thread's compile cache); false when it was not here.
   * @example
   * registry.release("faust:0123456789abcdef");
   */
  release(nodeId: string): boolean {
    forgetCompiledFaust(nodeId);
    return this.compiled.delete(nodeId);
  }

  /** A DSP compiled (or loaded from a graph) by this registry. */
  get(nodeId: string): CompiledFaust | undefined {
    return this.compiled.get(nodeId);
  }

  /** Every DSP this registry holds. */
  compiledDsps(): CompiledFaust[] {
    return [...this.compiled.values()];
  }

  /** Descriptors of every DSP this registry holds, for discovery. */
  descriptors(): NodeDescriptor[] {
    return [...this.compiled.values()].map((compiled) => compiled.descriptor);
  }

  /**
   * Compiles every node of `graph` that carries its source in `extensions.faust`, and checks that
   * each "faust:" node id is known. Errors name the node's field under `rootLabel`.
   * @example
   * await registry.prepareGraph(request.node_graph, "node_graph");
   */
  async prepareGraph(graph: GraphDescriptor, rootLabel: string): Promise<void> {
    for (const [index, node] of graph.nodes.entries()) {
      if (!node.node_id.startsWith(FAUST_PREFIX)) continue;
      const path = formatPath(["nodes", index], rootLabel);
      const carried = node.extensions.faust;
      if (carried === undefined) {
        if (!this.compiled.has(node.node_id)) {
          throw new EngineError(
            "E_UNKNOWN_NODE",
            `unknown Faust DSP "${node.node_id}": compile it first (compileFaust) or give its source in extensions.faust`,
            `${path}.node_id`,
          );
        }
        continue;
      }
      const sourcePath = `${path}.extensions.faust`;
      const source = parseContract(FaustNodeSourceSchema, carried, sourcePath);
      const compiled = await this.compile(source.source, compileOptionsOf(source), {
        source: `${sourcePath}.source`,
        options: sourcePath,
      });
      if (compiled.nodeId !== node.node_id) {
        throw new EngineError(
          "E_SCHEMA",
          `"${node.node_id}" is not the DSP of extensions.faust, which compiles to "${compiled.nodeId}"`,
          `${path}.node_id`,
        );
      }
    }
  }

  /**
   * The graph compiler's hook: a "faust:" node becomes an external node, or undefined for other ids.
   * `readBuffer` resolves a soundfile slot's buffer handle (E_UNKNOWN_HANDLE at its path if unknown).
   */
  resolve(
    node: GraphNode,
    path: string,
    readBuffer: (handle: string, path: string) => SoundfilePart,
  ): FaustGraphNode | undefined {
    if (!node.node_id.startsWith(FAUST_PREFIX)) return undefined;
    const compiled = this.compiled.get(node.node_id);
    if (compiled === undefined) {
      throw new EngineError(
        "E_UNKNOWN_NODE",
        `unknown Faust DSP "${node.node_id}": compile it first (compileFaust) or give its source in extensions.faust`,
        `${path}.node_id`,
      );
    }
    const soundfiles = new Map<string, SoundfilePart[]>();
    for (const [slot, handle] of Object.entries(node.buffers)) {
      const slotPath = formatPath(["buffers", slot], path);
      const target = soundfileSlot(compiled.layout, slot);
      if (target === null) {
        const known = compiled.layout.soundfiles.flatMap(soundfileSlotNames);
        const detail =
          known.length === 0
            ? `${node.node_id} has no soundfiles`
            : `unknown soundfile slot "${slot}" of ${node.node_id} (known: ${known.join(", ")}; "<label>#<part>" for more parts)`;
        throw new EngineError("E_SCHEMA", detail, slotPath);
      }
      const parts = soundfiles.get(target.binding.label) ?? [];
      parts[target.part] = readBuffer(handle, slotPath);
      soundfiles.set(target.binding.label, parts);
    }
    return {
      type: this.typeOf(compiled),
      compiled,
      soundfiles,
      create: () => createFaustNode(compiled, soundfiles),
    };
  }

  /** The parameter table of a DSP, as the graph compiler checks values against it. */
  typeOf(compiled: CompiledFaust): ProcessorTypeInfo {
    let type = this.types.get(compiled.nodeId);
    if (type === undefined) {
      const descriptors = compiled.descriptor.parameters ?? [];
      type = {
        index: -1,
        kind: compiled.nodeId,
        name: compiled.descriptor.name,
        maxInputs: -1,
        params: compiled.layout.params.map((binding, index) => {
          const descriptor = descriptors[index];
          return {
            id: binding.id,
            name: descriptor?.name ?? binding.id,
            units: descriptor?.extensions.units ?? "",
            min: binding.min,
            max: binding.max,
            default: binding.default,
            discrete: binding.discrete,
            choices: descriptor?.extensions.choices ?? null,
            choiceAliases: null,
          };
        }),
        instrument: compiled.descriptor.extensions.is_instrument ?? false,
        midiControls: compiled.layout.midi.length > 0,
        // Soundfiles reach the DSP through create(), not through engine buffer slots.
        bufferSlots: [],
        presets: [],
      };
      this.types.set(compiled.nodeId, type);
    }
    return type;
  }
}
