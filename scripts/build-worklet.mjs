// Bundles worklet/engine-processor.ts (and the engine loader it imports) into one standalone ES
// module, public/build/engine-processor.js. The worklet scope has no URL, fetch or module loader
// of Vite's, so it must be served pre-bundled, never through Vite's dev transforms.
import { copyFileSync } from "node:fs";
import { build } from "esbuild";

await build({
  entryPoints: ["worklet/engine-processor.ts"],
  outfile: "public/build/engine-processor.js",
  bundle: true,
  format: "esm",
  target: "es2022",
  sourcemap: "linked",
  logLevel: "warning",
});
console.log("built public/build/engine-processor.js");

// The fixture WAM (src/wam/fixture/): webdreamer's own test plugin, served as a plugin server would
// serve one, a standalone module with its descriptor.json beside it (docs/wam.md).
await build({
  entryPoints: ["src/wam/fixture/index.ts"],
  outfile: "public/build/wam/fixture/index.js",
  bundle: true,
  format: "esm",
  target: "es2022",
  logLevel: "warning",
});
copyFileSync("src/wam/fixture/descriptor.json", "public/build/wam/fixture/descriptor.json");
console.log("built public/build/wam/fixture/index.js");
