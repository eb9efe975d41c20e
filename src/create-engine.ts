/**
 * createEngine: webdreamer in Node.js, in one call. The composition root of the Node entry: it
 * registers the in-process host with a bootstrapper, reads engine.wasm from disk and gives the
 * client a Faust registry that loads libfaust on the first compile.
 */
import * as z from "zod";
import type { Clock } from "./api/clock";
import type { DiscoveryRoot } from "./api/discovery-roots";
import type { EngineClient, FaustCompiling, HostKind } from "./api/engine-client";
import { EngineBootstrapper } from "./client/bootstrapper";
import { SampleRateSchema } from "./contracts/common";
import { EngineError } from "./contracts/errors";
import { parseContract } from "./contracts/validate";
import { readDspFolderFromDisk } from "./faust/dsp-folder-nodejs";
import { type FaustPolicy, faustPolicyPrefixes } from "./faust/faust-policy";
import { loadLibFaustFromDisk } from "./faust/libfaust-nodejs";
import { FaustRegistry } from "./faust/registry";
import { loadEngineModuleFromDisk } from "./hosts/in-process/engine-file";
import { inProcessHostFactory } from "./hosts/in-process/in-process-client";

/** Options of createEngine. */
export interface EngineOptions {
  /** The host to run in. Node has one, "in-process", which is also the default. */
  host?: HostKind;
  /** Engine sample rate in Hz, 3000..768000. Default 48000. Requests at other rates get their own engine. */
  sampleRate?: number;
  /** Frames per processing block, 1..4096. Default 128. Automation lands on its frame at any size. */
  blockSize?: number;
  /** engine.wasm to load. Default: $WEBDREAMER_WASM, else the package's own (dist/browser/engine.wasm). */
  wasmPath?: string;
  /** Discovery cache TTL, in milliseconds. Default 5 minutes. */
  discoveryTtlMs?: number;
  /** Time source for the discovery cache and TransportState timestamps. Default: the wall clock. */
  clock?: Clock;
  /**
   * Roots discoverNodes scans besides builtin and compiled Faust: faust-folder (a folder of .dsp
   * files) and faust-url roots; WAM roots are listed as failures in Node.js (docs/wam.md).
   */
  discoveryRoots?: readonly DiscoveryRoot[];
  /**
   * What Faust compiles may reach, for every compile of this engine (FaustPolicy): none by default.
   * @example
   * const engine = await createEngine({ faustPolicy: { allowUrlPrefixes: ["https://example.org/faust/"] } });
   */
  faustPolicy?: FaustPolicy;
}

const EngineOptionsSchema = z.strictObject({
  host: z.enum(["audioworklet", "worker", "in-process", "test-double"]).optional(),
  sampleRate: SampleRateSchema.optional(),
  blockSize: z.int().min(1).max(4096).optional(),
  wasmPath: z.string().min(1).optional(),
  discoveryTtlMs: z.number().min(0).optional(),
  clock: z.custom<Clock>((value) => typeof (value as Clock | undefined)?.now === "function").optional(),
  // Validated by the client, with paths under options.discoveryRoots.
  discoveryRoots: z.array(z.unknown()).optional(),
  // Validated by the FaustRegistry, with paths under options.faustPolicy.
  faustPolicy: z.object({ allowUrlPrefixes: z.array(z.unknown()).optional() }).optional(),
});

/**
 * Creates an engine and returns its EngineClient. Rejects with E_SCHEMA at options.<field> for a bad
 * option, and E_HOST_UNAVAILABLE for a host Node cannot run (audioworklet, worker).
 * @example
 * const engine = await createEngine({ host: "in-process", sampleRate: 48000 });
 * const result = await engine.render({
 *   version: "v1alpha",
 *   request_id: "sine",
 *   node_graph: { version: "v1alpha", nodes: [{ name: "osc", node_id: "builtin:oscillator" }], output: "osc" },
 *   duration_seconds: 1,
 *   sample_rate: 48000,
 *   channels: 2,
 * });
 * const [left, right] = await engine.readBuffer(result.buffer_handle ?? "");
 */
export async function createEngine(options: EngineOptions = {}): Promise<EngineClient & FaustCompiling> {
  const parsed = parseContract(EngineOptionsSchema, options, "options");
  faustPolicyPrefixes(parsed.faustPolicy as FaustPolicy | undefined, "options.faustPolicy");
  const bootstrapper = new EngineBootstrapper().registerHost("in-process", inProcessHostFactory);
  // Select first, so asking for a host Node lacks fails before the engine file is read.
  const selection = bootstrapper.select({ host: parsed.host, mode: "offline" });
  const module = await loadEngineModuleFromDisk(parsed.wasmPath).catch((error: unknown) => {
    const reason =
      error instanceof EngineError ? error.detail : error instanceof Error ? error.message : String(error);
    throw new EngineError("E_HOST_UNAVAILABLE", `in-process: cannot load engine.wasm: ${reason}`);
  });
  const client = await bootstrapper.createEngine({
    host: selection.host,
    hostOptions: {
      module,
      sampleRate: parsed.sampleRate,
      blockSize: parsed.blockSize,
      discoveryTtlMs: parsed.discoveryTtlMs,
      clock: parsed.clock,
      discoveryRoots: parsed.discoveryRoots as DiscoveryRoot[] | undefined,
      // Faust nodes compile on demand; libfaust loads on the first compile only.
      faust: new FaustRegistry({
        loadLibFaust: loadLibFaustFromDisk,
        readDspFolder: readDspFolderFromDisk,
        policy: parsed.faustPolicy as FaustPolicy | undefined,
      }),
    },
  });
  // The in-process host (the only one Node runs) compiles Faust.
  return client as EngineClient & FaustCompiling;
}
