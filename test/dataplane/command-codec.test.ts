import { describe, expect, it } from "vitest";

import { EngineError } from "../../src/contracts/errors";
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

/** A visitor that turns calls back into commands, to compare with what was encoded. */
function recorder(): CommandVisitor & { commands: DataPlaneCommand[] } {
  const commands: DataPlaneCommand[] = [];
  return {
    commands,
    setParameter: (node, param, value, atFrame) =>
      commands.push({ type: "set_parameter", node, param, value, atFrame }),
    midi: (node, status, data1, data2, atFrame) =>
      commands.push({ type: "midi", node, status, data1, data2, atFrame }),
    liveMidi: (node, status, data1, data2, atFrame) =>
      commands.push({ type: "live_midi", node, status, data1, data2, atFrame }),
    play: (atFrame) => commands.push({ type: "play", atFrame }),
    pause: (atFrame) => commands.push({ type: "pause", atFrame }),
    stop: (atFrame) => commands.push({ type: "stop", atFrame }),
    seek: (positionFrame, atFrame) => commands.push({ type: "seek", positionFrame, atFrame }),
    setLoop: (startFrame, endFrame, enabled, atFrame) =>
      commands.push({ type: "set_loop", startFrame, endFrame, enabled, atFrame }),
    setTempo: (bpm, rampFrames, atFrame) => commands.push({ type: "set_tempo", bpm, rampFrames, atFrame }),
    setMonitoring: (enabled, atFrame) => commands.push({ type: "set_monitoring", enabled, atFrame }),
  };
}

const EVERY_TYPE: DataPlaneCommand[] = [
  { type: "set_parameter", node: 3, param: 1, value: 440.5, atFrame: 0 },
  { type: "set_parameter", node: 4294967295, param: 0, value: -0.125, atFrame: NOW },
  { type: "midi", node: 7, status: 0x90, data1: 60, data2: 127, atFrame: 96000 },
  { type: "midi", node: 0, status: 0xe0, data1: 0, data2: 64, atFrame: NOW },
  { type: "live_midi", node: 2, status: 0x91, data1: 61, data2: 90, atFrame: NOW },
  { type: "live_midi", node: 2, status: 0x81, data1: 61, data2: 0, atFrame: 4800 },
  { type: "play", atFrame: NOW },
  { type: "pause", atFrame: 1234.5 },
  { type: "stop", atFrame: 2 ** 40 },
  { type: "seek", positionFrame: 480000, atFrame: NOW },
  { type: "set_loop", startFrame: 48000, endFrame: 96000, enabled: true, atFrame: NOW },
  { type: "set_loop", startFrame: 0, endFrame: 1, enabled: false, atFrame: 5 },
  { type: "set_tempo", bpm: 128, rampFrames: 24000, atFrame: NOW },
  { type: "set_tempo", bpm: 1000, rampFrames: 0, atFrame: 0 },
  { type: "set_monitoring", enabled: true, atFrame: NOW },
  { type: "set_monitoring", enabled: false, atFrame: 96 },
];

function roundTrip(commands: DataPlaneCommand[], ring = SpscRing.create(4096, Uint8Array)) {
  const encoder = new CommandEncoder();
  for (const command of commands) expect(encoder.encode(command, ring)).toBe(true);
  const decoder = new CommandDecoder();
  const visitor = recorder();
  const delivered = decoder.decode(ring, visitor);
  return { delivered, decoded: visitor.commands, decoder, ring };
}

