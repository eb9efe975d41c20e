// Bundles worklet/engine-processor.ts (and the engine loader it imports) into one standalone ES
// module, public/build/engine-processor.js. The worklet scope has no URL, fetch or module loader
// of Vite's, so it must be served pre-bundled, never through Vite's dev transforms.
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
