/**
 * The in-process host's options and their validation (E_SCHEMA at options.<field>).
 */
import * as z from "zod";
import type { Clock } from "../../api/clock";
import type { DiscoveryRoot } from "../../api/discovery-roots";
import { SampleRateSchema } from "../../contracts/common";
import { MAX_BLOCK_SIZE } from "../../contracts/render";
import type { FaustRegistry } from "../../faust/registry";

export interface InProcessClientOptions {
  /** Compiled engine.wasm: loadEngineModuleFromDisk() in Node, compileEngineModule(bytes) in a page. */
  module: WebAssembly.Module;
  /** Sample rate of the client's engine and of its TransportState, in Hz. Default 48000. */
  sampleRate?: number;
  /** Frames per processing block, 1..4096. Default 128 (an AudioWorklet quantum). */
  blockSize?: number;
  /** Time source of the discovery cache and of TransportState timestamps. Default: the wall clock. */
  clock?: Clock;
  /** Discovery cache TTL, in milliseconds. Default DEFAULT_DISCOVERY_TTL_MS (5 minutes). */
  discoveryTtlMs?: number;
  /** Default "in-process-<random>". */
  sessionId?: string;
  /** Engines kept for other sample rates and block sizes, besides the client's own. Default 4. */
  maxExtraEngines?: number;
  /**
   * Faust DSPs: graphs may then hold "faust:<hash>" nodes, compiled here (src/faust/registry.ts).
   * Without it, a Faust node is an unknown node type.
   * @example
   * new InProcessEngineClient({ module, faust: new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk }) });
   */
  faust?: FaustRegistry;
  /**
   * The host this client serves, named in errors about what it cannot do: "in-process" (default) or
   * "worker" (the offline Worker host's client runs in the Worker).
   */
  hostName?: "in-process" | "worker";
  /**
   * Build live audio input nodes ("webdreamer:audio-input", src/engine/live-input-node.ts) as silence
   * and list them in discovery: set by the AudioWorklet host's engine Worker, which checks the graphs
   * its worklet plays with the real input. Default false: such a graph is refused (E_HOST_UNAVAILABLE).
   */
  liveInputAsSilence?: boolean;
  /**
   * Roots discoverNodes scans besides builtin and compiled Faust (src/api/discovery-roots.ts). This
   * host scans faust-url and faust-folder roots; WAM roots are failures (they load in a page only).
   */
  discoveryRoots?: readonly DiscoveryRoot[];
}

export const InProcessClientOptionsSchema = z.strictObject({
  module: z.instanceof(WebAssembly.Module, { error: "must be a compiled WebAssembly.Module" }),
  sampleRate: SampleRateSchema.default(48_000),
  blockSize: z.int().min(1).max(MAX_BLOCK_SIZE).default(128),
  clock: z.custom<Clock>((value) => typeof (value as Clock | undefined)?.now === "function").optional(),
  discoveryTtlMs: z.number().min(0).optional(),
  sessionId: z.string().min(1).optional(),
  maxExtraEngines: z.int().min(0).default(4),
  faust: z
    .custom<FaustRegistry>((value) => typeof (value as FaustRegistry | undefined)?.resolve === "function", {
      error: "must be a FaustRegistry",
    })
    .optional(),
  hostName: z.enum(["in-process", "worker"]).default("in-process"),
  liveInputAsSilence: z.boolean().default(false),
  // Validated by EngineClientBase, with paths under options.discoveryRoots.
  discoveryRoots: z.array(z.unknown()).optional(),
});
