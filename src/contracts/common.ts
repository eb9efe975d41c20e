/**
 * Building blocks shared by every v1alpha contract: the version literal, the `extensions` map, buffer
 * handles, node names and the "exactly one of these fields" rule.
 *
 * Wire conventions (documented in docs/contracts.md):
 * - field names are snake_case, units are in the name (`_seconds`, `_ms`, `_frames`, `_bpm`);
 * - every contract carries `version: "v1alpha"`; it is always required so a peer speaking another
 *   version is rejected with a clear error instead of being half-understood;
 * - every contract carries `extensions`; it may be omitted (parsed as `{}`), and it is the only place
 *   where data outside the schema may travel: objects are strict, unknown keys are rejected;
 * - a field typed `T | null` may be omitted; the parsed value is then `null`.
 */
import { z } from "zod";

export const CONTRACT_VERSION = "v1alpha";

export const VersionSchema = z
  .literal(CONTRACT_VERSION)
  .describe('Contract version. Always "v1alpha" for these schemas; other values are rejected.');

/** Free-form extension data: the one place where keys outside the schema are allowed. */
export const ExtensionsSchema = z
  .record(z.string(), z.unknown())
  .default({})
  .describe("Optional data outside the contract; may be omitted (parsed as {}).");

/**
 * An `extensions` map with some named, typed keys. Unknown keys still pass (catchall), so a newer peer can
 * add data without breaking an older one; named keys are validated when present.
 */
export function namedExtensions<Shape extends z.ZodRawShape>(shape: Shape, description: string) {
  // Named keys are all optional, so {} is a valid default; TypeScript cannot see that through the generic.
  return z
    .object(shape)
    .catchall(z.unknown())
    .default({} as never)
    .describe(description);
}

/**
 * A buffer handle names audio held by the engine (a SharedArrayBuffer, or an in-memory copy). Bulk audio
 * never travels inside a control message; messages carry one of these instead. On the wire a handle
 * is any non-empty string, as the v1alpha seed defines it; whether it names audio is decided where it
 * is used (E_UNKNOWN_HANDLE naming it).
 */
export const BufferHandleSchema = z
  .string()
  .min(1)
  .max(256)
  .describe('Handle of audio held by the engine, e.g. "buf:42".');

/**
 * The form of the handles webdreamer's own hosts issue: "buf:" then characters safe in paths, logs
 * and URLs. Other handles are accepted on the wire (BufferHandleSchema) and are simply unknown.
 */
export const BUFFER_HANDLE_PATTERN = /^buf:[A-Za-z0-9._~-]{1,128}$/;

export type BufferHandle = z.output<typeof BufferHandleSchema>;

/**
 * Node names identify nodes inside one graph; they appear in error paths, capture lists, CLI flags and
 * stem file names, hence the conservative character set.
 */
export const NODE_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export const NodeNameSchema = z.string().regex(NODE_NAME_PATTERN, {
  error: "must be a node name: 1-128 of A-Z a-z 0-9 _ . - (not starting with . or -)",
});

/**
 * The NodeDescriptor a node instantiates, e.g. "builtin:oscillator", "faust:4f2a9c",
 * "wam:https://example.com/wam.js". Any non-empty string on the wire, as the v1alpha seed defines it;
 * a host resolves it where it builds the node, and an id it does not know is E_UNKNOWN_NODE naming it.
 */
export const NodeIdSchema = z.string().min(1).max(1024);

/** Web Audio's range of sample rates (BaseAudioContext accepts 3000..768000 Hz). */
export const SampleRateSchema = z.int().min(3000).max(768_000);

/** Web Audio's maximum channel count. */
export const MAX_CHANNELS = 32;

export const SecondsSchema = z.number().min(0);

/**
 * Requires exactly one of `keys` to be present and non-null. Used where a value may come inline or by
 * buffer handle, or a length in seconds or in beats. The check is mirrored into JSON Schema as `oneOf`
 * so the committed schema files state the same rule.
 */
export function exactlyOneOf<T extends z.ZodObject>(
  schema: T,
  keys: readonly [string, string, ...string[]],
): T {
  return schema
    .superRefine((value, ctx) => {
      const record = value as Record<string, unknown>;
      const present = keys.filter((key) => record[key] !== undefined && record[key] !== null);
      if (present.length === 1) return;
      if (present.length === 0) {
        ctx.addIssue({ code: "custom", path: [], message: `must have one of ${keys.join(", ")}` });
        return;
      }
      ctx.addIssue({
        code: "custom",
        path: [present[1] as string],
        message: `is not allowed together with ${present[0]}`,
      });
    })
    .meta({
      oneOf: keys.map((key) => ({ required: [key], properties: { [key]: { not: { type: "null" } } } })),
    }) as T;
}
