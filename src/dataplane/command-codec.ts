/**
 * The command ring's binary format: engine commands (client → audio thread) as compact
 * little-endian records in a byte ring (SpscRing<Uint8Array>, or PortRing<Uint8Array> without
 * shared memory). The client encodes resolved commands (node and parameter indices, frames: names and
 * seconds are resolved before encoding); the audio thread decodes them at the start of each quantum,
 * without allocating, into calls on a visitor.
 *
 * Record layout (byte offsets in the record; little-endian; no alignment assumed):
 *
 * ```
 *  0  u8   magic        0xD5: a record starts here (catches lost framing)
 *  1  u8   type         CommandType
 *  2  u16  length       bytes in the whole record, header included
 *  4  f64  atFrame      frame on the transport timeline to apply it at; -1 = as soon as decoded
 * 12  ...  payload      per type:
 *      set_parameter  u32 node, u32 param, f32 value                        (12 bytes)
 *      midi           u32 node, u8 status, u8 data1, u8 data2, u8 0         (8)
 *      live_midi      as midi: a message played live (sendMidi), recorded     (8)
 *      play, pause, stop                                                    (0)
 *      seek           f64 positionFrame                                     (8)
 *      set_loop       f64 startFrame, f64 endFrame, u32 enabled (0 or 1)    (20)
 *      set_tempo      f64 bpm, f64 rampFrames                               (16)
 *      set_monitoring u32 enabled (0 or 1)                                  (4)
 * ```
 *
 * Invariants:
 * - A record is published by one `pushAll`: it is in the ring whole or not at all. When it does not
 *   fit, `encode` returns false and the ring counts an overflow; nothing partial is ever visible.
 * - `decode` consumes only what was published when it started (one quantum's worth, bounded), and
 *   never throws: a record with an unknown type, a length its type does not have, or values out of
 *   range is skipped by its length and counted in `badCommands`; a header that is not a record
 *   (bad magic, impossible length) means framing is lost, so the rest of what is queued is dropped
 *   and counted once. Decoding then goes on with what arrives next.
 * - A visitor that throws is the host's bug: the error is counted and kept in `lastVisitorError`,
 *   never rethrown into the audio thread.
 */
import { EngineError } from "../contracts/errors";

/** A byte ring the codec reads and writes: SpscRing<Uint8Array> or PortRing<Uint8Array>. */
export interface CommandRing {
  pushAll(source: Uint8Array, length?: number, offset?: number): boolean;
  pop(target: Uint8Array, length?: number, offset?: number): number;
  skip(count: number): number;
  availableRead(): number;
}

/** Record type codes (the `type` byte). Add codes; never renumber one. */
export const CommandType = {
  set_parameter: 1,
  midi: 2,
  play: 3,
  pause: 4,
  stop: 5,
  seek: 6,
  set_loop: 7,
  set_tempo: 8,
  live_midi: 9,
  set_monitoring: 10,
} as const;

/** 0xD5: the first byte of every record. */
export const COMMAND_MAGIC = 0xd5;
/** Bytes in a record header. */
export const COMMAND_HEADER_BYTES = 12;
/** `atFrame` meaning "as soon as it is decoded". */
export const NOW = -1;

/** Payload bytes of each type, indexed by type code; -1 for codes that are not a type. */
const PAYLOAD_BYTES = new Int16Array(256).fill(-1);
PAYLOAD_BYTES[CommandType.set_parameter] = 12;
PAYLOAD_BYTES[CommandType.midi] = 8;
PAYLOAD_BYTES[CommandType.play] = 0;
PAYLOAD_BYTES[CommandType.pause] = 0;
PAYLOAD_BYTES[CommandType.stop] = 0;
PAYLOAD_BYTES[CommandType.seek] = 8;
PAYLOAD_BYTES[CommandType.set_loop] = 20;
PAYLOAD_BYTES[CommandType.set_tempo] = 16;
PAYLOAD_BYTES[CommandType.live_midi] = 8;
PAYLOAD_BYTES[CommandType.set_monitoring] = 4;

/** The largest record, header included. */
export const MAX_COMMAND_BYTES = COMMAND_HEADER_BYTES + 20;

/** A command as the client encodes it. `atFrame` defaults to NOW (-1). */
export type DataPlaneCommand =
  | { type: "set_parameter"; node: number; param: number; value: number; atFrame?: number }
  | {
      type: "midi" | "live_midi";
      node: number;
      status: number;
      data1: number;
      data2: number;
      atFrame?: number;
    }
  | { type: "play" | "pause" | "stop"; atFrame?: number }
  | { type: "seek"; positionFrame: number; atFrame?: number }
  | { type: "set_loop"; startFrame: number; endFrame: number; enabled: boolean; atFrame?: number }
  | { type: "set_tempo"; bpm: number; rampFrames?: number; atFrame?: number }
  | { type: "set_monitoring"; enabled: boolean; atFrame?: number };