describe("command codec round trips", () => {
  it("decodes every command type exactly as encoded, in order", () => {
    const { delivered, decoded, decoder, ring } = roundTrip(EVERY_TYPE);
    expect(delivered).toBe(EVERY_TYPE.length);
    expect(decoded).toEqual(EVERY_TYPE);
    expect(decoder.badCommands).toBe(0);
    expect(ring.isEmpty()).toBe(true);
  });

  it("fills in the defaults: atFrame now, no tempo ramp", () => {
    const { decoded } = roundTrip([{ type: "play" }, { type: "set_tempo", bpm: 90 }]);
    expect(decoded).toEqual([
      { type: "play", atFrame: NOW },
      { type: "set_tempo", bpm: 90, rampFrames: 0, atFrame: NOW },
    ]);
  });

  it("stores values as little-endian records with the documented header", () => {
    const ring = SpscRing.create(64, Uint8Array);
    new CommandEncoder().encode(
      { type: "set_parameter", node: 0x01020304, param: 2, value: 1, atFrame: 8 },
      ring,
    );
    const bytes = new Uint8Array(24);
    expect(ring.pop(bytes)).toBe(24);
    const view = new DataView(bytes.buffer);
    expect(view.getUint8(0)).toBe(COMMAND_MAGIC);
    expect(view.getUint8(1)).toBe(CommandType.set_parameter);
    expect(view.getUint16(2, true)).toBe(24);
    expect(view.getFloat64(4, true)).toBe(8);
    expect([...bytes.subarray(12, 16)]).toEqual([4, 3, 2, 1]);
    expect(view.getFloat32(20, true)).toBe(1);
  });

  it("decodes records that straddle the end of the ring", () => {
    // 13-byte ring capacity: records of 12..32 bytes wrap at every possible split over many laps.
    const ring = SpscRing.create(45, Uint8Array);
    const encoder = new CommandEncoder();
    const decoder = new CommandDecoder();
    const visitor = recorder();
    const sent: DataPlaneCommand[] = [];
    for (let i = 0; i < 500; i++) {
      const command = EVERY_TYPE[i % EVERY_TYPE.length] as DataPlaneCommand;
      if (!encoder.encode(command, ring)) {
        decoder.decode(ring, visitor);
        expect(encoder.encode(command, ring)).toBe(true);
      }
      sent.push(command);
    }
    decoder.decode(ring, visitor);
    expect(visitor.commands).toEqual(sent);
    expect(decoder.badCommands).toBe(0);
  });

  it("writes a whole record or nothing: a full ring refuses it and counts an overflow", () => {
    const ring = SpscRing.create(50, Uint8Array);
    const encoder = new CommandEncoder();
    const setParameter: DataPlaneCommand = { type: "set_parameter", node: 1, param: 2, value: 3 };
    expect(encoder.encode(setParameter, ring)).toBe(true); // 24 bytes
    expect(encoder.encode(setParameter, ring)).toBe(true); // 48
    expect(encoder.encode(setParameter, ring)).toBe(false); // 2 bytes free: nothing written
    expect(ring.availableRead()).toBe(48);
    expect(ring.overflowCount()).toBe(1);
    expect(encoder.encode({ type: "play" }, ring)).toBe(false);
    expect(ring.overflowCount()).toBe(2);
    const visitor = recorder();
    expect(new CommandDecoder().decode(ring, visitor)).toBe(2);
  });

  it("decodes only what was queued when it started (bounded per quantum)", () => {
    const ring = SpscRing.create(256, Uint8Array);
    const encoder = new CommandEncoder();
    encoder.encode({ type: "play" }, ring);
    const visitor = recorder();
    // A command that arrives while decoding waits for the next quantum.
    const original = visitor.play;
    visitor.play = (atFrame) => {
      original(atFrame);
      encoder.encode({ type: "stop" }, ring);
    };
    const decoder = new CommandDecoder();
    expect(decoder.decode(ring, visitor)).toBe(1);
    expect(decoder.decode(ring, visitor)).toBe(1);
    expect(visitor.commands.map((command) => command.type)).toEqual(["play", "stop"]);
  });
});

