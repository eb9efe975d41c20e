#!/usr/bin/env node
// Launcher of the webdreamer command line. The CLI is TypeScript, bundled into dist/node/cli.mjs by
// scripts/build-cli.mjs (part of the package build: the published package holds it, and
// `npm run setup` builds it in a clone); this file stays tiny so it can be committed.
import { existsSync } from "node:fs";

const cli = new URL("../dist/node/cli.mjs", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    "webdreamer: dist/node/cli.mjs is missing: in a clone of the repository run `npm run setup`; " +
      "an installed package always has it, so reinstall webdreamer\n",
  );
  process.exit(1);
}
await import(cli.href);