/**
 * What the audio thread does with each decoded command: one method per type, called with numbers
 * (never an object), `atFrame` last (-1 = now). Implement it once, on an object kept for the
 * engine's life.
 */
export interface CommandVisitor {
  /**
   * Set parameter `param` of node `node` (indices in the loaded graph) to `value` (a float32).
   * @example
   * // what decode() calls for { type: "set_parameter", node: 3, param: 0, value: 440, atFrame: 96000 }
   * engineCommands.setParameter(3, 0, 440, 96000);
   */
  setParameter(node: number, param: number, value: number, atFrame: number): void;
  /**
   * Deliver a MIDI message (status >= 0x80; data bytes <= 0x7f) to node `node`.
   * @example
   * // what decode() calls for { type: "midi", node: 2, status: 0x90, data1: 60, data2: 100 }: note on, now
   * engineCommands.midi(2, 0x90, 60, 100, NOW);
   */
  midi(node: number, status: number, data1: number, data2: number, atFrame: number): void;
  /**
   * Deliver a MIDI message played live (EngineClient.sendMidi) to node `node`: as midi(), and a
   * MIDI recording in progress records it with the frame it applies on.
   * @example
   * // what decode() calls for { type: "live_midi", node: 2, status: 0x90, data1: 60, data2: 100 }
   * engineCommands.liveMidi(2, 0x90, 60, 100, NOW);
   */
  liveMidi(node: number, status: number, data1: number, data2: number, atFrame: number): void;
  /**
   * Start (or resume) the transport.
   * @example
   * engineCommands.play(NOW); // decoded from { type: "play" }
   */
  play(atFrame: number): void;
  /**
   * Stop the transport, keeping its position.
   * @example
   * engineCommands.pause(NOW); // decoded from { type: "pause" }
   */
  pause(atFrame: number): void;
  /**
   * Stop the transport and return to frame 0.
   * @example
   * engineCommands.stop(NOW); // decoded from { type: "stop" }
   */
  stop(atFrame: number): void;
  /**
   * Move the playhead to `positionFrame`.
   * @example
   * engineCommands.seek(48000, NOW); // decoded from { type: "seek", positionFrame: 48000 }
   */
  seek(positionFrame: number, atFrame: number): void;
  /**
   * Set the loop region (`endFrame` > `startFrame`) and whether looping is on.
   * @example
   * // decoded from { type: "set_loop", startFrame: 0, endFrame: 192000, enabled: true }
   * engineCommands.setLoop(0, 192000, true, NOW);
   */
  setLoop(startFrame: number, endFrame: number, enabled: boolean, atFrame: number): void;
  /**
   * Change the tempo to `bpm` (0 < bpm <= 1000), ramping linearly over `rampFrames` (0 = at once).
   * @example
   * // decoded from { type: "set_tempo", bpm: 90, rampFrames: 24000 }: half a second's ramp at 48 kHz
   * engineCommands.setTempo(90, 24000, NOW);
   */
  setTempo(bpm: number, rampFrames: number, atFrame: number): void;
  /**
   * Whether the engine renders the graph while the transport is stopped (monitoring: live MIDI
   * sounds, tails ring out, the timeline stands still) or outputs silence then.
   * @example
   * engineCommands.setMonitoring(true, NOW); // decoded from { type: "set_monitoring", enabled: true }
   */
  setMonitoring(enabled: boolean, atFrame: number): void;
}

/** Client side: turns commands into records and pushes them whole. One per producing thread. */
export class CommandEncoder {
  private readonly bytes = new Uint8Array(MAX_COMMAND_BYTES);
  private readonly view = new DataView(this.bytes.buffer);

