// WAM loading and discovery in Chromium (e2e/wam-discovery.spec.ts): the wam-community corpus served
// under /wam-corpus/, and fixtures under /e2e/fixtures/.
import type { DiscoveryRoot } from "../../src/api/discovery-roots";
import type { WamLoadPolicy } from "../../src/api/wam-load-policy";
import { createBrowserEngine } from "../../src/browser";
import { EngineError } from "../../src/contracts/errors";
import type { NodeDescriptor } from "../../src/contracts/node-descriptor";
import {
  type PluginDiscoveryResult,
  PluginDiscoveryResultSchema,
} from "../../src/contracts/plugin-discovery";
import { parseContract } from "../../src/contracts/validate";
import { describeWam, loadWamModule } from "../../src/wam";
import { createWamHostGroup } from "../../src/wam/wam-host-group";

type Outcome<T> = { value: T } | { error: { code: string; path: string; message: string } };

async function outcome<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await run() };
  } catch (error) {
    const wire = EngineError.fromWire(error);
    return { error: { code: wire.code, path: wire.path, message: wire.message } };
  }
}

/**
 * The import map that repairs the corpus's wimmics plugins (docs/wam.md): those built on sdk-parammgr
 * import its unshipped sdk copy, PedalBoard-WAC2022 the sdk's unshipped dist/ build.
 */
function corpusImportMap(): WamLoadPolicy["importMap"] {
  const utils = new URL("/wam-corpus/plugins/wimmics/utils/", location.href).href;
  return {
    imports: {
      [`${utils}sdk-parammgr/src/sdk/`]: `${utils}sdk/`,
      [`${utils}sdk/dist/index.js`]: `${utils}sdk/src/index.js`,
    },
  };
}

/** Loads a module with the one loader and describes it (a shared OfflineAudioContext). */
let context: BaseAudioContext | undefined;
async function loadAndDescribe(url: string, policy: WamLoadPolicy = {}): Promise<Outcome<NodeDescriptor>> {
  return outcome(async () => {
    const Plugin = await loadWamModule(url, policy);
    context ??= new OfflineAudioContext(2, 128, 48000);
    const [groupId] = await createWamHostGroup(context);
    return describeWam(Plugin, context, groupId, new URL(url, location.href).href);
  });
}

/** getParameterInfo of a fresh instance, as the plugin answers it (the reference for descriptors). */
async function parameterInfoOf(url: string, policy: WamLoadPolicy = {}): Promise<Record<string, unknown>> {
  const Plugin = await loadWamModule(url, policy);
  const ctx = new OfflineAudioContext(2, 128, 48000);
  const [groupId] = await createWamHostGroup(ctx);
  const plugin = await Plugin.createInstance(groupId, ctx);
  const info = await plugin.audioNode.getParameterInfo();
  plugin.audioNode.destroy();
  return JSON.parse(JSON.stringify(info));
}

interface DiscoveryRun {
  result: PluginDiscoveryResult;
  /** Wall time of the discoverNodes call, ms. */
  wallMs: number;
  /** Every node validated alone and the whole result validated. */
  valid: boolean;
  cachedSameId: boolean;
}

/**
 * Discovers `roots` through a browser host ("worker" or "audioworklet"), timing the call. Each plugin
 * may take `scanTimeoutMs` (default 60 s here, not the host's 15 s: the specs check what a scan finds,
 * and on a loaded machine the corpus's Csound plugin alone can take longer than 15 s to compile).
 */
async function discover(
  roots: DiscoveryRoot[],
  options: {
    host?: "worker" | "audioworklet";
    importMap?: boolean;
    allowedOrigins?: string[];
    scanTimeoutMs?: number;
  } = {},
): Promise<Outcome<DiscoveryRun>> {
  return outcome(async () => {
    const wamPolicy: WamLoadPolicy = {
      ...(options.importMap ? { importMap: corpusImportMap() } : {}),
      ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    };
    const engine = await createBrowserEngine({
      host: options.host ?? "worker",
      hostOptions: { discoveryRoots: roots, wamPolicy, wamScanTimeoutMs: options.scanTimeoutMs ?? 60_000 },
    });
    try {
      const started = performance.now();
      const result = await engine.discoverNodes();
      const wallMs = performance.now() - started;
      parseContract(PluginDiscoveryResultSchema, result);
      const again = await engine.discoverNodes();
      return { result, wallMs, valid: true, cachedSameId: again.discovery_id === result.discovery_id };
    } finally {
      await engine.close();
    }
  });
}

Object.assign(window, { loadAndDescribe, parameterInfoOf, discover, corpusImportMap });
