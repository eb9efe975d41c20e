/**
 * Fuzzing the command ring's binary codec (src/dataplane/command-codec.ts).
 *
 * Decoder: arbitrary byte streams, and streams of good and bad records, never make it throw; every
 * value it delivers is in range; each bad record is counted; it consumes exactly what was queued; and
 * good records queued after garbage still decode. Encoder: a command with arbitrary field values is
 * either refused with E_SCHEMA naming the field, or decoded back exactly as encoded.
 */
import fc from "fast-check";
import { expect } from "vitest";

import {
  COMMAND_HEADER_BYTES,
  COMMAND_MAGIC,
  CommandDecoder,
  CommandEncoder,
  CommandType,
  type CommandVisitor,
  type DataPlaneCommand,
  NOW,
} from "../../src/dataplane/command-codec";
import { SpscRing } from "../../src/dataplane/spsc-ring";
import { fuzz } from "./support/harness";
import { EDGE_NUMBERS } from "./support/json-mutations";
import { expectEngineError, outcomeOf } from "./support/outcomes";

const RING_CAPACITY = 8192;

type Bytes = Uint8Array<ArrayBuffer>;

/** A visitor that records each command, and fails (through visitorErrors) on any out-of-range value. */
function checkingVisitor(): CommandVisitor & { commands: DataPlaneCommand[] } {
  const commands: DataPlaneCommand[] = [];
  const check = (ok: boolean, what: string, value: number) => {
    if (!ok) throw new Error(`delivered an out-of-range ${what}: ${value}`);
  };
  const frame = (value: number, what: string) => check(value >= 0 && Number.isFinite(value), what, value);
  const at = (value: number) =>
    check(value === NOW || (value >= 0 && Number.isFinite(value)), "atFrame", value);
  const index = (value: number, what: string) =>
    check(Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff, what, value);
  return {
    commands,
    setParameter(node, param, value, atFrame) {
      index(node, "node");
      index(param, "param");
      check(Number.isFinite(value) && Math.fround(value) === value, "value", value);
      at(atFrame);
      commands.push({ type: "set_parameter", node, param, value, atFrame });
    },
    midi(node, status, data1, data2, atFrame) {
      index(node, "node");
      check(Number.isInteger(status) && status >= 0x80 && status <= 0xff, "status", status);
      check(Number.isInteger(data1) && data1 >= 0 && data1 <= 0x7f, "data1", data1);
      check(Number.isInteger(data2) && data2 >= 0 && data2 <= 0x7f, "data2", data2);
      at(atFrame);
      commands.push({ type: "midi", node, status, data1, data2, atFrame });
    },
    liveMidi(node, status, data1, data2, atFrame) {
      index(node, "node");
      check(Number.isInteger(status) && status >= 0x80 && status <= 0xff, "status", status);
      check(Number.isInteger(data1) && data1 >= 0 && data1 <= 0x7f, "data1", data1);
      check(Number.isInteger(data2) && data2 >= 0 && data2 <= 0x7f, "data2", data2);
      at(atFrame);
      commands.push({ type: "live_midi", node, status, data1, data2, atFrame });
    },
    play(atFrame) {
      at(atFrame);
      commands.push({ type: "play", atFrame });
    },
    pause(atFrame) {
      at(atFrame);
      commands.push({ type: "pause", atFrame });
    },
    stop(atFrame) {
      at(atFrame);
      commands.push({ type: "stop", atFrame });
    },
    seek(positionFrame, atFrame) {
      frame(positionFrame, "positionFrame");
      at(atFrame);
      commands.push({ type: "seek", positionFrame, atFrame });
    },
    setLoop(startFrame, endFrame, enabled, atFrame) {
      frame(startFrame, "startFrame");
      frame(endFrame, "endFrame");
      check(endFrame > startFrame, "endFrame (not after startFrame)", endFrame);
      at(atFrame);
      commands.push({ type: "set_loop", startFrame, endFrame, enabled, atFrame });
    },
    setTempo(bpm, rampFrames, atFrame) {
      check(bpm > 0 && bpm <= 1000, "bpm", bpm);
      frame(rampFrames, "rampFrames");
      at(atFrame);
      commands.push({ type: "set_tempo", bpm, rampFrames, atFrame });
    },
    setMonitoring(enabled, atFrame) {
      check(typeof enabled === "boolean", "enabled", Number(enabled));
      at(atFrame);
      commands.push({ type: "set_monitoring", enabled, atFrame });
    },
  };
}

