// Builds the demo page into site/, a folder any static server can host (npm run build:site; the
// engine and worklet bundle come first from scripts/setup.sh). Vite bundles index.html and copies
// public/ (demo.css, build/engine.wasm, build/engine-processor.js); the engine's build stamp is
// bookkeeping for wasm/build.sh and is dropped. Prints each file's size.
//
// Usage: node scripts/build-site.mjs

import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "vite";

const OUT_DIR = "site";
/** What the page fetches at run time besides Vite's bundle; setup.sh builds them. */
const ENGINE_FILES = ["public/build/engine.wasm", "public/build/engine-processor.js"];
/** Copied from public/ but not part of the site. */
const BOOKKEEPING = ["build/engine.wasm.stamp"];

const missing = ENGINE_FILES.filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`missing ${missing.join(", ")}: run \`npm run setup\` first (npm run build:site does)`);
  process.exit(1);
}

await build({ logLevel: "warn" });
for (const file of BOOKKEEPING) rmSync(join(OUT_DIR, file), { force: true });

/** Every file under `folder`, with its size, largest first. */
function filesWithSizes(folder) {
  return readdirSync(folder, { recursive: true })
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path: relative(folder, path), bytes: statSync(path).size }))
    .sort((a, b) => b.bytes - a.bytes);
}

const files = filesWithSizes(OUT_DIR);
const total = files.reduce((sum, file) => sum + file.bytes, 0);
const kib = (bytes) => `${(bytes / 1024).toFixed(1).padStart(8)} KiB`;
for (const file of files) console.log(`${kib(file.bytes)}  ${file.path}`);
console.log(`${kib(total)}  ${OUT_DIR}/ (${files.length} files)`);
