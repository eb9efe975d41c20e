/**
 * Where the exporter finds webdreamer's plugin runtime (webdreamer-wam.js and
 * webdreamer-wam-processor.js), which scripts/build-wam-runtime.mjs bundles into dist/wam-runtime/:
 * from this module in the sources (src/wam-export/), in the package's Node bundles (dist/node/) or
 * in scripts bundled by scripts/run-ts.mjs (build/).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EngineError } from "../contracts/errors";

const RUNTIME_FOLDERS = ["../../dist/wam-runtime/", "../wam-runtime/", "../dist/wam-runtime/"];

/**
 * The path of a runtime file; E_HOST_UNAVAILABLE naming every place looked at when it is missing.
 * @example
 * runtimeFile("webdreamer-wam.js"); // ".../dist/wam-runtime/webdreamer-wam.js"
 */
export function runtimeFile(name: string): string {
  const candidates = RUNTIME_FOLDERS.map((folder) => fileURLToPath(new URL(folder + name, import.meta.url)));
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) {
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      `the WAM runtime ${name} was not found (looked for ${candidates.join(", ")}): reinstall the ` +
        "webdreamer package, or, in a clone of the repository, run `npm run setup`",
    );
  }
  return found;
}