  /**
   * Encodes `command` and pushes the whole record into `ring`, or nothing: false when it does not
   * fit (the ring counts an overflow). Throws E_SCHEMA, naming the field, for a malformed command
   * (a client bug, caught before it reaches the audio thread). Client side (main thread or Worker):
   * it reuses one scratch record, but reading a mix of command shapes may box a number now and then.
   * @example
   * const encoder = new CommandEncoder();
   * encoder.encode({ type: "set_parameter", node: 3, param: 0, value: 440 }, commandRing);
   * encoder.encode({ type: "seek", positionFrame: 48000, atFrame: -1 }, commandRing);
   */
  encode(command: DataPlaneCommand, ring: CommandRing): boolean {
    const view = this.view;
    // hasOwn: a name on Object.prototype ("toString") is not a type.
    const type = Object.hasOwn(CommandType, command.type) ? CommandType[command.type] : undefined;
    if (type === undefined) {
      throw new EngineError("E_SCHEMA", `unknown command type ${JSON.stringify(command.type)}`, "type");
    }
    // Field paths are built only when a check fails: encoding a good command allocates nothing.
    const path = command.type;
    const atFrame = command.atFrame ?? NOW;
    if (!(Number.isFinite(atFrame) && (atFrame >= 0 || atFrame === NOW))) {
      throw new EngineError("E_SCHEMA", "must be a finite frame >= 0, or -1 for now", `${path}.atFrame`);
    }
    const length = COMMAND_HEADER_BYTES + (PAYLOAD_BYTES[type] as number);
    view.setUint8(0, COMMAND_MAGIC);
    view.setUint8(1, type);
    view.setUint16(2, length, true);
    view.setFloat64(4, atFrame, true);
    const p = COMMAND_HEADER_BYTES;
    switch (command.type) {
      case "set_parameter":
        checkIndex(command.node, path, "node");
        checkIndex(command.param, path, "param");
        checkFloat32(command.value, path, "value");
        view.setUint32(p, command.node, true);
        view.setUint32(p + 4, command.param, true);
        view.setFloat32(p + 8, command.value, true);
        break;
      case "midi":
      case "live_midi":
        checkIndex(command.node, path, "node");
        checkByte(command.status, 0x80, 0xff, path, "status");
        checkByte(command.data1, 0, 0x7f, path, "data1");
        checkByte(command.data2, 0, 0x7f, path, "data2");
        view.setUint32(p, command.node, true);
        view.setUint8(p + 4, command.status);
        view.setUint8(p + 5, command.data1);
        view.setUint8(p + 6, command.data2);
        view.setUint8(p + 7, 0);
        break;
      case "play":
      case "pause":
      case "stop":
        break;
      case "seek":
        checkFrame(command.positionFrame, path, "positionFrame");
        view.setFloat64(p, command.positionFrame, true);
        break;
      case "set_loop":
        checkFrame(command.startFrame, path, "startFrame");
        checkFrame(command.endFrame, path, "endFrame");
        view.setFloat64(p, command.startFrame, true);
        view.setFloat64(p + 8, command.endFrame, true);
        if (!(command.endFrame > command.startFrame)) {
          throw new EngineError("E_SCHEMA", "must be > startFrame", `${path}.endFrame`);
        }
        view.setUint32(p + 16, command.enabled ? 1 : 0, true);
        break;
      case "set_tempo":
        if (!(command.bpm > 0 && command.bpm <= 1000)) {
          throw new EngineError("E_SCHEMA", "must be > 0 and <= 1000", `${path}.bpm`);
        }
        checkFrame(command.rampFrames ?? 0, path, "rampFrames");
        view.setFloat64(p, command.bpm, true);
        view.setFloat64(p + 8, command.rampFrames ?? 0, true);
        break;
      case "set_monitoring":
        view.setUint32(p, command.enabled ? 1 : 0, true);
        break;
    }
    return ring.pushAll(this.bytes, length, 0);
  }
}

/** Audio side: reads records out of the ring into visitor calls. One per consuming thread. */
export class CommandDecoder {
  /**
   * Records skipped because they did not decode (unknown type, wrong length, out-of-range values,
   * lost framing), since this decoder was created. Publish it in the transport block.
   * @example
   * state.badCommands = decoder.badCommands;
   */
  badCommands = 0;
  /**
   * Visitor calls that threw (a host bug); each is swallowed so the audio thread keeps running.
   * @example
   * if (decoder.visitorErrors > 0) console.error(decoder.lastVisitorError);
   */
  visitorErrors = 0;
  /**
   * The latest error a visitor threw, kept for diagnostics (off the audio thread).
   * @example
   * port.postMessage({ error: String(decoder.lastVisitorError) });
   */
  lastVisitorError: unknown = undefined;

  private readonly bytes = new Uint8Array(MAX_COMMAND_BYTES);
  private readonly view = new DataView(this.bytes.buffer);

  /**
   * Decodes every record published before the call and calls `visitor` once per good record, in
   * order. Audio thread: no allocation, never throws, bounded by what was queued when it started.
   * @returns the number of commands delivered to the visitor.
   * @example
   * // at the start of each quantum, in process()
   * decoder.decode(commandRing, engineCommands);
   */
  decode(ring: CommandRing, visitor: CommandVisitor): number {
    const bytes = this.bytes;
    const view = this.view;
    let budget = ring.availableRead();
    let delivered = 0;
    while (budget > 0) {
      if (budget < COMMAND_HEADER_BYTES) {
        // Records are pushed whole, so a fragment shorter than a header is not a record.
        this.loseFraming(ring, budget);
        break;
      }
      ring.pop(bytes, COMMAND_HEADER_BYTES, 0);
      budget -= COMMAND_HEADER_BYTES;
      const type = view.getUint8(1);
      const length = view.getUint16(2, true);
      const payload = length - COMMAND_HEADER_BYTES;
      if (view.getUint8(0) !== COMMAND_MAGIC || payload < 0 || payload > budget) {
        this.loseFraming(ring, budget);
        break;
      }
      if (PAYLOAD_BYTES[type] !== payload) {
        // A framed record of a type this decoder does not know (or a wrong size): skip it alone.
        ring.skip(payload);
        budget -= payload;
        this.badCommands++;
        continue;
      }
      if (payload > 0) ring.pop(bytes, payload, COMMAND_HEADER_BYTES);
      budget -= payload;
      if (this.deliver(type, visitor)) delivered++;
      else this.badCommands++;
    }
    return delivered;
  }

