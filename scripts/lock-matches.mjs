// Exits 0 when node_modules holds exactly the packages and versions that package-lock.json pins,
// comparing npm's own hidden lock file (node_modules/.package-lock.json) entry by entry.
import { readFileSync } from "node:fs";

const wanted = JSON.parse(readFileSync("package-lock.json", "utf8")).packages;
const installed = JSON.parse(readFileSync("node_modules/.package-lock.json", "utf8")).packages;
for (const [path, entry] of Object.entries(wanted)) {
  if (path === "" || entry.optional) continue;
  if (installed[path]?.version !== entry.version) process.exit(1);
}
