// Bundles the command line (src/cli/main.ts) and its render worker (src/cli/cli-worker.ts) into
// dist/node/cli.mjs and dist/node/cli-worker.mjs, ES modules for Node 20 (which cannot run
// TypeScript), their npm dependencies left as imports. bin/webdreamer.mjs starts dist/node/cli.mjs.
// The two files must stay side by side: the CLI starts its workers from
// new URL("./cli-worker.mjs", import.meta.url), and both find engine.wasm from their own location
// (src/hosts/in-process/engine-file.ts) or $WEBDREAMER_WASM. Part of scripts/build-package.mjs;
// Vitest runs it alone, once before the tests (test/support/build-cli-once.ts).
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** How every Node bundle of the package is built (the package build uses them too). */
export const NODE_BUNDLE_OPTIONS = {
  outdir: join(ROOT, "dist/node"),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
};

/** Builds the two CLI bundles into dist/node/. */
export async function buildCli() {
  await build({
    ...NODE_BUNDLE_OPTIONS,
    entryPoints: { cli: join(ROOT, "src/cli/main.ts"), "cli-worker": join(ROOT, "src/cli/cli-worker.ts") },
    // The farm, serve and export-wam commands are imported when asked (src/cli/run-cli.ts): split
    // into chunks beside cli.mjs, a render or --help does not load Redis's client or the server.
    splitting: true,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli();
  console.log("built dist/node/cli.mjs and dist/node/cli-worker.mjs");
}
