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
  server: {
    host: "127.0.0.1",
    port: 5173,
    headers: crossOriginIsolationHeaders,
  },
  preview: {
    host: "127.0.0.1",
    port: 4173,
  },
  build: {
    target: "es2022",
  },
});
