/**
 * The origin check of WamLoadPolicy, pure so it is tested in Node: a module URL is allowed when its
 * origin is one of the allowed origins ("self" = the page's origin; "*" = any, written out by the app).
 * Origins compare exactly (scheme, host and port), so http://localhost:5173 and http://127.0.0.1:5173
 * are different origins, as the browser treats them.
 */
import type { WamLoadPolicy } from "../api/wam-load-policy";
import { EngineError } from "../contracts/errors";

/** The allow-list when the app gives none: the page's own origin only. */
export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = ["self"];

/**
 * Throws E_ORIGIN_NOT_ALLOWED (at `path`) naming the URL, its origin and the allowed origins, unless
 * `url`'s origin is allowed. Opaque origins (data:, blob: of another page) pass only with "*".
 * @example
 * checkOrigin(new URL("https://evil.example/x.js"), {}, "https://app.example", "url"); // throws
 */
export function checkOrigin(url: URL, policy: WamLoadPolicy, pageOrigin: string, path: string): void {
  const allowed = policy.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS;
  if (allowed.includes("*")) return;
  const origins = allowed.map((origin) => (origin === "self" ? pageOrigin : origin));
  if (url.origin !== "null" && origins.includes(url.origin)) return;
  const list = allowed.map((origin) => (origin === "self" ? `self (${pageOrigin})` : origin)).join(", ");
  throw new EngineError(
    "E_ORIGIN_NOT_ALLOWED",
    `${url.href}: origin ${url.origin} is not allowed (allowed: ${list}); add it to allowedOrigins to load this plugin`,
    path,
  );
}
