/**
 * Mutations of valid binary files (WAV, MIDI): a byte changed anywhere but mostly in the header, a
 * 32-bit field (a chunk length) set to an edge value in either byte order, the file cut short, or
 * bytes added at its end.
 */
import fc from "fast-check";

/** Bytes backed by a plain ArrayBuffer (what the generators produce and the parsers take). */
export type Bytes = Uint8Array<ArrayBuffer>;

/** 32-bit values at the edges of chunk lengths: empty, tiny, odd, around the header sizes, huge. */
export const EDGE_U32 = [
  0, 1, 2, 3, 4, 6, 15, 16, 17, 18, 39, 40, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff,
];

type Edit =
  | { kind: "byte"; at: number; value: number }
  | { kind: "u32"; at: number; value: number; littleEndian: boolean }
  | { kind: "cut"; at: number }
  | { kind: "append"; bytes: Bytes };

/**
 * One change to a file; `headerBytes` is where most byte changes land, the header and the first
 * chunk headers being where a parser makes its decisions.
 * @example
 * fc.tuple(validWav, fc.array(byteEdit(80))).map(([bytes, edits]) => applyEdits(bytes, edits));
 */
export function byteEdit(headerBytes: number): fc.Arbitrary<Edit> {
  return fc.oneof(
    fc.record({
      kind: fc.constant("byte" as const),
      at: fc.oneof(fc.nat({ max: headerBytes }), fc.nat()),
      value: fc.oneof(fc.nat({ max: 255 }), fc.constantFrom(0, 0x7f, 0x80, 0xff)),
    }),
    fc.record({
      kind: fc.constant("u32" as const),
      at: fc.nat({ max: headerBytes }),
      value: fc.constantFrom(...EDGE_U32),
      littleEndian: fc.boolean(),
    }),
    fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
    fc.record({ kind: fc.constant("append" as const), bytes: fc.uint8Array({ maxLength: 32 }) }),
  );
}

/** `bytes` with `edits` applied in order (a copy; `bytes` is not changed). */
export function applyEdits(bytes: Bytes, edits: readonly Edit[]): Bytes {
  let out = bytes.slice();
  for (const change of edits) {
    if (out.length === 0) break;
    switch (change.kind) {
      case "byte":
        out[change.at % out.length] = change.value;
        break;
      case "u32":
        if (change.at + 4 <= out.length) {
          new DataView(out.buffer).setUint32(change.at, change.value, change.littleEndian);
        }
        break;
      case "cut":
        out = out.slice(0, change.at % out.length);
        break;
      case "append": {
        const longer = new Uint8Array(out.length + change.bytes.length);
        longer.set(out);
        longer.set(change.bytes, out.length);
        out = longer;
        break;
      }
    }
  }
  return out;
}

/** A copy of `bytes` in a plain ArrayBuffer of its own. */
export function bytesOf(bytes: Uint8Array): Bytes {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

/**
 * `arbitrary`'s value one time in `oneIn`, else null (meaning: leave the field right). Built inputs
 * get one thing wrong at a time, so a case gets past the checks before the one it aims at.
 * @example
 * blockAlign: rarely(fc.constantFrom(0, 3, 0xffff)), // null: the right block align
 */
export function rarely<T>(arbitrary: fc.Arbitrary<T>, oneIn = 5): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}