  /** Calls the visitor for the record in `bytes`; false when its values are out of range. */
  private deliver(type: number, visitor: CommandVisitor): boolean {
    const view = this.view;
    const p = COMMAND_HEADER_BYTES;
    const atFrame = view.getFloat64(4, true);
    if (!(atFrame >= 0 || atFrame === NOW) || atFrame === Number.POSITIVE_INFINITY) return false;
    try {
      switch (type) {
        case CommandType.set_parameter: {
          const value = view.getFloat32(p + 8, true);
          if (!Number.isFinite(value)) return false;
          visitor.setParameter(view.getUint32(p, true), view.getUint32(p + 4, true), value, atFrame);
          return true;
        }
        case CommandType.midi: {
          const status = view.getUint8(p + 4);
          const data1 = view.getUint8(p + 5);
          const data2 = view.getUint8(p + 6);
          if (status < 0x80 || data1 > 0x7f || data2 > 0x7f) return false;
          visitor.midi(view.getUint32(p, true), status, data1, data2, atFrame);
          return true;
        }
        case CommandType.live_midi: {
          const status = view.getUint8(p + 4);
          const data1 = view.getUint8(p + 5);
          const data2 = view.getUint8(p + 6);
          if (status < 0x80 || data1 > 0x7f || data2 > 0x7f) return false;
          visitor.liveMidi(view.getUint32(p, true), status, data1, data2, atFrame);
          return true;
        }
        case CommandType.play:
          visitor.play(atFrame);
          return true;
        case CommandType.pause:
          visitor.pause(atFrame);
          return true;
        case CommandType.stop:
          visitor.stop(atFrame);
          return true;
        case CommandType.seek: {
          const position = view.getFloat64(p, true);
          if (!isFrame(position)) return false;
          visitor.seek(position, atFrame);
          return true;
        }
        case CommandType.set_loop: {
          const start = view.getFloat64(p, true);
          const end = view.getFloat64(p + 8, true);
          const enabled = view.getUint32(p + 16, true);
          if (!isFrame(start) || !isFrame(end) || !(end > start) || enabled > 1) return false;
          visitor.setLoop(start, end, enabled === 1, atFrame);
          return true;
        }
        case CommandType.set_tempo: {
          const bpm = view.getFloat64(p, true);
          const ramp = view.getFloat64(p + 8, true);
          if (!(bpm > 0 && bpm <= 1000) || !isFrame(ramp)) return false;
          visitor.setTempo(bpm, ramp, atFrame);
          return true;
        }
        case CommandType.set_monitoring: {
          const enabled = view.getUint32(p, true);
          if (enabled > 1) return false;
          visitor.setMonitoring(enabled === 1, atFrame);
          return true;
        }
        default:
          return false;
      }
    } catch (error) {
      this.visitorErrors++;
      this.lastVisitorError = error;
      return true;
    }
  }

  private loseFraming(ring: CommandRing, queued: number): void {
    ring.skip(queued);
    this.badCommands++;
  }
}

function isFrame(value: number): boolean {
  return value >= 0 && value < Number.POSITIVE_INFINITY;
}

// Checks return nothing: a helper returning a double boxes it (allocates) when not inlined.
function checkFrame(value: number, type: string, field: string): void {
  if (!isFrame(value)) throw new EngineError("E_SCHEMA", "must be a finite frame >= 0", `${type}.${field}`);
}

function checkIndex(value: number, type: string, field: string): void {
  if (!(Number.isInteger(value) && value >= 0 && value <= 0xffffffff)) {
    throw new EngineError("E_SCHEMA", "must be an integer index in [0, 2^32)", `${type}.${field}`);
  }
}

function checkByte(value: number, min: number, max: number, type: string, field: string): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new EngineError("E_SCHEMA", `must be an integer in [${min}, ${max}]`, `${type}.${field}`);
  }
}

function checkFloat32(value: number, type: string, field: string): void {
  if (!Number.isFinite(Math.fround(value))) {
    throw new EngineError("E_SCHEMA", "must be a finite number within float32 range", `${type}.${field}`);
  }
}
