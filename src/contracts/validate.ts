/**
 * The one validator every boundary uses (client, worker, worklet command decoding, CLI input).
 *
 * It never throws anything but an EngineError, and its message names the first bad field:
 * `E_SCHEMA at node_graph.nodes[2].automation.gain.values[7]: must be a number`. All bad fields are kept in
 * `EngineError.issues` so a CLI can list them at once.
 */
import type { z } from "zod";
import { EngineError, type FieldIssue } from "./errors";

type PathSegment = PropertyKey;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Formats a path as `a.b[2].c`, quoting keys that are not identifiers: `params["/synth/freq"]`.
 * @example
 * formatPath(["nodes", 2, "params", "frequency"], "node_graph"); // "node_graph.nodes[2].params.frequency"
 */
export function formatPath(segments: readonly PathSegment[], rootLabel = ""): string {
  let text = rootLabel;
  for (const segment of segments) {
    if (typeof segment === "number") text += `[${segment}]`;
    else {
      const key = String(segment);
      if (IDENTIFIER.test(key)) text += text === "" ? key : `.${key}`;
      else text += `[${JSON.stringify(key)}]`;
    }
  }
  return text;
}

/**
 * Validates `value` against a contract schema and returns the parsed value (defaults filled in).
 * Throws EngineError E_SCHEMA whose path is prefixed with `rootLabel`.
 * @example
 * const request = parseContract(RenderRequestSchema, JSON.parse(body));
 * const graph = parseContract(GraphDescriptorSchema, input, "node_graph");
 */
export function parseContract<S extends z.ZodType>(schema: S, value: unknown, rootLabel = ""): z.output<S> {
  let result: z.ZodSafeParseResult<z.output<S>>;
  try {
    result = schema.safeParse(value, { error: humanMessage }) as z.ZodSafeParseResult<z.output<S>>;
  } catch (cause) {
    // A schema refinement or a hostile getter threw: still report, never crash the boundary.
    const text = cause instanceof Error ? cause.message : String(cause);
    throw schemaError(`could not be validated: ${text}`, rootLabel);
  }
  if (result.success) return result.data;
  const issues = flattenIssues(result.error.issues, [], value).map(
    (issue): FieldIssue => ({ path: formatPath(issue.path, rootLabel), detail: issue.detail }),
  );
  const first = issues[0] ?? { path: rootLabel, detail: "is invalid" };
  throw new EngineError("E_SCHEMA", first.detail, first.path, issues);
}

/**
 * parseContract for text input (a CLI file, a message body): invalid JSON is E_SCHEMA too, never a
 * SyntaxError.
 * @example
 * const request = parseContractJson(RenderRequestSchema, await readFile("request.json", "utf8"));
 */
export function parseContractJson<S extends z.ZodType>(schema: S, text: string, rootLabel = ""): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw schemaError(`is not valid JSON: ${reason}`, rootLabel);
  }
  return parseContract(schema, value, rootLabel);
}

/** E_SCHEMA about the message as a whole, listed in `issues` as every E_SCHEMA's fields are. */
function schemaError(detail: string, path: string): EngineError {
  return new EngineError("E_SCHEMA", detail, path, [{ path, detail }]);
}

interface FlatIssue {
  path: PathSegment[];
  detail: string;
}

/** Expands unions and unknown-key lists into one entry per bad field. */
function flattenIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: PathSegment[],
  root: unknown,
): FlatIssue[] {
  const flat: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) flat.push({ path: [...path, key], detail: "is not allowed" });
        break;
      case "invalid_union":
        for (const entry of flattenUnion(issue, path, root)) flat.push(entry);
        break;
      case "invalid_key":
        flat.push({ path, detail: `is not an allowed key: ${issue.issues[0]?.message ?? "invalid"}` });
        break;
      default:
        flat.push({ path, detail: issue.message });
    }
  }
  return flat;
}

