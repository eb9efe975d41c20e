/**
 * Drift test: docs/processors.md against the processor table compiled into engine.wasm
 * (WasmEngine.types). It fails when a kind has no section, a section names a kind the engine lacks,
 * or a parameter table differs from the engine's ParamSpec table in ids (and their order), names,
 * units, ranges, defaults or choices. The `meaning` column is free text and is not checked.
 *
 * The rules this test reads the page by:
 * - A processor section is a level-2 heading "## `<kind>` (<engine name>)". Headings without a
 *   backticked word ("## Compared with DawDreamer") are not processor sections.
 * - The section lists its node id as a bullet "- Node id: `builtin:<kind>`", and a source
 *   (maxInputs 0) has the bullet "- Inputs: none (source)"; a processor with inputs must not.
 * - The section holds exactly one table, with the header
 *   `| id | name | units | range | default | choices | meaning |`. Cells are split on `|`; a `\|`
 *   inside a cell is a literal pipe.
 * - id: the parameter id in backticks. name: the engine's name, optionally in backticks. units: the
 *   engine's units, empty for none. range: "<min> .. <max>". default: the default. choices: each
 *   label in backticks, joined by ", ", in the engine's order; empty for a parameter without choices.
 * - Every number is formatFloat32(x): the shortest decimal that Math.fround maps back to the same
 *   float32 as x (the engine's 0.0001f reads back as 0.00009999999747 and is written 0.0001).
 * - Pattern row: an id cell "`<prefix><i><suffix>` (i = A .. B)" stands for the B - A + 1 rows
 *   i = A, A + 1, ..., B, in that order, where "<i>" in the id and in the name is replaced by i; the
 *   other cells are the same for every row. The mixer's `input_gain_<i>` (i = 0 .. 255) row is the
 *   256 parameters input_gain_0 .. input_gain_255 named "Input 0 gain" .. "Input 255 gain".
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import type { ProcessorTypeInfo } from "../../src/engine/processor-types";
import { newEngine } from "../support/render";

const DOC_PATH = fileURLToPath(new URL("../../docs/processors.md", import.meta.url));
const TABLE_HEADER = "| id | name | units | range | default | choices | meaning |";
const PATTERN = "<i>";

/**
 * The shortest decimal that is the same float32 as `x`, as the page prints ranges and defaults.
 * @example
 * formatFloat32(Math.fround(0.33)); // "0.33" (String() would give "0.33000001311302185")
 */
function formatFloat32(x: number): string {
  const value = Math.fround(x);
  if (!Number.isFinite(value) || value === 0) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return String(candidate);
  }
  return String(value);
}

/** One parameter row in comparable form (meaning left out). */
interface ParamRow {
  id: string;
  name: string;
  units: string;
  range: string;
  default: string;
  choices: string;
}

interface DocSection {
  kind: string;
  heading: string;
  body: string;
}

/** The rows the page must show for one engine type (pattern rows expanded). */
function expectedRows(type: ProcessorTypeInfo): ParamRow[] {
  return type.params.map((p) => ({
    id: p.id,
    name: p.name,
    units: p.units,
    range: `${formatFloat32(p.min)} .. ${formatFloat32(p.max)}`,
    default: formatFloat32(p.default),
    choices: p.choices === null ? "" : p.choices.map((label) => `\`${label}\``).join(", "),
  }));
}

