/**
 * Adds the app's import map to the page before a WAM module loads, so a plugin's imports can be
 * redirected (a broken package, a moved CDN) without touching its files.
 *
 * The page may hold several import maps (Chromium merges them: "multiple import maps", Chrome 133+),
 * and one added after modules have loaded still applies to specifiers not resolved yet. A rule for a
 * specifier (or URL prefix) the page has already resolved is ignored by the browser, so the map must
 * be in place before the first plugin that needs it loads: loadWamModule applies it first thing.
 */
import type { WamImportMap } from "../api/wam-load-policy";
import { EngineError } from "../contracts/errors";

/** Maps already added to this page, by their JSON text (adding one twice would only add noise). */
const applied = new Set<string>();

/**
 * Adds `map` to the document once. Throws E_HOST_UNAVAILABLE where there is no document (a Worker:
 * import maps are a document feature) or the browser has no import maps.
 * @example
 * applyImportMap({ imports: { "https://cdn.example/a/": "https://cdn.example/b/" } });
 */
export function applyImportMap(map: WamImportMap): void {
  const text = JSON.stringify(map);
  if (applied.has(text)) return;
  if (typeof document === "undefined") {
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      "an import map needs a document (load WAM plugins on the page's main thread)",
      "policy.importMap",
    );
  }
  if (typeof HTMLScriptElement.supports === "function" && !HTMLScriptElement.supports("importmap")) {
    throw new EngineError("E_HOST_UNAVAILABLE", "this browser has no import maps", "policy.importMap");
  }
  const script = document.createElement("script");
  script.type = "importmap";
  script.textContent = text;
  script.dataset.webdreamer = "wam-import-map";
  document.head.append(script);
  applied.add(text);
}
