/**
 * docs/contracts.md, "Hosts, field by field": a table per contract saying which host honours each
 * field and how. Every field of the contract's schema (the rows of its generated field table) must
 * have a row, and every row must name a field that exists, with a cell for each of the four hosts:
 * so a field added to a contract fails here until the docs say what each host does with it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildJsonSchemas } from "../../src/contracts";
import { fieldRows } from "./docs-tables";

const PAGE = readFileSync(new URL("../../docs/contracts.md", import.meta.url), "utf8");
const HOSTS = ["in-process", "Worker", "AudioWorklet", "test double"];
/** The contracts whose fields the hosts produce or take (GraphDescriptor and EngineCommand are inputs checked whole). */
const CONTRACTS = [
  "transport-state",
  "node-descriptor",
  "render-request",
  "render-result",
  "plugin-discovery-result",
] as const;

/** The rows of the table after `<!-- hosts:<name> -->`: its header cells and, per field, its cells. */
function hostTable(name: string): { header: string[]; rows: Map<string, string[]>; duplicates: string[] } {
  const marker = `<!-- hosts:${name} -->`;
  const at = PAGE.indexOf(marker);
  if (at < 0) return { header: [], rows: new Map(), duplicates: [] };
  const lines = PAGE.slice(at + marker.length)
    .trimStart()
    .split("\n");
  const table = lines.slice(
    0,
    lines.findIndex((line) => !line.startsWith("|")),
  );
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
  const rows = new Map<string, string[]>();
  const duplicates: string[] = [];
  for (const line of table.slice(2)) {
    const [field = "", ...rest] = cells(line);
    const key = field.replace(/^`|`$/g, "");
    if (rows.has(key)) duplicates.push(key);
    rows.set(key, rest);
  }
  return { header: cells(table[0] ?? "|"), rows, duplicates };
}

describe("docs/contracts.md says which host honours each contract field", () => {
  const schemas = buildJsonSchemas();

  it.each(CONTRACTS)("%s: a row for every field, none for a field that does not exist", (name) => {
    const fields = fieldRows(schemas[name]).map((row) => row.field);
    const { header, rows, duplicates } = hostTable(name);
    expect(header, `no table after <!-- hosts:${name} --> in docs/contracts.md`).toEqual(["Field", ...HOSTS]);
    expect(
      fields.filter((field) => !rows.has(field)),
      "fields without a row",
    ).toEqual([]);
    expect(
      [...rows.keys()].filter((field) => !fields.includes(field)),
      "rows of no field",
    ).toEqual([]);
    expect(duplicates, "fields with two rows").toEqual([]);
  });

  it.each(CONTRACTS)("%s: every row says something for each host", (name) => {
    const empty = [...hostTable(name).rows]
      .filter(([, cells]) => cells.length !== HOSTS.length || cells.some((cell) => cell === ""))
      .map(([field]) => field);
    expect(empty).toEqual([]);
  });

  it("the check fails for a field without a row (it reads the tables, not a copy of the fields)", () => {
    const { rows } = hostTable("render-request");
    expect(rows.has("options.capture")).toBe(true);
    expect(hostTable("no-such-contract").rows.size).toBe(0);
  });
});
