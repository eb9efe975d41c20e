// Builds every page the browser tests open into build/e2e-pages/, which `vite preview` serves to
// Playwright (playwright.config.ts). On the dev server a page load transforms hundreds of unbundled
// modules on the fly (lit, comlink, faustwasm, src/**): 8 to 22 s per page on a busy 2-core machine,
// against 1 to 6 s for a bundle. Each spec opens pages again and again, so building once is cheaper.
//
// The build keeps what the specs rely on from the dev server:
// - mode and NODE_ENV "development": import.meta.env.DEV is true (the demo asks for the
//   wam-community corpus) and lit runs its development build, as on the dev server; no minifying;
// - base "/": the pages' absolute URLs (/build/engine.wasm, /e2e/fixtures/...) resolve as in dev;
// - the source modules a spec imports into a page (`import("/src/project/compile-project.ts")`,
//   found in e2e/*.ts: the specs and their fixtures) are entries of the same build, so they share the page's module instances;
//   vite.config.ts (builtSources) answers their .ts URL with the built .js;
// - e2e/fixtures/ is copied as is (the WAM fixtures a page imports by URL; a missing one gets the
//   SPA fallback page, which a test expects);
// - public/ is copied by Vite (engine.wasm, the worklet bundle, the fixture WAM, the Faust files).
// The corpus and the exported WAMs are served from their folders (vite.config.ts, serveFolder).
//
// It skips itself when a hash of its inputs matches the last build's (a second run takes well under
// a second). `npm run test:e2e` runs it before the tests; Playwright's first webServer runs it too,
// so `npx playwright test e2e/x.spec.ts` never serves stale pages.
//
// Usage: node scripts/build-e2e-pages.mjs [--force]

import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative, resolve } from "node:path";
import { build } from "vite";

export const E2E_PAGES_DIR = "build/e2e-pages";
const STAMP = ".inputs-hash";
/** What the built pages are made of: a change to any file under these rebuilds them. */
const INPUTS = [
  "src",
  "e2e/pages",
  "e2e/support",
  "e2e/fixtures",
  "public",
  "index.html",
  "vite.config.ts",
  "tsconfig.json",
  "package-lock.json",
  "scripts/build-e2e-pages.mjs",
];

/** Every file under `path` (or `path` itself), sorted. */
function filesUnder(path) {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { recursive: true })
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile() && !file.endsWith(".stamp"))
    .sort();
}

/**
 * The source modules the specs import into a page by their dev-server URL ("/src/x/y.ts"), in a spec
 * or in a fixture the specs share (e2e/studio-fixture.ts).
 */
function sourceEntries() {
  const urls = new Set();
  for (const name of readdirSync("e2e").filter((file) => file.endsWith(".ts"))) {
    for (const match of readFileSync(join("e2e", name), "utf8").matchAll(
      /["'`](\/src\/[\w./-]+\.ts)["'`]/g,
    )) {
      urls.add(match[1]);
    }
  }
  return [...urls].sort();
}

function inputsHash(pages, sources) {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ pages, sources }));
  for (const file of INPUTS.flatMap(filesUnder)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

const pages = [
  "index.html",
  ...readdirSync("e2e/pages")
    .filter((file) => file.endsWith(".html"))
    .map((file) => `e2e/pages/${file}`),
];
const sources = sourceEntries();
const hash = inputsHash(pages, sources);
const stampFile = join(E2E_PAGES_DIR, STAMP);
if (!process.argv.includes("--force") && existsSync(stampFile) && readFileSync(stampFile, "utf8") === hash) {
  console.log(`e2e pages: ${E2E_PAGES_DIR}/ is up to date`);
  process.exit(0);
}

const started = performance.now();
// import.meta.env.DEV follows NODE_ENV, not the mode: both say development, as on the dev server.
process.env.NODE_ENV = "development";
// Built beside the served folder, then swapped in: a server reading the old pages never sees half a build.
const staging = `${E2E_PAGES_DIR}.tmp`;
rmSync(staging, { recursive: true, force: true });
const input = Object.fromEntries([
  ...pages.map((page) => [page.replace(/\.html$/, ""), resolve(page)]),
  // "src/project/compile-project" -> src/project/compile-project.js
  ...sources.map((url) => [url.slice(1).replace(/\.ts$/, ""), resolve(url.slice(1))]),
]);
const sourceNames = new Set(sources.map((url) => url.slice(1).replace(/\.ts$/, "")));

/**
 * A page's own AudioWorklet module in TypeScript, `audioWorklet.addModule(new URL("./x.ts",
 * import.meta.url))`: the dev server compiles the file when the worklet fetches it, but a build
 * would copy it as a raw asset. Rewritten to Vite's `?worker&url` import, which bundles it (with its
 * imports) into one module and gives its URL.
 */
function bundledWorklets() {
  const pattern = /audioWorklet\.addModule\(new URL\((["'])(\.\/[\w./-]+\.ts)\1, import\.meta\.url\)\)/g;
  return {
    name: "e2e-bundled-worklets",
    transform(code, id) {
      if (!id.includes("/e2e/pages/") || !pattern.test(code)) return null;
      const imports = [];
      const rewritten = code.replace(pattern, (_match, _quote, path) => {
        const name = `__e2eWorklet${imports.length}`;
        imports.push(`import ${name} from ${JSON.stringify(`${path}?worker&url`)};`);
        return `audioWorklet.addModule(new URL(${name}, location.href))`;
      });
      return { code: `${imports.join("\n")}\n${rewritten}`, map: null };
    },
  };
}

await build({
  mode: "development",
  base: "/",
  // Errors only: its warnings (Node built-ins externalized for faustwasm, a CommonJS default import)
  // are the demo site's too, harmless, and would fill every test run's log.
  logLevel: "error",
  plugins: [bundledWorklets()],
  // As on the dev server, a Worker (or a worklet bundled as one) is an ES module.
  worker: { format: "es", plugins: () => [bundledWorklets()] },
  build: {
    outDir: staging,
    emptyOutDir: true,
    minify: false,
    reportCompressedSize: false,
    rollupOptions: {
      input,
      // An HTML build drops its entries' exports; the source entries exist only for theirs.
      preserveEntrySignatures: "exports-only",
      output: {
        entryFileNames: (chunk) => (sourceNames.has(chunk.name) ? "[name].js" : "assets/[name]-[hash].js"),
      },
    },
  },
});
cpSync("e2e/fixtures", join(staging, "e2e/fixtures"), { recursive: true });
writeFileSync(join(staging, STAMP), hash);
rmSync(E2E_PAGES_DIR, { recursive: true, force: true });
renameSync(staging, E2E_PAGES_DIR);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `e2e pages: built ${pages.length} pages and ${sources.length} source entries into ${relative(".", E2E_PAGES_DIR)}/ in ${seconds} s`,
);