/** Decodes everything queued; fails the property if a visitor check threw. */
function decodeAll(ring: SpscRing<Uint8Array>, decoder: CommandDecoder) {
  const visitor = checkingVisitor();
  const delivered = decoder.decode(ring, visitor);
  if (decoder.visitorErrors > 0) throw decoder.lastVisitorError;
  expect(delivered).toBe(visitor.commands.length);
  return visitor.commands;
}

// ---- generators ----

const anyNumber = fc.oneof(
  fc.constantFrom(...EDGE_NUMBERS, NOW, 0xffff_ffff, 0x7f, 0x80, 0xff, 0x100, 3.4e38, 3.5e38),
  fc.double(),
  fc.integer(),
  fc.integer({ min: -1, max: 300 }),
);
const goodAt = fc.oneof(fc.constant(NOW), fc.double({ min: 0, max: 2 ** 40, noNaN: true }));
const goodFrame = fc.double({ min: 0, max: 2 ** 40, noNaN: true });

const goodCommand: fc.Arbitrary<DataPlaneCommand> = fc.oneof(
  fc.record({
    type: fc.constant("set_parameter" as const),
    node: fc.nat({ max: 0xffff_ffff }),
    param: fc.nat({ max: 0xffff_ffff }),
    value: fc.float({ noNaN: true, noDefaultInfinity: true }),
    atFrame: goodAt,
  }),
  fc.record({
    type: fc.constantFrom("midi" as const, "live_midi" as const),
    node: fc.nat({ max: 0xffff_ffff }),
    status: fc.integer({ min: 0x80, max: 0xff }),
    data1: fc.integer({ min: 0, max: 0x7f }),
    data2: fc.integer({ min: 0, max: 0x7f }),
    atFrame: goodAt,
  }),
  fc.record({ type: fc.constantFrom("play" as const, "pause" as const, "stop" as const), atFrame: goodAt }),
  fc.record({ type: fc.constant("seek" as const), positionFrame: goodFrame, atFrame: goodAt }),
  fc
    .record({
      type: fc.constant("set_loop" as const),
      startFrame: goodFrame,
      length: fc.double({ min: 1, max: 2 ** 30, noNaN: true }),
      enabled: fc.boolean(),
      atFrame: goodAt,
    })
    .map(({ length, ...loop }) => ({ ...loop, endFrame: loop.startFrame + length })),
  fc.record({
    type: fc.constant("set_tempo" as const),
    bpm: fc.double({ min: 1e-3, max: 1000, noNaN: true }),
    rampFrames: goodFrame,
    atFrame: goodAt,
  }),
  fc.record({ type: fc.constant("set_monitoring" as const), enabled: fc.boolean(), atFrame: goodAt }),
);

/** A command of any type with any values in its fields: what a buggy client could pass. */
const anyCommand: fc.Arbitrary<DataPlaneCommand> = fc.oneof(
  fc.record({
    type: fc.constant("set_parameter" as const),
    node: anyNumber,
    param: anyNumber,
    value: anyNumber,
    atFrame: anyNumber,
  }),
  fc.record({
    type: fc.constant("midi" as const),
    node: anyNumber,
    status: anyNumber,
    data1: anyNumber,
    data2: anyNumber,
    atFrame: anyNumber,
  }),
  fc.record(
    { type: fc.constantFrom("play" as const, "pause" as const, "stop" as const), atFrame: anyNumber },
    { requiredKeys: ["type"] },
  ),
  fc.record({ type: fc.constant("seek" as const), positionFrame: anyNumber, atFrame: anyNumber }),
  fc.record({
    type: fc.constant("set_loop" as const),
    startFrame: anyNumber,
    endFrame: anyNumber,
    enabled: fc.boolean(),
    atFrame: anyNumber,
  }),
  fc.record(
    { type: fc.constant("set_tempo" as const), bpm: anyNumber, rampFrames: anyNumber, atFrame: anyNumber },
    { requiredKeys: ["type", "bpm"] },
  ),
);

/**
 * A command whose type is not one: as an untyped caller (JavaScript, a decoded message) could pass.
 * JSON.parse gives the value without a type, as it would arrive.
 */
const untypedCommand: fc.Arbitrary<DataPlaneCommand> = fc
  .record({
    type: fc.oneof(
      fc.constantFrom("toString", "constructor", "__proto__", "valueOf", "rewind", ""),
      fc.string(),
    ),
    atFrame: anyNumber,
  })
  .map((command) => JSON.parse(JSON.stringify(command)));

function encoded(command: DataPlaneCommand): Bytes {
  const ring = SpscRing.create(64, Uint8Array, { shared: false });
  new CommandEncoder().encode(command, ring);
  const bytes = new Uint8Array(ring.availableRead());
  ring.pop(bytes);
  return bytes;
}

