/**
 * The player's `base-url` attribute as the engine wants it: the absolute URL of the folder its files
 * (engine.wasm, the worklet, the engine Worker, libfaust) are fetched from, for pages that serve
 * them from a CDN or another path than the player's own module.
 */

/**
 * Resolves `baseUrl` against the page, as the browser resolves any URL attribute (`src`, `href`), and
 * makes it name a folder: "…/dist" gets its trailing slash, or the engine's files would be looked up
 * beside "dist" instead of inside it. Undefined when unset or blank: the engine's default applies.
 * Throws a TypeError naming the attribute when it is not a URL.
 * @example
 * engineBaseUrl("/assets/webdreamer", "https://example.com/app/page.html")?.href;
 * // "https://example.com/assets/webdreamer/"
 */
export function engineBaseUrl(baseUrl: string | null | undefined, documentBase: string): URL | undefined {
  const text = baseUrl?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text, documentBase);
  } catch {
    throw new TypeError(`base-url: "${text}" is not a URL`);
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}
