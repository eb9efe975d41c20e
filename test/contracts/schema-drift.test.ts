/**
 * The committed JSON Schemas and the generated parts of docs/contracts.md must match the zod source.
 * To regenerate both after changing a contract:
 *
 *   UPDATE_SCHEMAS=1 npx vitest run test/contracts/schema-drift.test.ts
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildJsonSchemas, CONTRACT_NAMES, ERROR_CODES, schemaId } from "../../src/contracts";
import { fieldRows, regenerateDocs } from "./docs-tables";

const UPDATE = process.env.UPDATE_SCHEMAS === "1";
const HOW_TO_FIX =
  "run `UPDATE_SCHEMAS=1 npx vitest run test/contracts/schema-drift.test.ts` and commit the result";
const SCHEMA_DIR = new URL("../../src/contracts/schemas/", import.meta.url);
const DOCS_PAGE = new URL("../../docs/contracts.md", import.meta.url);

const schemas = buildJsonSchemas();

function fileName(name: string): string {
  return `${name}.schema.json`;
}

describe("committed JSON Schemas", () => {
  it.each(CONTRACT_NAMES)("%s.schema.json matches the zod source", (name) => {
    const file = new URL(fileName(name), SCHEMA_DIR);
    const expected = `${JSON.stringify(schemas[name], null, 2)}\n`;
    if (UPDATE) {
      mkdirSync(SCHEMA_DIR, { recursive: true });
      writeFileSync(file, expected);
    }
    const actual = existsSync(file) ? readFileSync(file, "utf8") : "(missing)";
    expect(actual, `src/contracts/schemas/${fileName(name)} is out of date: ${HOW_TO_FIX}`).toBe(expected);
  });

  it("holds no schema file for a contract that no longer exists", () => {
    const expected = new Set(CONTRACT_NAMES.map(fileName));
    const stale = readdirSync(SCHEMA_DIR).filter((file) => file.endsWith(".json") && !expected.has(file));
    if (UPDATE) for (const file of stale) rmSync(new URL(file, SCHEMA_DIR));
    expect(UPDATE ? [] : stale, `stale schema files: ${HOW_TO_FIX}`).toEqual([]);
  });

  it.each(CONTRACT_NAMES)("%s is a draft 2020-12 schema with $id, title and description", (name) => {
    const schema = schemas[name];
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe(schemaId(name));
    expect(schema.$id).toBe(`https://webdreamer.dev/schemas/v1alpha/${name}.json`);
    expect(typeof schema.title).toBe("string");
    expect(typeof schema.description).toBe("string");
  });

  it("refers to nested contracts by $id instead of copying them", () => {
    const request = JSON.stringify(schemas["render-request"]);
    expect(request).toContain(`"$ref":"${schemaId("graph-descriptor")}"`);
    expect(JSON.stringify(schemas["plugin-discovery-result"])).toContain(
      `"$ref":"${schemaId("node-descriptor")}"`,
    );
  });
});

describe("docs/contracts.md", () => {
  const page = readFileSync(DOCS_PAGE, "utf8");
  const { text, blocks } = regenerateDocs(page, schemas);

  it("has generated field tables and examples that match the source", () => {
    if (UPDATE && text !== page) writeFileSync(DOCS_PAGE, text);
    expect(UPDATE ? text : page, `docs/contracts.md generated blocks are out of date: ${HOW_TO_FIX}`).toBe(
      text,
    );
  });

  it("has one field table and one example for every contract", () => {
    const expected = CONTRACT_NAMES.flatMap((name) => [`fields:${name}`, `example:${name}`]);
    expect([...blocks].sort()).toEqual([...expected].sort());
  });

  it.each(CONTRACT_NAMES)("explains every field of %s", (name) => {
    const undocumented = fieldRows(schemas[name])
      .filter((row) => row.meaning.trim() === "")
      .map((row) => row.field);
    expect(undocumented).toEqual([]);
  });

  it("lists every error code", () => {
    const missing = Object.keys(ERROR_CODES).filter((code) => !page.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
