// Bundles the command line (src/cli/main.ts) and its render worker (src/cli/cli-worker.ts) into
// build/cli.mjs and build/cli-worker.mjs, standalone ES modules for Node 20, which cannot run
// TypeScript. bin/webdreamer.mjs starts build/cli.mjs. The two files must stay side by side: the CLI
// starts its workers from new URL("./cli-worker.mjs", import.meta.url), and both find engine.wasm
// from their own location (src/engine/node-engine-module.ts) or $WEBDREAMER_WASM.
import { build } from "esbuild";

await build({
  entryPoints: { cli: "src/cli/main.ts", "cli-worker": "src/cli/cli-worker.ts" },
  outdir: "build",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
});
console.log("built build/cli.mjs and build/cli-worker.mjs");
