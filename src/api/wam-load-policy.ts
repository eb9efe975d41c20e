/**
 * Where WAM plugins may load from, and the import map applied before loading them: the app's safety
 * setting for every WAM module this engine imports (discovery roots, graph nodes). Declared in the API
 * because it is a client option; src/wam/load-wam.ts enforces it.
 */
import * as z from "zod";

/** An import map as the HTML spec defines it (both parts optional). */
export interface WamImportMap {
  /** Specifier or URL prefix -> URL, e.g. { "https://cdn.example/old/": "https://cdn.example/new/" }. */
  imports?: Record<string, string>;
  /** Scope URL prefix -> its own `imports`. */
  scopes?: Record<string, Record<string, string>>;
}

export interface WamLoadPolicy {
  /**
   * Origins WAM modules may load from, e.g. ["https://plugins.example.com"]. "self" is the page's own
   * origin; "*" allows any origin and must be written out (it is never a default). Default: ["self"].
   * The list replaces the default: add "self" to keep the page's own origin.
   */
  allowedOrigins?: readonly string[];
  /**
   * Added to the page (a `<script type="importmap">`) before the first module loads, so a plugin's
   * imports can be redirected without touching its files (docs/wam.md, "Import maps").
   */
  importMap?: WamImportMap;
}

const UrlMapSchema = z.record(z.string().min(1), z.string().min(1));

/** "self", "*" or a serialized origin such as "https://example.com:8443" (scheme, host, port only). */
const OriginSchema = z.string().refine(
  (origin) => {
    if (origin === "self" || origin === "*") return true;
    try {
      return new URL(origin).origin === origin;
    } catch {
      return false;
    }
  },
  { error: 'must be "self", "*" or an origin such as "https://example.com" (no path, no trailing slash)' },
);

export const WamLoadPolicySchema = z.strictObject({
  allowedOrigins: z.array(OriginSchema).optional(),
  importMap: z
    .strictObject({
      imports: UrlMapSchema.optional(),
      scopes: z.record(z.string().min(1), UrlMapSchema).optional(),
    })
    .optional(),
});