/** A record with good framing that the decoder must refuse, and why. */
const badRecord: fc.Arbitrary<Bytes> = fc.oneof(
  // An unknown type code, with any payload length.
  fc
    .tuple(
      fc.integer({ min: 0, max: 255 }).filter((type) => !Object.values<number>(CommandType).includes(type)),
      fc.uint8Array({ maxLength: 24 }),
    )
    .map(([type, payload]) => record(type, payload)),
  // A known type with a payload of the wrong length.
  fc
    .tuple(fc.constantFrom(...Object.values(CommandType)), fc.uint8Array({ maxLength: 24 }))
    .filter(([type, payload]) => payload.length !== encoded(sample(type)).length - COMMAND_HEADER_BYTES)
    .map(([type, payload]) => record(type, payload)),
  // A good record with one value out of range.
  fc.tuple(goodCommand, fc.nat()).map(([command, choice]) => outOfRange(command, choice)),
);

function record(type: number, payload: Bytes): Bytes {
  const bytes = new Uint8Array(COMMAND_HEADER_BYTES + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, COMMAND_MAGIC);
  view.setUint8(1, type);
  view.setUint16(2, bytes.length, true);
  view.setFloat64(4, NOW, true);
  bytes.set(payload, COMMAND_HEADER_BYTES);
  return bytes;
}

function sample(type: number): DataPlaneCommand {
  const name = Object.entries(CommandType).find(([, code]) => code === type)?.[0];
  switch (name) {
    case "set_parameter":
      return { type: "set_parameter", node: 0, param: 0, value: 0 };
    case "midi":
    case "live_midi":
      return { type: name, node: 0, status: 0x90, data1: 0, data2: 0 };
    case "seek":
      return { type: "seek", positionFrame: 0 };
    case "set_loop":
      return { type: "set_loop", startFrame: 0, endFrame: 1, enabled: true };
    case "set_tempo":
      return { type: "set_tempo", bpm: 120 };
    case "set_monitoring":
      return { type: "set_monitoring", enabled: true };
    default:
      return { type: "play" };
  }
}

/** The record of `command` with one field overwritten by a value the decoder must refuse. */
function outOfRange(command: DataPlaneCommand, choice: number): Bytes {
  const bytes = encoded(command);
  const view = new DataView(bytes.buffer);
  const p = COMMAND_HEADER_BYTES;
  const badAt = [-2, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const badFrame = [-1, -1e-9, Number.NaN, Number.POSITIVE_INFINITY];
  const pick = <T>(values: T[]) => values[choice % values.length] as T;
  const fields: (() => void)[] = [() => view.setFloat64(4, pick(badAt), true)];
  switch (command.type) {
    case "set_parameter":
      fields.push(() =>
        view.setFloat32(p + 8, pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]), true),
      );
      break;
    case "midi":
      fields.push(
        () => view.setUint8(p + 4, choice % 0x80),
        () => view.setUint8(p + 5, 0x80 + (choice % 0x80)),
        () => view.setUint8(p + 6, 0x80 + (choice % 0x80)),
      );
      break;
    case "seek":
      fields.push(() => view.setFloat64(p, pick(badFrame), true));
      break;
    case "set_loop":
      fields.push(
        () => view.setFloat64(p, pick(badFrame), true),
        () => view.setFloat64(p + 8, command.startFrame - (choice % 2), true),
        () => view.setUint32(p + 16, 2 + choice, true),
      );
      break;
    case "set_tempo":
      fields.push(
        () => view.setFloat64(p, pick([0, -1, 1000.0001, Number.NaN, Number.POSITIVE_INFINITY]), true),
        () => view.setFloat64(p + 8, pick(badFrame), true),
      );
      break;
    case "set_monitoring":
      fields.push(() => view.setUint32(p, 2 + choice, true));
      break;
  }
  pick(fields)();
  return bytes;
}

/** Bytes with no structure, or with some: record headers, whole records, fragments of records. */
const byteStream: fc.Arbitrary<Bytes> = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      goodCommand.map(encoded),
      badRecord,
      fc
        .tuple(goodCommand.map(encoded), fc.nat())
        .map(([bytes, cut]) => bytes.subarray(0, cut % bytes.length)),
      fc.tuple(fc.nat({ max: 255 }), fc.nat({ max: 0xffff })).map(([type, length]) => {
        const header = new Uint8Array(COMMAND_HEADER_BYTES);
        header[0] = COMMAND_MAGIC;
        header[1] = type;
        new DataView(header.buffer).setUint16(2, length, true);
        return header;
      }),
    ),
    { maxLength: 24 },
  )
  .map(concat);

