import { createReadStream, existsSync, statSync } from "node:fs";
import { extname, join, normalize, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { type Connect, defineConfig, type Plugin } from "vite";

/**
 * Cross-origin isolation: SharedArrayBuffer (the engine's data plane) exists only on pages served
 * with these two headers. The preview server inherits server.headers.
 */
export const crossOriginIsolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

const MIME: Record<string, string> = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".html": "text/html",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/**
 * Serves a folder byte for byte under a URL prefix (no Vite transform), as a plugin server would:
 * `/wam-corpus/` is the wam-community package's dist/ (58 published third-party WAMs, the browser
 * tests' real-world corpus, docs/wam.md); `/wam-export-output/` the webdreamer graphs the browser
 * tests export as WAMs (build/wam-export/, gitignored). The dev server and `vite preview` (which
 * serves the browser tests' prebuilt pages) both serve them; the static site does not ship them.
 */
function serveFolder(prefix: string, folder: string): Plugin {
  const root = fileURLToPath(new URL(folder, import.meta.url));
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    const path = normalize(join(root, decodeURIComponent((req.url ?? "/").split("?")[0] as string)));
    if (!path.startsWith(root)) return next();
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) return next();
      size = stat.size;
    } catch {
      res.statusCode = 404;
      res.end(`not found: ${prefix}${req.url}`);
      return;
    }
    res.setHeader("Content-Type", MIME[extname(path)] ?? "application/octet-stream");
    res.setHeader("Content-Length", String(size));
    // HEAD asks for the headers only (a discovery probe may send one): no body.
    if (req.method === "HEAD") return void res.end();
    createReadStream(path).pipe(res);
  };
  return {
    name: `serve-folder:${prefix}`,
    configureServer(server) {
      server.middlewares.use(prefix, serve);
    },
    configurePreviewServer(server) {
      server.middlewares.use(prefix, serve);
    },
  };
}

/**
 * `vite preview` of the browser tests' prebuilt pages (scripts/build-e2e-pages.mjs): a spec imports
 * a source module into a page by its dev-server URL (`import("/src/project/compile-project.ts")`);
 * the build made it an entry, `src/project/compile-project.js`, which this answers in its place.
 */
function builtSources(): Plugin {
  let outDir = "";
  return {
    name: "built-sources",
    configResolved(config) {
      outDir = resolvePath(config.root, config.build.outDir);
    },
    configurePreviewServer(server) {
      server.middlewares.use("/src/", (req, _res, next) => {
        const path = (req.url ?? "/").split("?")[0] as string;
        const built = path.replace(/\.ts$/, ".js");
        if (built !== path && existsSync(join(outDir, "src", built))) req.url = built;
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [
    serveFolder("/wam-corpus", "./node_modules/wam-community/dist"),
    // Plugins the browser tests export (e2e/wam-export.spec.ts), read from disk on every request.
    serveFolder("/wam-export-output", "./build/wam-export"),
    builtSources(),
  ],
  // The production build is the static demo site (npm run build:site). A relative base makes its
  // URLs relative to index.html, so the folder plays at a server's root or under any sub-path; the
  // dev server treats "./" as "/".
  base: "./",
  resolve: {
    // Browser pages run suites written for Vitest through a small shim (e2e/support/vitest-shim.ts);
    // Vitest itself uses vitest.config.ts and never sees this alias.
    alias: { vitest: fileURLToPath(new URL("./e2e/support/vitest-shim.ts", import.meta.url)) },
  },
  // Scan every page at startup, so the dependency optimizer never reloads a page mid-test when it
  // first meets a dependency (comlink, ringbuf.js, lit, faustwasm, ...).
  optimizeDeps: {
    entries: ["index.html", "e2e/pages/*.html", "bench/**/*.html"],
    // Imported only inside Workers (the in-process host's MIDI file writer), which the entry scan
    // does not follow: found at run time, it would make Vite re-optimise and reload every open page.
    include: ["@tonejs/midi"],
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    // WEBDREAMER_NOT_ISOLATED=1 serves the same pages without isolation, to test the fallback.
    headers: process.env.WEBDREAMER_NOT_ISOLATED ? {} : crossOriginIsolationHeaders,
  },
  // `vite preview` serves the built site (with the server's headers).
  preview: {
    host: "127.0.0.1",
    port: 4173,
  },
  build: {
    target: "es2022",
    // Only the demo page (index.html, the default input): the e2e and bench pages stay dev-only.
    outDir: "site",
  },
});