function flattenUnion(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[], root: unknown): FlatIssue[] {
  const branches = issue.errors;
  const value = valueAt(root, path);
  if (branches.length === 0) {
    // A discriminated union: the path ends at the tag, and the message lists the allowed tags.
    const options =
      "options" in issue && Array.isArray(issue.options) ? issue.options.map(String).join(", ") : "";
    return [{ path, detail: value === undefined ? `is required (one of ${options})` : issue.message }];
  }
  // number | string and the like: every branch is a plain type mismatch of the value itself.
  const expected = branches.map((branch) => {
    const only = branch.length === 1 ? branch[0] : undefined;
    return only?.code === "invalid_type" && only.path.length === 0 ? only.expected : undefined;
  });
  if (expected.every((name) => name !== undefined)) {
    return [
      { path, detail: value === undefined ? "is required" : `must be ${expected.map(article).join(" or ")}` },
    ];
  }
  // Otherwise report the branch that came closest: fewest structural mismatches (missing or unknown keys
  // at the union's own level), then fewest issues, then the first declared.
  let best = branches[0] ?? [];
  for (const branch of branches.slice(1)) {
    const mismatches = structural(branch, value);
    const bestMismatches = structural(best, value);
    if (mismatches < bestMismatches || (mismatches === bestMismatches && branch.length < best.length)) {
      best = branch;
    }
  }
  return flattenIssues(best, path, root);
}

/** Counts issues saying "this is the wrong shape altogether": unknown keys, or missing keys, at the top. */
function structural(branch: readonly z.core.$ZodIssue[], value: unknown): number {
  return branch.filter(
    (issue) =>
      (issue.code === "unrecognized_keys" && issue.path.length === 0) ||
      (issue.code === "invalid_type" && issue.path.length === 1 && valueAt(value, issue.path) === undefined),
  ).length;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let value: unknown = root;
  for (const segment of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

const TYPE_NAMES: Record<string, string> = {
  number: "a number",
  int: "an integer",
  string: "a string",
  boolean: "a boolean",
  array: "an array",
  tuple: "an array",
  object: "an object",
  record: "an object",
  null: "null",
};

function article(expected: string): string {
  return TYPE_NAMES[expected] ?? `a ${expected}`;
}

/**
 * zod's per-parse error map: turns an issue into the short phrase that follows the path. Messages set
 * on a schema (regex hints, refinements) take precedence over this map.
 */
function humanMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      if (issue.expected === "number" && typeof issue.input === "number") return "must be a finite number";
      if (issue.expected === "int" && typeof issue.input === "number") return "must be an integer";
      return `must be ${article(issue.expected)}`;
    case "invalid_value":
      if (issue.input === undefined) return "is required";
      if (issue.values.length === 1) return `must be ${JSON.stringify(issue.values[0])}`;
      return `must be one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      return bound(issue.origin, issue.inclusive ? ">=" : ">", Number(issue.minimum), "at least");
    case "too_big":
      return bound(issue.origin, issue.inclusive ? "<=" : "<", Number(issue.maximum), "at most");
    case "invalid_format":
      return issue.format === "datetime"
        ? "must be an ISO 8601 date-time with a time zone, e.g. 2025-09-16T00:00:00Z"
        : `must be a valid ${issue.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    case "invalid_union":
      // A discriminated union whose tag matched no option lists the allowed tags.
      return "options" in issue && Array.isArray(issue.options)
        ? `must be one of ${issue.options.map(String).join(", ")}`
        : "does not match any allowed shape";
    default:
      return undefined;
  }
}

function bound(origin: string, operator: string, limit: number, words: string): string {
  if (origin === "array" || origin === "set")
    return `must have ${words} ${limit} item${limit === 1 ? "" : "s"}`;
  if (origin === "string") {
    if (words === "at least" && limit === 1) return "must not be empty";
    return `must have ${words} ${limit} character${limit === 1 ? "" : "s"}`;
  }
  return `must be ${operator} ${limit}`;
}
