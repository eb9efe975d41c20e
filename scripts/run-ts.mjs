// Runs a TypeScript entry point in Node 20 (which cannot strip types): bundles it with esbuild into
// build/<name>.mjs, dependencies left external, then imports it with the remaining arguments.
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs <entry.ts> [args...]");
  process.exit(2);
}
const outfile = `build/${basename(entry).replace(/\.ts$/, "")}.mjs`;
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
