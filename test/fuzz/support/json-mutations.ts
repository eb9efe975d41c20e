/**
 * Mutations of valid JSON-like values, so that a fuzzed input gets past the first type checks and
 * reaches deep validation: take a documented example and change one to four things in it (replace a
 * value anywhere, delete or add a key, duplicate or move an item, copy one part over another).
 */
import fc from "fast-check";

/** Numbers at the edges of what the contracts accept (limits, types, IEEE specials). */
export const EDGE_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  1e-320,
  2 ** -1074,
  127,
  128,
  255,
  256,
  960,
  1000,
  1000.5,
  3000,
  2999,
  4096,
  4097,
  48_000,
  65_536,
  65_537,
  96_000,
  96_001,
  768_000,
  768_001,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  1e308,
  Number.MAX_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

/** Strings that name things in the contracts, and strings that should not. */
export const EDGE_STRINGS = [
  "",
  "v1alpha",
  "v1",
  "mix",
  "drums",
  "filter",
  "echo",
  "bass",
  "buf:7",
  "buf:",
  "builtin:delay",
  "builtin:gain",
  "faust:",
  "set_parameter",
  "breakpoints",
  "audio_rate",
  "ppqn",
  "note",
  "beats",
  "seconds",
  "constructor",
  "toString",
  "hasOwnProperty",
  "x".repeat(129),
  "x".repeat(257),
  "\u0000",
  "\ud800",
  "é",
  "../x",
  "a b",
];

/**
 * Keys to add to an object: real field names (in the wrong place), prototype names ("__proto__"
 * included: a record must refuse it by name, never drop it), junk.
 */
const EDGE_KEYS = [
  "__proto__",
  "version",
  "extensions",
  "type",
  "kind",
  "name",
  "nodes",
  "inputs",
  "output",
  "values",
  "buffer_handle",
  "points",
  "map",
  "bpm",
  "duration_seconds",
  "duration_beats",
  "capture",
  "constructor",
  "toString",
  "valueOf",
  "",
  "x",
];

/** A value to put somewhere: edge numbers and strings, small JSON, empty containers. */
export function edgeValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
    { weight: 3, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.integer() },
  );
}

type Mutation =
  | { kind: "replace"; at: number; value: unknown }
  | { kind: "delete"; at: number }
  | { kind: "add_key"; at: number; key: string; value: unknown }
  | { kind: "duplicate_item"; at: number; item: number }
  | { kind: "copy"; at: number; from: number }
  | { kind: "retype"; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("replace"), at: fc.nat(), value: edgeValue() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete"), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("add_key"),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom(...EDGE_KEYS), fc.string({ maxLength: 8 })),
      value: edgeValue(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicate_item"), at: fc.nat(), item: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("copy"), at: fc.nat(), from: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("retype"), at: fc.nat() }) },
) as fc.Arbitrary<Mutation>;

/**
 * `seed` with one to `maxMutations` mutations applied, at places chosen among all of its values
 * (the root included). The seed itself is never modified.
 * @example
 * fc.sample(mutatedJson(EXAMPLE_RENDER_REQUEST), 1); // the example with, say, channels: "mix"
 */
export function mutatedJson(seed: unknown, maxMutations = 4): fc.Arbitrary<unknown> {
  // Mostly one change: each further one makes an early rejection likelier, and the deep checks
  // (refinements that run once the rest is valid) are reached by inputs that are nearly valid.
  const mutations = fc.oneof(
    { weight: 3, arbitrary: mutation.map((one) => [one]) },
    { weight: 1, arbitrary: fc.array(mutation, { minLength: 2, maxLength: maxMutations }) },
  );
  return mutations.map((list) => list.reduce(applyMutation, structuredClone(seed)));
}

/** A place in a value: the container holding it and its key, or the root. */
interface Slot {
  holder: Record<string, unknown> | unknown[] | null;
  key: string | number;
  value: unknown;
}

function slotsOf(root: unknown): Slot[] {
  const slots: Slot[] = [{ holder: null, key: "", value: root }];
  for (let index = 0; index < slots.length && slots.length < 10_000; index++) {
    const { value } = slots[index] as Slot;
    if (Array.isArray(value)) {
      value.forEach((item, position) => {
        slots.push({ holder: value, key: position, value: item });
      });
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) slots.push({ holder: value, key, value: item });
    }
  }
  return slots;
}

function applyMutation(root: unknown, change: Mutation): unknown {
  const slots = slotsOf(root);
  const slot = slots[change.at % slots.length] as Slot;
  const put = (value: unknown): unknown => {
    if (slot.holder === null) return value;
    setOwn(slot.holder, slot.key, value);
    return root;
  };
  switch (change.kind) {
    case "replace":
      return put(structuredClone(change.value));
    case "delete":
      if (Array.isArray(slot.holder)) slot.holder.splice(slot.key as number, 1);
      else if (slot.holder !== null) delete slot.holder[slot.key as string];
      return root;
    case "add_key":
      if (isRecord(slot.value)) setOwn(slot.value, change.key, structuredClone(change.value));
      return root;
    case "duplicate_item":
      if (Array.isArray(slot.value) && slot.value.length > 0) {
        slot.value.push(structuredClone(slot.value[change.item % slot.value.length]));
      }
      return root;
    case "copy":
      return put(structuredClone((slots[change.from % slots.length] as Slot).value));
    case "retype":
      return put(retyped(slot.value));
  }
}

/** The same information in another JSON type: 3 -> "3", "3" -> 3, [x] -> x, x -> [x], {} -> []. */
function retyped(value: unknown): unknown {
  if (typeof value === "number") return String(value);
  if (typeof value === "string")
    return value.trim() !== "" && !Number.isNaN(Number(value)) ? Number(value) : [value];
  if (typeof value === "boolean") return value ? 1 : 0;
  if (Array.isArray(value)) return value.length === 1 ? value[0] : Object.fromEntries(value.entries());
  if (isRecord(value)) return Object.values(value);
  return {};
}

/** Sets a key as JSON.parse would: an own data property, even for names the prototype has. */
function setOwn(holder: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  Object.defineProperty(holder, key, { value, enumerable: true, writable: true, configurable: true });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Text edits of a JSON document: delete, insert or replace a short run of characters. Most results
 * are not JSON; those that are reach the schema with odd values.
 */
export function mutatedText(text: string): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 8 }),
    insert: fc.oneof(
      fc.constantFrom(
        "",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        '"',
        "\\",
        "0",
        "-",
        "e9",
        "null",
        "\uFEFF",
        "\u0000",
      ),
      fc.string({ maxLength: 4 }),
    ),
  });
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) =>
    edits.reduce((current, { at, remove, insert }) => {
      const position = current.length === 0 ? 0 : at % (current.length + 1);
      return current.slice(0, position) + insert + current.slice(position + remove);
    }, text),
  );
}
