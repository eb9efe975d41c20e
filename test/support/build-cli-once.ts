/**
 * Vitest's global setup (vitest.config.ts): builds the command line (scripts/build-cli.mjs ->
 * dist/node/) once, before any test file runs. The CLI tests (test/cli/) start the built files as
 * child processes; with test files running two at a time, a file rebuilding them itself would rewrite
 * dist/node/ under another file's running CLI.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build-cli.mjs"], {
    cwd: resolve(import.meta.dirname, "../.."),
    stdio: "pipe",
  });
}
