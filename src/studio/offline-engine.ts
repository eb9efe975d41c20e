/**
 * The studio's Worker engine: renders faster than real time off the main thread (the mixdown export)
 * and answers discovery (the pickers' lists) before the live engine has started, which it
 * may only do after a click. Made on first use, at the sample rate asked for; a new rate makes a new
 * engine.
 */
import type { EngineClient, FaustCompiling } from "../api/engine-client";
import type { AudioData } from "../audio-io/wav-codec";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import { createBrowserEngine } from "../create-browser-engine";
import { exportProject, type ProjectExport } from "../project/export-project";
import type { Project } from "../project/project-schema";

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
