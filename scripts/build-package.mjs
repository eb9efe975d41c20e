// The package build: what `npm pack` ships and what a user's `import "webdreamer"` runs, in dist/.
// setup.sh runs it (without types) so the repository's CLI and tests use the same bundles; prepack
// runs it with --types before every `npm pack` / `npm publish`.
//
//   dist/browser/  the browser entries, fully bundled (a plain page loads player.js with one
//                  <script type="module">), with every file the engine fetches beside them:
//                  browser.js, player.js, studio.js, chunk-*.js   entries and their shared chunks
//                  engine-worker.js, realtime-worker.js  the engine Workers (self-contained)
//                  engine-processor.js                 the AudioWorklet module (self-contained)
//                  engine.wasm, libfaust-wasm.{js,wasm,data}
//   dist/node/     the Node entries (index.mjs, testing.mjs, sharing chunks) and the CLI (cli.mjs,
//                  cli-worker.mjs: scripts/build-cli.mjs), their npm dependencies left as imports;
//                  engine.wasm is found in ../browser/.
//   dist/types/    .d.ts for the five exports (--types only: tsc takes ~15 s).
//
// The browser bundles find their files with `new URL("./file", import.meta.url)`
// (src/hosts/assets/default-assets.package.ts, swapped in here for the repository's Vite-served
// default-assets.ts), so bundlers copy them and sub-path deploys work without configuration.
//
// Usage: node scripts/build-package.mjs [--types]
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { buildCli, NODE_BUNDLE_OPTIONS } from "./build-cli.mjs";
import { emitDeclarations } from "./emit-declarations.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
const BROWSER = join(DIST, "browser");
const NODE = join(DIST, "node");

/** Resolves src/hosts/assets/default-assets to its published twin. */
const publishedAssets = {
  name: "published-assets",
  setup(esbuild) {
    esbuild.onResolve({ filter: /\/default-assets$/ }, (args) => ({
      path: join(args.resolveDir, "default-assets.package.ts"),
    }));
  },
};

/**
 * faustwasm imports "fs" and "url" on its Node.js paths only; in the browser bundles they become an
 * empty module, so no consumer's bundler meets a Node built-in.
 */
const noNodeBuiltins = {
  name: "no-node-builtins",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^(node:)?(fs|url|path|module)$/ }, (args) => ({
      path: args.path,
      namespace: "node-builtin-stub",
    }));
    esbuild.onLoad({ filter: /.*/, namespace: "node-builtin-stub" }, () => ({
      contents: "export default {};",
      loader: "js",
    }));
  },
};

const browserOptions = {
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  plugins: [publishedAssets, noNodeBuiltins],
};

rmSync(BROWSER, { recursive: true, force: true });
rmSync(NODE, { recursive: true, force: true });
mkdirSync(BROWSER, { recursive: true });

await Promise.all([
  // Chunks stay in the entries' folder: their `new URL("./engine.wasm", import.meta.url)` is
  // relative to the chunk.
  build({
    ...browserOptions,
    entryPoints: { browser: "src/browser.ts", player: "src/player.ts", studio: "src/studio.ts" },
    outdir: BROWSER,
    splitting: true,
  }),
  // Workers and the worklet are leaves: one file each, so a bundler may copy them as they are.
  build({
    ...browserOptions,
    entryPoints: {
      "engine-worker": "src/hosts/worker/engine-worker.ts",
      "realtime-worker": "src/hosts/audioworklet/engine-worker.ts",
      "engine-processor": "worklet/engine-processor.ts",
    },
    outdir: BROWSER,
  }),
  build({
    ...NODE_BUNDLE_OPTIONS,
    entryPoints: { index: "src/index.ts", testing: "src/testing/index.ts" },
    splitting: true,
  }),
  buildCli(),
]);

copyFileSync(join(ROOT, "public/build/engine.wasm"), join(BROWSER, "engine.wasm"));
const faustwasm = dirname(createRequire(import.meta.url).resolve("@grame/faustwasm/package.json"));
for (const file of ["libfaust-wasm.js", "libfaust-wasm.wasm", "libfaust-wasm.data"]) {
  copyFileSync(join(faustwasm, "libfaust-wasm", file), join(BROWSER, file));
}

if (process.argv.includes("--types")) emitDeclarations(ROOT, join(DIST, "types"));
console.log(`built dist/browser and dist/node${process.argv.includes("--types") ? " and dist/types" : ""}`);
