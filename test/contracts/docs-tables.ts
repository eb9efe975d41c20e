/**
 * Generates the field tables and examples of docs/contracts.md from the JSON Schemas and the example
 * messages, so the page documents exactly the fields the schemas define. schema-drift.test.ts keeps the
 * page's generated blocks in sync (UPDATE_SCHEMAS=1 rewrites them).
 */
import {
  CONTRACT_EXAMPLES,
  CONTRACTS,
  type ContractName,
  NODE_NAME_PATTERN,
  schemaId,
} from "../../src/contracts";

/** Generated JSON Schema, walked by key; its keywords vary by node, so it is read loosely. */
// biome-ignore lint/suspicious/noExplicitAny: see above.
type JsonSchema = Record<string, any>;

export interface FieldRow {
  field: string;
  type: string;
  required: string;
  meaning: string;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const NAMED_PATTERNS: Record<string, string> = {
  [NODE_NAME_PATTERN.source]: "node name",
};

function titleOfRef(ref: string): string {
  const name = Object.keys(CONTRACTS).find((candidate) => schemaId(candidate as ContractName) === ref);
  return name === undefined ? ref : CONTRACTS[name as ContractName].title;
}

function anchor(title: string): string {
  return `[${title}](#${title.toLowerCase()})`;
}

function objectVariants(schema: JsonSchema): JsonSchema[] {
  const variants: JsonSchema[] = schema.oneOf ?? schema.anyOf ?? [];
  // exactlyOneOf and status rules add oneOf entries without a type; they are constraints, not shapes.
  return variants.filter((variant) => variant.type === "object" || variant.$ref !== undefined);
}

function numberLabel(schema: JsonSchema): string {
  const parts: string[] = [];
  const min = schema.minimum;
  const max = schema.maximum === MAX_SAFE ? undefined : schema.maximum;
  if (min !== undefined && max !== undefined) parts.push(`${min}..${max}`);
  else {
    if (min !== undefined) parts.push(`≥ ${min}`);
    if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
    if (max !== undefined) parts.push(`≤ ${max}`);
  }
  if (schema.exclusiveMaximum !== undefined) parts.push(`< ${schema.exclusiveMaximum}`);
  return [schema.type, parts.join(", ")].filter((part) => part !== "").join(" ");
}

export function typeLabel(schema: JsonSchema): string {
  if (schema.$ref !== undefined) return anchor(titleOfRef(schema.$ref));
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum !== undefined)
    return schema.enum.map((value: unknown) => JSON.stringify(value)).join(" | ");
  const union: JsonSchema[] | undefined =
    schema.anyOf ?? (schema.type === undefined ? schema.oneOf : undefined);
  if (union !== undefined) {
    const tags = discriminator(union);
    if (tags !== undefined)
      return `one of ${union.map((variant) => `${tags}=${variant.properties[tags].const}`).join(", ")}`;
    return union.map(typeLabel).join(" | ");
  }
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  switch (schema.type) {
    case "integer":
    case "number":
      return numberLabel(schema);
    case "string":
      if (schema.format === "date-time") return "string (ISO 8601 date-time)";
      if (schema.pattern !== undefined)
        return NAMED_PATTERNS[schema.pattern] ?? `string matching ${schema.pattern}`;
      return schema.minLength === 1 ? "string (non-empty)" : "string";
    case "array": {
      if (schema.prefixItems !== undefined) return `[${schema.prefixItems.map(typeLabel).join(", ")}]`;
      const count = [
        schema.minItems === undefined ? "" : `≥ ${schema.minItems}`,
        schema.maxItems === undefined ? "" : `≤ ${schema.maxItems}`,
      ]
        .filter((part) => part !== "")
        .join(", ");
      return `array of ${typeLabel(schema.items ?? {})}${count === "" ? "" : ` (${count} items)`}`;
    }
    case "object": {
      const values = schema.additionalProperties;
      if (schema.properties === undefined && typeof values === "object" && Object.keys(values).length > 0) {
        return `map of ${typeLabel(values)}`;
      }
      return "object";
    }
    case undefined:
      return "any";
    default:
      return String(schema.type);
  }
}

/** The key each object variant fixes to its own const (e.g. "kind", "type"), if any. */
function discriminator(variants: JsonSchema[]): string | undefined {
  const first = variants[0]?.properties;
  if (first === undefined || variants.some((variant) => variant.type !== "object")) return undefined;
  return Object.keys(first).find((key) => {
    const tags = variants.map((variant) => variant.properties?.[key]?.const);
    return tags.every((tag) => tag !== undefined) && new Set(tags).size === variants.length;
  });
}

function requiredLabel(schema: JsonSchema, required: boolean): string {
  if (required) return "yes";
  return schema.default === undefined ? "no" : `no, default \`${JSON.stringify(schema.default)}\``;
}