/** Level-2 sections whose heading has a word in backticks, keyed by that word (the kind). */
function processorSections(doc: string): DocSection[] {
  return doc
    .split(/^## /m)
    .slice(1)
    .flatMap((chunk) => {
      const newline = chunk.indexOf("\n");
      const heading = (newline < 0 ? chunk : chunk.slice(0, newline)).trim();
      const kind = /`([^`]+)`/.exec(heading)?.[1];
      return kind === undefined ? [] : [{ kind, heading, body: newline < 0 ? "" : chunk.slice(newline + 1) }];
    });
}

/** The cells of a table line: split on unescaped pipes, trimmed, `\|` unescaped. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replaceAll("\\|", "|"));
}

/** Every table of a section, as its lines (header, separator, rows). */
function tables(body: string): string[][] {
  const found: string[][] = [];
  let current: string[] | null = null;
  for (const line of body.split("\n")) {
    if (line.trimStart().startsWith("|")) {
      current ??= [];
      current.push(line.trim());
    } else if (current) {
      found.push(current);
      current = null;
    }
  }
  if (current) found.push(current);
  return found;
}

const unquote = (cell: string) => /^`([^`]*)`$/.exec(cell)?.[1] ?? cell;

/**
 * The parameter rows of one table, pattern rows expanded. A row that breaks the rules comes back
 * with its raw id cell, so it can never equal an engine row.
 */
function parseRows(table: string[]): ParamRow[] {
  return table.slice(2).flatMap((line) => {
    const c = cells(line);
    if (c.length !== 7)
      return [{ id: `malformed row: ${line}`, name: "", units: "", range: "", default: "", choices: "" }];
    const [idCell = "", nameCell = "", units = "", range = "", defaultValue = "", choices = ""] = c;
    const row = { name: unquote(nameCell), units, range, default: defaultValue, choices };
    const match = /^`([^`]+)`(?: \(i = (\d+) \.\. (\d+)\))?$/.exec(idCell);
    if (!match) return [{ ...row, id: `bad id cell: ${idCell}` }];
    const [, id, from, to] = match as unknown as [string, string, string | undefined, string | undefined];
    if (from === undefined || to === undefined) return [{ ...row, id }];
    const first = Number(from);
    const last = Number(to);
    if (!id.includes(PATTERN) || last < first) return [{ ...row, id: `bad pattern row: ${idCell}` }];
    return Array.from({ length: last - first + 1 }, (_, k) => ({
      ...row,
      id: id.replaceAll(PATTERN, String(first + k)),
      name: row.name.replaceAll(PATTERN, String(first + k)),
    }));
  });
}

/** The parameter rows the page gives for `kind` (throws if the section has no single parameter table). */
function documentedRows(doc: string, kind: string): ParamRow[] {
  const section = processorSections(doc).find((s) => s.kind === kind);
  if (!section) throw new Error(`docs/processors.md has no section "## \`${kind}\`"`);
  const paramTables = tables(section.body);
  if (paramTables.length !== 1) {
    throw new Error(`section \`${kind}\` has ${paramTables.length} tables, expected one parameter table`);
  }
  const [table] = paramTables as [string[]];
  if (table[0] !== TABLE_HEADER) throw new Error(`section \`${kind}\`: table header is "${table[0]}"`);
  return parseRows(table);
}

const engine = await newEngine();
const doc = readFileSync(DOC_PATH, "utf8");
const sections = processorSections(doc);

describe("docs/processors.md matches the engine", () => {
  it("has one section per engine kind and none for a kind the engine lacks", () => {
    const documented = sections.map((s) => s.kind);
    expect([...documented].sort()).toEqual(engine.types.map((t) => t.kind).sort());
    expect(new Set(documented).size).toBe(documented.length);
  });

  it.each(engine.types.map((type) => [type.kind, type] as const))(
    "%s: heading, node id, inputs and parameter table",
    (kind, type) => {
      const section = sections.find((s) => s.kind === kind);
      expect(section?.heading).toBe(`\`${kind}\` (${type.name})`);
      const body = section?.body ?? "";
      expect(body).toMatch(new RegExp(`^- Node id: \`builtin:${kind}\`$`, "m"));
      expect(/^- Inputs: none \(source\)/m.test(body), "a source says so, an effect must not").toBe(
        type.maxInputs === 0,
      );
      const rows = documentedRows(doc, kind);
      const expected = expectedRows(type);
      expect(rows.map((row) => row.id)).toEqual(expected.map((row) => row.id));
      expect(rows).toEqual(expected);
    },
  );
});

describe("the drift test's own rules", () => {
  it("prints float32 values as their shortest decimal", () => {
    expect(formatFloat32(Math.fround(0.33))).toBe("0.33");
    expect(formatFloat32(Math.fround(0.0001))).toBe("0.0001");
    expect(formatFloat32(Math.fround(Math.SQRT1_2))).toBe("0.70710677");
    expect(formatFloat32(-1000)).toBe("-1000");
    expect(formatFloat32(86400)).toBe("86400");
  });

  it("expands a pattern row into one row per index, in order", () => {
    const rows = parseRows([
      TABLE_HEADER,
      "| --- | --- | --- | --- | --- | --- | --- |",
      "| `in_<i>_db` (i = 2 .. 4) | `In <i>` | dB | -1 .. 1 | 0 |  | anything \\| here |",
    ]);
    expect(rows.map((r) => [r.id, r.name])).toEqual([
      ["in_2_db", "In 2"],
      ["in_3_db", "In 3"],
      ["in_4_db", "In 4"],
    ]);
  });

  it("catches a changed default, a missing row and an extra section", () => {
    const oscillator = engine.types.find((t) => t.kind === "oscillator") as ProcessorTypeInfo;
    const changed = doc.replace("| Hz | 0 .. 24000 | 440 |", "| Hz | 0 .. 24000 | 441 |");
    expect(changed).not.toBe(doc);
    expect(documentedRows(changed, "oscillator")).not.toEqual(expectedRows(oscillator));
    const missing = doc.replace(/^\| `amplitude` .*\n/m, "");
    expect(documentedRows(missing, "oscillator")).not.toEqual(expectedRows(oscillator));
    const extra = `${doc}\n## \`flanger\` (Flanger)\n`;
    expect(processorSections(extra).map((s) => s.kind)).toContain("flanger");
  });
});