describe("command codec corruption handling", () => {
  /** Pushes raw bytes as one record, as a buggy or newer client would. */
  function pushRaw(
    ring: SpscRing<Uint8Array>,
    type: number,
    payload: number[],
    options: { magic?: number; length?: number } = {},
  ) {
    const bytes = new Uint8Array(COMMAND_HEADER_BYTES + payload.length);
    const view = new DataView(bytes.buffer);
    view.setUint8(0, options.magic ?? COMMAND_MAGIC);
    view.setUint8(1, type);
    view.setUint16(2, options.length ?? bytes.length, true);
    view.setFloat64(4, NOW, true);
    bytes.set(payload, COMMAND_HEADER_BYTES);
    expect(ring.pushAll(bytes)).toBe(true);
  }

  function decodeAll(ring: SpscRing<Uint8Array>) {
    const decoder = new CommandDecoder();
    const visitor = recorder();
    decoder.decode(ring, visitor);
    return { decoder, types: visitor.commands.map((command) => command.type) };
  }

  it("skips a record of an unknown type by its length, counts it, and goes on", () => {
    const ring = SpscRing.create(256, Uint8Array);
    const encoder = new CommandEncoder();
    encoder.encode({ type: "play" }, ring);
    pushRaw(ring, 200, [1, 2, 3, 4, 5, 6, 7]); // a type from a newer client
    pushRaw(ring, 0, []);
    encoder.encode({ type: "stop" }, ring);
    const { decoder, types } = decodeAll(ring);
    expect(types).toEqual(["play", "stop"]);
    expect(decoder.badCommands).toBe(2);
    expect(ring.isEmpty()).toBe(true);
  });

  it("skips a known type with the wrong length", () => {
    const ring = SpscRing.create(256, Uint8Array);
    pushRaw(ring, CommandType.seek, [0, 0, 0, 0]); // seek needs 8 payload bytes
    pushRaw(ring, CommandType.play, [9]); // play has none
    new CommandEncoder().encode({ type: "pause" }, ring);
    const { decoder, types } = decodeAll(ring);
    expect(types).toEqual(["pause"]);
    expect(decoder.badCommands).toBe(2);
  });

  it("skips records whose values are out of range", () => {
    const ring = SpscRing.create(512, Uint8Array);
    const f64 = (value: number) => [...new Uint8Array(Float64Array.of(value).buffer)];
    const f32 = (value: number) => [...new Uint8Array(Float32Array.of(value).buffer)];
    pushRaw(ring, CommandType.seek, f64(Number.NaN));
    pushRaw(ring, CommandType.seek, f64(-5));
    pushRaw(ring, CommandType.set_tempo, [...f64(0), ...f64(0)]);
    pushRaw(ring, CommandType.set_loop, [...f64(10), ...f64(5), 1, 0, 0, 0]);
    pushRaw(ring, CommandType.set_loop, [...f64(0), ...f64(5), 7, 0, 0, 0]);
    pushRaw(ring, CommandType.midi, [0, 0, 0, 0, 0x40, 1, 1, 0]); // running status byte, not a status
    pushRaw(ring, CommandType.set_parameter, [0, 0, 0, 0, 0, 0, 0, 0, ...f32(Number.POSITIVE_INFINITY)]);
    new CommandEncoder().encode({ type: "play" }, ring);
    const { decoder, types } = decodeAll(ring);
    expect(types).toEqual(["play"]);
    expect(decoder.badCommands).toBe(7);
  });

  it("drops what is queued once framing is lost (bad magic, impossible length), then resumes", () => {
    const ring = SpscRing.create(256, Uint8Array);
    const encoder = new CommandEncoder();
    encoder.encode({ type: "play" }, ring);
    pushRaw(ring, CommandType.play, [], { magic: 0x00 });
    encoder.encode({ type: "stop" }, ring); // behind the broken header: cannot be trusted
    let result = decodeAll(ring);
    expect(result.types).toEqual(["play"]);
    expect(result.decoder.badCommands).toBe(1);
    expect(ring.isEmpty()).toBe(true);

    pushRaw(ring, CommandType.play, [], { length: 4 }); // shorter than a header
    result = decodeAll(ring);
    expect(result.decoder.badCommands).toBe(1);
    pushRaw(ring, CommandType.play, [], { length: 60000 }); // longer than what is queued
    result = decodeAll(ring);
    expect(result.decoder.badCommands).toBe(1);

    ring.pushAll(Uint8Array.of(COMMAND_MAGIC, 3, 12)); // a fragment shorter than a header
    result = decodeAll(ring);
    expect(result.decoder.badCommands).toBe(1);
    expect(ring.isEmpty()).toBe(true);

    encoder.encode({ type: "pause" }, ring);
    expect(decodeAll(ring).types).toEqual(["pause"]);
  });

  it("never throws into the audio thread: a visitor that throws is counted, decoding goes on", () => {
    const ring = SpscRing.create(256, Uint8Array);
    const encoder = new CommandEncoder();
    for (const type of ["play", "pause", "stop"] as const) encoder.encode({ type }, ring);
    const visitor = recorder();
    visitor.pause = () => {
      throw new Error("host bug");
    };
    const decoder = new CommandDecoder();
    expect(() => decoder.decode(ring, visitor)).not.toThrow();
    expect(visitor.commands.map((command) => command.type)).toEqual(["play", "stop"]);
    expect(decoder.visitorErrors).toBe(1);
    expect(String(decoder.lastVisitorError)).toContain("host bug");
  });

  it("survives random garbage: never throws, and decodes good records that follow", () => {
    const ring = SpscRing.create(4096, Uint8Array);
    const encoder = new CommandEncoder();
    const decoder = new CommandDecoder();
    let seed = 5;
    const random = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let round = 0; round < 300; round++) {
      const garbage = Uint8Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
        Math.floor(random() * 256),
      );
      if (random() < 0.5) garbage[0] = COMMAND_MAGIC;
      ring.pushAll(garbage);
      expect(() => decoder.decode(ring, recorder())).not.toThrow();
      expect(ring.isEmpty()).toBe(true);
      const visitor = recorder();
      encoder.encode({ type: "seek", positionFrame: round }, ring);
      decoder.decode(ring, visitor);
      expect(visitor.commands).toEqual([{ type: "seek", positionFrame: round, atFrame: NOW }]);
    }
    expect(decoder.badCommands).toBeGreaterThan(100);
  });
});

