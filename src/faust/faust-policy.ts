/**
 * FaustPolicy: what the app lets Faust compiles reach. A module of its own, with no compiler behind
 * it, so the main thread can check a policy before handing it to an engine Worker.
 */
import { EngineError } from "../contracts/errors";
import { URL_PREFIX } from "./url-imports";

/**
 * The app's word on what Faust compiles may reach, for every compile of an engine: compileFaust
 * calls, graph nodes carrying their source (a saved session) and Faust discovery roots. A compile's
 * own allowUrlPrefixes add to these.
 * @example
 * const engine = await createEngine({ faustPolicy: { allowUrlPrefixes: ["https://example.org/faust/"] } });
 */
export interface FaustPolicy {
  /** URL prefixes imports are fetched from and soundfile parts may name (url-imports.ts). */
  allowUrlPrefixes?: readonly string[];
}

/**
 * Checks a FaustPolicy (E_SCHEMA at `path`.allowUrlPrefixes[i]) and returns its prefixes.
 * @example
 * faustPolicyPrefixes({ allowUrlPrefixes: ["https://example.org/faust/"] }, "options.faustPolicy");
 */
export function faustPolicyPrefixes(policy: FaustPolicy | undefined, path: string): string[] {
  const prefixes = [...(policy?.allowUrlPrefixes ?? [])];
  prefixes.forEach((prefix, index) => {
    if (typeof prefix !== "string" || !URL_PREFIX.test(prefix)) {
      throw new EngineError(
        "E_SCHEMA",
        'must be an http(s) URL prefix with a host and a "/", like "https://example.org/libs/"',
        `${path}.allowUrlPrefixes[${index}]`,
      );
    }
  });
  return prefixes;
}
