/**
 * Live MIDI: the messages a keyboard, a Web MIDI input or a UI plays into an instrument node as they
 * happen (EngineClient.sendMidi, command `send_midi`), without a duration: a note sounds from its
 * note_on until its note_off. Scheduled MIDI with durations is `schedule_events` (graph-descriptor.ts).
 *
 * Each message is one or more MIDI channel messages (status byte with the channel in its low nibble,
 * two data bytes): `liveMidiBytes` says which, and `liveMidiMessageOf` reads one back (a recording,
 * src/api/midi-recording.ts). The engine's processors act on the bytes (docs/processors.md).
 */
import * as z from "zod";

const ChannelSchema = z.int().min(1).max(16).default(1).describe("MIDI channel, 1..16. Default 1.");
const Midi7BitSchema = z.int().min(0).max(127);

export const LiveMidiMessageSchema = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("note_on").describe("A note starts; it sounds until its note_off."),
      note: Midi7BitSchema.describe("MIDI note number, 0..127 (60 = middle C)."),
      velocity: z
        .int()
        .min(1)
        .max(127)
        .describe("Note-on velocity, 1..127 (velocity 0 means note-off in MIDI: send note_off)."),
      channel: ChannelSchema,
    }),
    z.strictObject({
      type: z.literal("note_off").describe("A note ends (released); harmless for a note that is not on."),
      note: Midi7BitSchema.describe("MIDI note number, 0..127."),
      velocity: Midi7BitSchema.default(0).describe("Release velocity, 0..127. Default 0."),
      channel: ChannelSchema,
    }),
    z.strictObject({
      type: z.literal("cc").describe("A control change."),
      controller: Midi7BitSchema.describe("Controller number, 0..127."),
      value: Midi7BitSchema.describe("Controller value, 0..127."),
      channel: ChannelSchema,
    }),
    z.strictObject({
      type: z.literal("pitch_bend").describe("A pitch bend."),
      value: z.int().min(-8192).max(8191).describe("Bend, -8192..8191; 0 is centre."),
      channel: ChannelSchema,
    }),
    z.strictObject({
      type: z
        .literal("all_notes_off")
        .describe("Releases every note of the node (MIDI CC 123, all notes off): a panic for stuck notes."),
      channel: z
        .int()
        .min(1)
        .max(16)
        .nullable()
        .default(null)
        .describe("Only this channel, 1..16; null (the default) for all 16."),
    }),
  ])
  .describe("A live MIDI message: note_on, note_off, cc, pitch_bend or all_notes_off.");

export type LiveMidiMessage = z.output<typeof LiveMidiMessageSchema>;
export type LiveMidiMessageInput = z.input<typeof LiveMidiMessageSchema>;

/** MIDI status nibbles (the high four bits of the status byte). */
export const MIDI_NOTE_OFF = 0x80;
export const MIDI_NOTE_ON = 0x90;
export const MIDI_CONTROL_CHANGE = 0xb0;
export const MIDI_PITCH_BEND = 0xe0;
/** Controller 123: all notes off. */
export const MIDI_ALL_NOTES_OFF = 123;

/** One MIDI channel message: status byte (channel in the low nibble) and two data bytes. */
export type MidiBytes = readonly [status: number, data1: number, data2: number];

/**
 * The MIDI channel messages of a validated live message, in the order they apply: one, or sixteen for
 * all_notes_off on every channel.
 * @example
 * liveMidiBytes({ type: "note_on", note: 60, velocity: 100, channel: 2 }); // [[0x91, 60, 100]]
 */
export function liveMidiBytes(message: LiveMidiMessage): MidiBytes[] {
  switch (message.type) {
    case "note_on":
      return [[MIDI_NOTE_ON | (message.channel - 1), message.note, message.velocity]];
    case "note_off":
      return [[MIDI_NOTE_OFF | (message.channel - 1), message.note, message.velocity]];
    case "cc":
      return [[MIDI_CONTROL_CHANGE | (message.channel - 1), message.controller, message.value]];
    case "pitch_bend": {
      // 14 bits, centre 8192, least significant 7 bits first.
      const bend = message.value + 8192;
      return [[MIDI_PITCH_BEND | (message.channel - 1), bend & 0x7f, bend >> 7]];
    }
    case "all_notes_off": {
      const channels =
        message.channel === null ? Array.from({ length: 16 }, (_, c) => c) : [message.channel - 1];
      return channels.map((c) => [MIDI_CONTROL_CHANGE | c, MIDI_ALL_NOTES_OFF, 0] as const);
    }
  }
}

/**
 * A live message read back from MIDI bytes (a recording); null for bytes no live message makes.
 * Note-on with velocity 0 reads as note_off, as MIDI means it; CC 123 as all_notes_off on its channel.
 * @example
 * liveMidiMessageOf(0xe0, 0, 0x40); // { type: "pitch_bend", value: 0, channel: 1 }
 */
export function liveMidiMessageOf(status: number, data1: number, data2: number): LiveMidiMessage | null {
  const channel = (status & 0x0f) + 1;
  switch (status & 0xf0) {
    case MIDI_NOTE_ON:
      return data2 === 0
        ? { type: "note_off", note: data1, velocity: 0, channel }
        : { type: "note_on", note: data1, velocity: data2, channel };
    case MIDI_NOTE_OFF:
      return { type: "note_off", note: data1, velocity: data2, channel };
    case MIDI_CONTROL_CHANGE:
      return data1 === MIDI_ALL_NOTES_OFF
        ? { type: "all_notes_off", channel }
        : { type: "cc", controller: data1, value: data2, channel };
    case MIDI_PITCH_BEND:
      return { type: "pitch_bend", value: ((data2 << 7) | data1) - 8192, channel };
    default:
      return null;
  }
}
