// A plain static file server, as a visitor's host would be: files with their MIME types and nothing
// else (no Vite, no module transforms), optionally under a URL prefix and optionally with the two
// headers that make a page cross-origin isolated. The site tests serve the built demo with it.
//
// Usage: node scripts/serve-static.mjs <folder> [--port 8080] [--prefix /some/dir/] [--isolated]
// Import: const { url, close } = await serveStatic({ root: "site", prefix: "/demo/", isolated: true });

import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** Content types by extension; anything else is served as bytes. */
export const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/** What a static host sends for cross-origin isolation (SharedArrayBuffer, the shared-memory data plane). */
export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

/** What a CDN sends so pages on other origins may load its files (also under COEP require-corp). */
export const CDN_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Cross-Origin-Resource-Policy": "cross-origin",
};

/** The file a URL path names under `root`, or null when it leaves `root` or the prefix. */
function fileFor(root, prefix, pathname) {
  if (!pathname.startsWith(prefix)) return null;
  let relative;
  try {
    relative = decodeURIComponent(pathname.slice(prefix.length));
  } catch {
    return null;
  }
  const file = resolve(root, relative);
  return file === root || file.startsWith(root + sep) ? file : null;
}

/**
 * Serves `root` over HTTP on 127.0.0.1 until close(). `port` 0 picks a free port. `prefix` is where
 * the folder appears in URLs ("/" or "/some/dir/"); a folder's URL without its slash redirects, as
 * nginx does, so relative URLs in its index.html resolve inside it.
 */
export async function serveStatic({
  root,
  port = 0,
  prefix = "/",
  isolated = false,
  cors = false,
  host = "127.0.0.1",
}) {
  const base = prefix.endsWith("/") ? prefix : `${prefix}/`;
  const folder = resolve(root);
  const server = createServer(async (request, response) => {
    const extraHeaders = { ...(isolated ? ISOLATION_HEADERS : {}), ...(cors ? CDN_HEADERS : {}) };
    const send = (status, headers, body) => {
      response.writeHead(status, { ...extraHeaders, ...headers });
      response.end(body);
    };
    if (request.method !== "GET" && request.method !== "HEAD") return send(405, { Allow: "GET, HEAD" });
    const { pathname } = new URL(request.url ?? "/", "http://host");
    if (`${pathname}/` === base) return send(301, { Location: base });
    let file = fileFor(folder, base, pathname);
    let info = file && (await stat(file).catch(() => null));
    if (file && info?.isDirectory()) {
      if (!pathname.endsWith("/")) return send(301, { Location: `${pathname}/` });
      file = join(file, "index.html");
      info = await stat(file).catch(() => null);
    }
    if (!file || !info?.isFile()) return send(404, { "Content-Type": MIME_TYPES[".txt"] }, "not found\n");
    const type = MIME_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
    response.writeHead(200, { ...extraHeaders, "Content-Type": type, "Content-Length": info.size });
    if (request.method === "HEAD") return response.end();
    // A file that vanishes after stat() ends the response instead of the process.
    createReadStream(file)
      .on("error", () => response.destroy())
      .pipe(response);
  });
  await new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, done);
  });
  const address = server.address();
  const url = `http://${host}:${address.port}${base}`;
  const close = () =>
    new Promise((done) => {
      server.close(() => done());
      // Browsers keep connections alive; without this close() would wait for them to time out.
      server.closeAllConnections();
    });
  return { server, url, close };
}

// Run as a script: serve until interrupted.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: "string", default: "8080" },
      prefix: { type: "string", default: "/" },
      isolated: { type: "boolean", default: false },
    },
  });
  const [root] = positionals;
  if (!root) {
    console.error(
      "usage: node scripts/serve-static.mjs <folder> [--port 8080] [--prefix /dir/] [--isolated]",
    );
    process.exit(2);
  }
  const { url } = await serveStatic({
    root,
    port: Number(values.port),
    prefix: values.prefix,
    isolated: values.isolated,
  });
  console.log(`serving ${root} at ${url}${values.isolated ? " (cross-origin isolated)" : ""}`);
}
