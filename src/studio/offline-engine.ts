/**
 * The studio's Worker engine: renders faster than real time off the main thread (the mixdown export)
 * and answers discovery (the instrument picker's list) before the live engine has started, which it
 * may only do after a click. Made on first use, at the sample rate asked for; a new rate makes a new
 * engine.
 */
import type { EngineClient, FaustCompiling } from "../api/engine-client";
import type { AudioData } from "../audio-io/wav-codec";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import { createBrowserEngine } from "../create-browser-engine";
import { exportProject, type ProjectExport } from "../project/export-project";
import type { Project } from "../project/project-schema";

/** The synth comes first: the one instrument that sounds without a sample loaded. */
const rank = (node: NodeDescriptor) => (node.node_id === "builtin:synth" ? 0 : 1);

/**
 * The builtin instruments `engine` discovers, builtin:synth first (the picker's default), then by
 * name. Faust and WAM instruments are for a later step: the live engine would have to compile or
 * load them too before a project could play them.
 * @example
 * const found = await instrumentsOf(engine);
 */
export async function instrumentsOf(engine: EngineClient): Promise<NodeDescriptor[]> {
  return instrumentsIn((await engine.discoverNodes()).nodes);
}

/**
 * The builtin instruments among `nodes` (a discovery's), as instrumentsOf lists them.
 * @example
 * const instruments = instrumentsIn((await engine.discoverNodes()).nodes);
 */
export function instrumentsIn(nodes: readonly NodeDescriptor[]): NodeDescriptor[] {
  return nodes
    .filter((node) => node.extensions.is_instrument === true && node.format === "builtin")
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

export interface MixdownOptions {
  sampleRate: number;
  /** Also render each track's and bus's output (exportProject's `stems`). */
  stems?: boolean;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export class OfflineEngine {
  private engine: Promise<EngineClient> | null = null;
  private rate = 0;

  constructor(private readonly baseUrl: () => URL | undefined) {}

  /**
   * The builtin instruments discovery finds in the Worker engine (instrumentsOf).
   * @example
   * const instruments = await offline.instruments();
   */
  async instruments(sampleRate = 48000): Promise<NodeDescriptor[]> {
    return instrumentsOf(await this.get(this.rate || sampleRate));
  }

  /**
   * Every node type discovery finds in the Worker engine, with its parameters (the automation
   * lanes' picker names and ranges device parameters from them).
   * @example
   * const nodes = await offline.nodes();
   */
  async nodes(sampleRate = 48000): Promise<NodeDescriptor[]> {
    return (await (await this.get(this.rate || sampleRate)).discoverNodes()).nodes;
  }

  /**
   * The Worker engine itself, for discovery and Faust compiles before (or beside) the live engine.
   * @example
   * const descriptor = await (await offline.client()).compileFaust("process = _;");
   */
  async client(sampleRate = 48000): Promise<EngineClient & FaustCompiling> {
    // The Worker host's client (RemoteEngineClient) compiles Faust.
    return (await this.get(this.rate || sampleRate)) as EngineClient & FaustCompiling;
  }

  /**
   * The project's mixdown as a float32 WAV, rendered in the Worker (exportProject: what plays live),
   * and its stems with `stems`.
   * @example
   * const { mixdown } = await offline.mixdown(project, audio, { sampleRate: 48000 });
   */
  async mixdown(
    project: Project,
    audio: ReadonlyMap<string, AudioData>,
    options: MixdownOptions,
  ): Promise<ProjectExport> {
    const engine = await this.get(options.sampleRate);
    return exportProject(
      engine,
      { project, audio },
      {
        sampleRate: options.sampleRate,
        stems: options.stems,
        signal: options.signal,
        onProgress: (fraction) => options.onProgress?.(fraction),
      },
    );
  }

  /** Closes the Worker engine. */
  async close(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    await (await engine?.catch(() => null))?.close();
  }

  private get(sampleRate: number): Promise<EngineClient> {
    if (this.engine && this.rate === sampleRate) return this.engine;
    void this.close();
    this.rate = sampleRate;
    const baseUrl = this.baseUrl();
    const made = createBrowserEngine({
      host: "worker",
      hostOptions: baseUrl ? { sampleRate, baseUrl } : { sampleRate },
    });
    // A failed start is not kept: the next call tries again.
    made.catch(() => {
      if (this.engine === made) this.engine = null;
    });
    this.engine = made;
    return made;
  }
}
