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
import * as z from "zod";
import { CONTRACT_VERSION } from "./version";

export { CONTRACT_VERSION };

export const VersionSchema = z
  .literal(CONTRACT_VERSION)
  .describe('Contract version. Always "v1alpha" for these schemas; other values are rejected.');

/**
 * The one key no record of a contract may hold. Parsed objects are plain objects, where assigning
 * `__proto__` replaces the prototype instead of adding a key (zod skips it for that reason): it would
 * vanish without a word. It is rejected instead, with a path.
 */
export const RESERVED_KEY = "__proto__";

/**
 * `schema` (a string that is also used as a key: a node name, a parameter id, a buffer handle) with
 * RESERVED_KEY refused: E_SCHEMA saying it is reserved, and `reason`.
 * @example
 * parseContract(NodeNameSchema, "__proto__", "name");
 * // E_SCHEMA at name: must not be "__proto__": it is reserved (results key captures by node name)
 */
export function notReservedKey<S extends z.ZodString>(schema: S, reason: string) {
  return schema
    .refine((key) => key !== RESERVED_KEY, { error: `must not be "${RESERVED_KEY}": ${reason}` })
    .meta({ not: { const: RESERVED_KEY } });
}

/**
 * `schema` (a record or an object with a catchall) with an E_SCHEMA issue at `<path>.__proto__` when
 * the input holds that key, instead of the silent drop a parse would make. Other keys such as
 * `constructor` or `toString` are ordinary keys; code reading parsed records uses own-key lookups.
 * @example
 * parseContract(withoutReservedKey(ExtensionsSchema), JSON.parse('{"__proto__": 1}'), "extensions");
 * // E_SCHEMA at extensions.__proto__: is not allowed: "__proto__" is reserved (...)
 */
export function withoutReservedKey<S extends z.ZodType>(schema: S) {
  return z.preprocess((value: z.input<S>, ctx) => {
    if (typeof value === "object" && value !== null && Object.hasOwn(value, RESERVED_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: [RESERVED_KEY],
        message: `is not allowed: "${RESERVED_KEY}" is reserved (an object cannot hold it as a key)`,
        input: value,
      });
    }
    return value;
  }, schema);
}

/** Free-form extension data: the one place where keys outside the schema are allowed. */
export const ExtensionsSchema = withoutReservedKey(z.record(z.string(), z.unknown()).default({})).describe(
  "Optional data outside the contract; may be omitted (parsed as {}).",
);

/**
 * An `extensions` map with some named, typed keys. Unknown keys still pass (catchall), so a newer peer can
 * add data without breaking an older one; named keys are validated when present.
 */
export function namedExtensions<Shape extends z.ZodRawShape>(shape: Shape, description: string) {
  // Named keys are all optional, so {} is a valid default; TypeScript cannot see that through the generic.
  return withoutReservedKey(
    z
      .object(shape)
      .catchall(z.unknown())
      .default({} as never),
  ).describe(description);
}

/**
 * A buffer handle names audio held by the engine (a SharedArrayBuffer, or an in-memory copy). Bulk audio
 * never travels inside a control message; messages carry one of these instead. On the wire a handle
 * is any non-empty string, as the v1alpha seed defines it; whether it names audio is decided where it
 * is used (E_UNKNOWN_HANDLE naming it).
 */
export const BufferHandleSchema = notReservedKey(
  z.string().min(1).max(256),
  "it is reserved (session files key audio by handle)",
).describe('Handle of audio held by the engine, e.g. "buf:42".');

/**
 * The form of the handles webdreamer's own hosts issue: "buf:" then characters safe in paths, logs
 * and URLs. Other handles are accepted on the wire (BufferHandleSchema) and are simply unknown.
 */
export const BUFFER_HANDLE_PATTERN = /^buf:[A-Za-z0-9._~-]{1,128}$/;

export type BufferHandle = z.output<typeof BufferHandleSchema>;

/**
 * Node names identify nodes inside one graph; they appear in error paths, capture lists, CLI flags and
 * stem file names, hence the conservative character set. A name is also a key (a render's captures
 * are keyed by node name), so RESERVED_KEY is not a name.
 */
export const NODE_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export const NodeNameSchema = notReservedKey(
  z.string().regex(NODE_NAME_PATTERN, {
    error: "must be a node name: 1-128 of A-Z a-z 0-9 _ . - (not starting with . or -)",
  }),
  "it is reserved (results key captures by node name)",
);

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
