// Bundles the runtime of exported WAM plugins (src/wam-export/runtime/) into dist/wam-runtime/:
//   webdreamer-wam.js            the main-thread half (WebAudioModule, with the WAM SDK inside)
//   webdreamer-wam-processor.js  the audio-thread half (WamProcessor around the engine); the
//                                AudioWorklet scope has no module loader of a bundler's, so it is
//                                self-contained.
// The exporter (src/wam-export/export-wam.ts) copies both into every plugin folder.
import { build } from "esbuild";

const options = {
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
};

await Promise.all([
  build({
    ...options,
    entryPoints: ["src/wam-export/runtime/webdreamer-wam.ts"],
    outfile: "dist/wam-runtime/webdreamer-wam.js",
  }),
  build({
    ...options,
    entryPoints: ["src/wam-export/runtime/webdreamer-wam-processor.ts"],
    outfile: "dist/wam-runtime/webdreamer-wam-processor.js",
  }),
]);
console.log("built dist/wam-runtime/webdreamer-wam.js, dist/wam-runtime/webdreamer-wam-processor.js");