describe("command encoder validation", () => {
  it.each([
    [{ type: "set_parameter", node: -1, param: 0, value: 1 }, "set_parameter.node"],
    [{ type: "set_parameter", node: 0, param: 1.5, value: 1 }, "set_parameter.param"],
    [{ type: "set_parameter", node: 0, param: 0, value: Number.NaN }, "set_parameter.value"],
    [{ type: "set_parameter", node: 0, param: 0, value: 1e39 }, "set_parameter.value"],
    [{ type: "midi", node: 0, status: 0x40, data1: 0, data2: 0 }, "midi.status"],
    [{ type: "midi", node: 0, status: 0x90, data1: 128, data2: 0 }, "midi.data1"],
    [{ type: "seek", positionFrame: -1 }, "seek.positionFrame"],
    [{ type: "set_loop", startFrame: 10, endFrame: 10, enabled: true }, "set_loop.endFrame"],
    [{ type: "set_tempo", bpm: 0 }, "set_tempo.bpm"],
    [{ type: "play", atFrame: -2 }, "play.atFrame"],
    [{ type: "teleport" }, "type"],
    // Found by the fuzz suite: names on Object.prototype were taken as types, and encode returned
    // true having queued nothing.
    [{ type: "toString" }, "type"],
    [{ type: "__proto__" }, "type"],
  ] as [DataPlaneCommand, string][])("rejects %j with E_SCHEMA at %s, writing nothing", (command, path) => {
    const ring = SpscRing.create(64, Uint8Array);
    let error: unknown;
    try {
      new CommandEncoder().encode(command, ring);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe("E_SCHEMA");
    expect((error as EngineError).path).toBe(path);
    expect(ring.isEmpty()).toBe(true);
  });
});
