/**
 * THE one WAM module loader: discovery, graph hosting and the demo all load plugins through
 * loadWamModule, so the app's WamLoadPolicy (allowed origins, import map) holds everywhere.
 *
 * A WAM 2.0 plugin is an ES module whose default export is a class with static
 * `isWebAudioModuleConstructor === true` and static `createInstance(groupId, context, state?)`
 * (docs/wam.md, "WAM 2.0 in brief"). Loading one:
 * 1. resolve the URL against the page and check its origin (E_ORIGIN_NOT_ALLOWED; nothing is fetched);
 * 2. add the policy's import map to the page (before the import, or the browser ignores its rules);
 * 3. `import()` it. On failure, one probe `fetch` tells the reasons apart, because Chromium rejects a
 *    missing module, an unreachable server and a missing *dependency* with the same TypeError
 *    ("Failed to fetch dynamically imported module"), while a module that throws rejects with its
 *    own error;
 * 4. check the default export is a WAM constructor.
 * Every failure is one EngineError (E_PLUGIN_LOAD) whose message names the URL and the reason.
 */
import type { WebAudioModule } from "@webaudiomodules/api";
import type { WamLoadPolicy } from "../api/wam-load-policy";
import { EngineError } from "../contracts/errors";
import { applyImportMap } from "./import-map";
import { checkOrigin } from "./origin-policy";

/** The class a WAM module exports by default (the api's `WebAudioModule` constructor type). */
export type WamConstructor = typeof WebAudioModule;

export type { WamLoadPolicy };

/** Where relative URLs resolve and which origin is "self": the page (or the Worker's script). */
function pageLocation(): { href: string; origin: string } {
  const location = globalThis.location as Location | undefined;
  if (location === undefined) {
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      "WAM plugins load in a browser page: this thread has no location (Node.js?)",
    );
  }
  return { href: location.href, origin: location.origin };
}

/**
 * The absolute URL of `url` against the page, or E_PLUGIN_LOAD at `path` for text that is no URL.
 * @example
 * resolveModuleUrl("./plugins/gain/index.js", "url").href; // "http://127.0.0.1:5173/plugins/gain/index.js"
 */
export function resolveModuleUrl(url: string | URL, path = "url"): URL {
  try {
    return new URL(url, pageLocation().href);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError("E_PLUGIN_LOAD", `"${String(url)}" is not a URL`, path);
  }
}

/**
 * The error's own words, for a message: "TypeError: ..." for Errors, the text of anything else.
 */
function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** Chromium's (and Firefox's, Safari's) words for "the module graph could not be fetched". */
function isFetchFailure(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /dynamically imported module|error loading dynamically imported module|Importing a module script failed/i.test(
      error.message,
    )
  );
}

/** Why `import(url)` failed to fetch: the module's own HTTP status, the network, or a dependency. */
async function fetchFailureReason(url: URL, error: unknown): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { method: "GET", cache: "no-store" });
  } catch (probe) {
    return `network error: ${describeThrown(probe)}`;
  }
  await response.body?.cancel();
  if (!response.ok) return `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  // A server that answers every path (a single-page app's fallback) sends a page, not the module.
  const type = response.headers.get("content-type") ?? "";
  if (!/javascript|ecmascript/i.test(type)) {
    return `it is served as ${type || "no content type"}, not JavaScript (a missing file answered by a fallback page?)`;
  }
  return (
    "the module was fetched but it, or one of the modules it imports, failed to load " +
    `(a missing import? an import map may redirect it: docs/wam.md): ${describeThrown(error)}`
  );
}

/**
 * Imports a WAM module under `policy` and returns its WebAudioModule class. Throws
 * E_ORIGIN_NOT_ALLOWED or E_PLUGIN_LOAD at `path` (the caller's field: a discovery root, a graph
 * node), naming the URL and the reason; E_HOST_UNAVAILABLE off a page (Node.js).
 * @example
 * const Plugin = await loadWamModule("/plugins/pingpongdelay/index.js", { allowedOrigins: ["self"] });
 * const [groupId] = await createWamHostGroup(context);
 * const plugin = await Plugin.createInstance(groupId, context);
 */
export async function loadWamModule(
  url: string | URL,
  policy: WamLoadPolicy = {},
  path = "url",
): Promise<WamConstructor> {
  const resolved = resolveModuleUrl(url, path);
  checkOrigin(resolved, policy, pageLocation().origin, path);
  if (policy.importMap !== undefined) applyImportMap(policy.importMap);
  let module: { default?: unknown };
  try {
    module = await import(/* @vite-ignore */ resolved.href);
  } catch (error) {
    const reason = isFetchFailure(error)
      ? await fetchFailureReason(resolved, error)
      : `the module threw on import: ${describeThrown(error)}`;
    throw new EngineError("E_PLUGIN_LOAD", `${resolved.href}: ${reason}`, path);
  }
  const exported = module.default as Partial<WamConstructor> | undefined;
  if (
    (typeof exported !== "function" && typeof exported !== "object") ||
    exported === null ||
    exported.isWebAudioModuleConstructor !== true ||
    typeof exported.createInstance !== "function"
  ) {
    const what = exported === undefined ? "has no default export" : `exports ${typeof exported} by default`;
    throw new EngineError(
      "E_PLUGIN_LOAD",
      `${resolved.href}: not a Web Audio Module: the module ${what}, not a class with static isWebAudioModuleConstructor = true and createInstance()`,
      path,
    );
  }
  return exported as WamConstructor;
}