function meaningOf(schema: JsonSchema): string {
  if (schema.description !== undefined) return schema.description;
  if (schema.$ref !== undefined) return `See ${anchor(titleOfRef(schema.$ref))}.`;
  return "";
}

function join(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}

function rowsOfObject(schema: JsonSchema, prefix: string, rows: FieldRow[]): void {
  const required = new Set<string>(schema.required ?? []);
  for (const [key, property] of Object.entries<JsonSchema>(schema.properties ?? {})) {
    const field = join(prefix, key);
    rows.push({
      field,
      type: typeLabel(property),
      required: requiredLabel(property, required.has(key)),
      meaning: meaningOf(property),
    });
    rowsInside(property, field, rows);
  }
}

/** Rows for what a property contains: nested objects, array items, map values, union variants. */
function rowsInside(schema: JsonSchema, field: string, rows: FieldRow[]): void {
  if (schema.$ref !== undefined) return;
  if (schema.properties !== undefined) {
    rowsOfObject(schema, field, rows);
    return;
  }
  if (schema.type === "array" && schema.items !== undefined) {
    rowsInside(schema.items, `${field}[]`, rows);
    return;
  }
  if (schema.type === "object" && typeof schema.additionalProperties === "object") {
    rowsInside(schema.additionalProperties, `${field}.{key}`, rows);
    return;
  }
  const variants = objectVariants(schema);
  if (variants.length === 1) {
    rowsInside(variants[0] as JsonSchema, field, rows);
    return;
  }
  if (variants.length > 1) rowsOfVariants(variants, field, rows);
}

/** Fields common to every variant once, then each variant's own fields marked with its tag. */
function rowsOfVariants(variants: JsonSchema[], field: string, rows: FieldRow[]): void {
  const tag = discriminator(variants);
  const same = (key: string) =>
    variants.every(
      (variant) =>
        variant.properties?.[key] !== undefined &&
        JSON.stringify(variant.properties[key]) === JSON.stringify(variants[0]?.properties?.[key]) &&
        (variant.required ?? []).includes(key) === (variants[0]?.required ?? []).includes(key),
    );
  const common = Object.keys(variants[0]?.properties ?? {}).filter((key) => key !== tag && same(key));
  const first = variants[0] as JsonSchema;
  rowsOfObject({ properties: pick(first.properties, common), required: first.required }, field, rows);
  for (const variant of variants) {
    const own = Object.keys(variant.properties ?? {}).filter((key) => !common.includes(key));
    const label = tag === undefined ? field : `${field}(${tag}=${variant.properties[tag].const})`;
    rowsOfObject({ properties: pick(variant.properties, own), required: variant.required }, label, rows);
  }
}

function pick(properties: Record<string, JsonSchema>, keys: string[]): Record<string, JsonSchema> {
  return Object.fromEntries(keys.map((key) => [key, properties[key] as JsonSchema]));
}

/** Every documented field of a contract's JSON Schema, in schema order. */
export function fieldRows(schema: JsonSchema): FieldRow[] {
  const rows: FieldRow[] = [];
  if (schema.properties !== undefined) rowsOfObject(schema, "", rows);
  else rowsOfVariants(objectVariants(schema), "", rows);
  return rows;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("<", "&lt;");
}

export function fieldTable(schema: JsonSchema): string {
  const lines = ["| Field | Type | Required | Meaning |", "| --- | --- | --- | --- |"];
  for (const row of fieldRows(schema)) {
    lines.push(`| \`${row.field}\` | ${cell(row.type)} | ${row.required} | ${cell(row.meaning)} |`);
  }
  return lines.join("\n");
}

export function exampleBlock(name: ContractName): string {
  return ["```json", JSON.stringify(CONTRACT_EXAMPLES[name], null, 2), "```"].join("\n");
}

const BLOCK = /<!-- BEGIN GENERATED (fields|example):([a-z-]+) -->\n[\s\S]*?<!-- END GENERATED -->/g;

/**
 * Rewrites every generated block of the page. Returns the new text and the blocks it found, so a test
 * can require one fields block and one example block per contract.
 */
export function regenerateDocs(
  page: string,
  schemas: Record<ContractName, JsonSchema>,
): { text: string; blocks: string[] } {
  const blocks: string[] = [];
  const text = page.replace(BLOCK, (_match, kind: string, name: string) => {
    blocks.push(`${kind}:${name}`);
    const contract = name as ContractName;
    if (!(contract in schemas)) throw new Error(`docs/contracts.md: no contract named ${name}`);
    const body = kind === "fields" ? fieldTable(schemas[contract]) : exampleBlock(contract);
    return `<!-- BEGIN GENERATED ${kind}:${name} -->\n${body}\n<!-- END GENERATED -->`;
  });
  return { text, blocks };
}
