import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * Cross-origin isolation: SharedArrayBuffer (the engine's data plane) exists only on pages served
 * with these two headers. The preview server inherits server.headers.
 */
export const crossOriginIsolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
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
  optimizeDeps: { entries: ["index.html", "e2e/pages/*.html", "bench/**/*.html"] },
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