function concat(parts: Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const ringWith = (bytes: Bytes) => {
  const ring = SpscRing.create(RING_CAPACITY, Uint8Array, { shared: false });
  expect(ring.pushAll(bytes)).toBe(true);
  return ring;
};

// ---- properties ----

fuzz(
  "CommandDecoder on arbitrary byte streams: never throws, delivers only in-range values, recovers",
  byteStream,
  (bytes) => {
    const ring = ringWith(bytes);
    const decoder = new CommandDecoder();
    const commands = decodeAll(ring, decoder);
    // It consumed all that was queued, and said something about every byte of it.
    expect(ring.availableRead()).toBe(0);
    if (bytes.length > 0) expect(commands.length + decoder.badCommands).toBeGreaterThan(0);
    // Whatever came before, records queued next decode exactly.
    const bad = decoder.badCommands;
    const next: DataPlaneCommand[] = [
      { type: "play", atFrame: NOW },
      { type: "seek", positionFrame: 96, atFrame: 7 },
    ];
    const encoder = new CommandEncoder();
    for (const command of next) encoder.encode(command, ring);
    expect(decodeAll(ring, decoder)).toEqual(next);
    expect(decoder.badCommands).toBe(bad);
  },
  { quickRuns: 120, inputBytes: (bytes) => bytes.length },
);

fuzz(
  "CommandDecoder on good and bad records: delivers exactly the good ones, counts each bad one",
  fc.array(
    fc.oneof(
      goodCommand.map((command) => ({ command })),
      badRecord.map((bytes) => ({ bytes })),
    ),
    { maxLength: 40 },
  ),
  (items) => {
    const ring = ringWith(
      concat(items.map((item) => ("command" in item ? encoded(item.command) : item.bytes))),
    );
    const decoder = new CommandDecoder();
    const expected = items.flatMap((item) => ("command" in item ? [withDefaults(item.command)] : []));
    expect(decodeAll(ring, decoder)).toEqual(expected);
    expect(decoder.badCommands).toBe(items.length - expected.length);
  },
  { quickRuns: 120 },
);

fuzz(
  "CommandEncoder on commands with arbitrary values: E_SCHEMA naming the field, or an exact round trip",
  fc.oneof({ weight: 6, arbitrary: anyCommand }, { weight: 1, arbitrary: untypedCommand }),
  (command) => {
    const ring = SpscRing.create(64, Uint8Array, { shared: false });
    const taken = outcomeOf(
      () => new CommandEncoder().encode(command, ring),
      (error) => {
        expectEngineError(error, ["E_SCHEMA"], {
          rootLabel: Object.hasOwn(CommandType, command.type) ? command.type : "type",
        });
        expect(ring.availableRead()).toBe(0);
      },
    );
    if (taken === undefined) return;
    expect(taken).toBe(true);
    const decoder = new CommandDecoder();
    expect(decodeAll(ring, decoder)).toEqual([withDefaults(command)]);
    expect(decoder.badCommands).toBe(0);
  },
  { quickRuns: 150 },
);

fuzz(
  "CommandEncoder into a small ring: a record is queued whole or not at all",
  fc.tuple(fc.integer({ min: 1, max: 80 }), fc.array(goodCommand, { maxLength: 12 })),
  ([capacity, commands]) => {
    const ring = SpscRing.create(capacity, Uint8Array, { shared: false });
    const encoder = new CommandEncoder();
    const taken = commands.filter((command) => encoder.encode(command, ring));
    const decoder = new CommandDecoder();
    expect(decodeAll(ring, decoder)).toEqual(taken.map(withDefaults));
    expect(decoder.badCommands).toBe(0);
  },
  { quickRuns: 60 },
);

/**
 * A command as the decoder gives it back: defaults filled in, the value rounded to float32, integer
 * fields as unsigned integers (an index of -0 is index 0: `+ 0` turns -0 into 0).
 */
function withDefaults(command: DataPlaneCommand): DataPlaneCommand {
  const atFrame = command.atFrame ?? NOW;
  switch (command.type) {
    case "set_parameter":
      return {
        ...command,
        node: command.node + 0,
        param: command.param + 0,
        value: Math.fround(command.value),
        atFrame,
      };
    case "midi":
      return {
        ...command,
        node: command.node + 0,
        status: command.status,
        data1: command.data1 + 0,
        data2: command.data2 + 0,
        atFrame,
      };
    case "set_tempo":
      return { ...command, rampFrames: command.rampFrames ?? 0, atFrame };
    default:
      return { ...command, atFrame };
  }
}
