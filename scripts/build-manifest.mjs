// Writes dist/custom-elements.json: the Custom Elements Manifest of <webdreamer-player> and
// <webdreamer-studio> (their
// attributes, properties, methods, events, CSS custom properties, parts and slots), generated from
// the source and its doc comments in src/components/ as custom-elements-manifest.config.mjs says.
// package.json's "customElements" field points editors, linters and Storybook at it. Prints one line
// with the counts. test/components/player-manifest.test.ts runs it into a folder of its own.
//
// Usage: node scripts/build-manifest.mjs [out]   (default dist/custom-elements.json)

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cli } from "@custom-elements-manifest/analyzer/cli.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? resolve(ROOT, "dist/custom-elements.json"));

// noWrite: the analyzer would write into its outdir; this script picks the file itself.
const manifest = await cli({ argv: ["analyze", "--quiet"], cwd: ROOT, noWrite: true });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);

const elements = manifest.modules.flatMap((module) =>
  (module.declarations ?? []).filter((declaration) => declaration.customElement),
);
const count = (list) => list?.length ?? 0;
const summary = elements.map((element) => {
  const fields = element.members?.filter((member) => member.kind === "field");
  const methods = element.members?.filter((member) => member.kind === "method");
  return (
    `<${element.tagName}> ${count(element.attributes)} attributes, ${count(fields)} properties, ` +
    `${count(methods)} methods, ${count(element.events)} events, ${count(element.cssProperties)} CSS ` +
    `properties, ${count(element.cssParts)} parts, ${count(element.slots)} slots`
  );
});
console.log(`${relative(process.cwd(), out)}: ${summary.join("; ")}`);
