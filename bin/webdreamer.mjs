#!/usr/bin/env node
// Launcher of the webdreamer command line. The CLI is TypeScript, bundled into build/cli.mjs by
// scripts/build-cli.mjs (npm run setup runs it); this file stays tiny so it can be committed.
import { existsSync } from "node:fs";

const cli = new URL("../build/cli.mjs", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("webdreamer: build/cli.mjs is missing: run npm run setup first\n");
  process.exit(1);
}
await import(cli.href);
