/**
 * Where each @tonejs/midi track comes from in a Standard MIDI File, and which MIDI channel it is on.
 *
 * @tonejs/midi splits every MTrk chunk into one track per (program, channel) pair, but records a track's
 * channel only from its notes: a track holding only controllers or pitch bends (typically the bank
 * select, volume and pan sent before a program change) reports channel 0 whatever its real channel.
 * This walk over the file's event stream mirrors that split (same order, same keys) and keeps the
 * channel and the source MTrk index of each resulting track. It reads only status bytes and lengths;
 * decoding the events themselves stays @tonejs/midi's job.
 *
 * It also checks what @tonejs/midi's parser does not: chunks that run past the end of the file,
 * variable-length quantities over 4 bytes, data bytes of 0x80 and above, and a tempo of 0 microseconds
 * per quarter note; each would give events no v1alpha MidiEvent can hold. And it finds the long text
 * events (lyrics, markers...) its parser could not read: midi-file turns a text into a string with
 * one call argument per byte, which overflows the call stack for a long one.
 */

/** The meta event type of a tempo change (3 bytes: microseconds per quarter note). */
const SET_TEMPO = 0x51;

export interface SmfTrackLayout {
  /** SMF format: 0 (one track), 1 (simultaneous tracks) or 2 (independent sequences). */
  format: number;
  /** Ticks per quarter note, or null for SMPTE time division. */
  ticksPerQuarter: number | null;
  /** One entry per track of @tonejs/midi's split, before it drops a format-1 file's note-less first track. */
  tracks: SplitTrack[];
  /** Offsets of the type byte of every text meta event longer than LONG_TEXT_BYTES. */
  longTextTypeOffsets: number[];
}

/** Text meta events (0x01..0x07) up to this length are read by midi-file without trouble. */
export const LONG_TEXT_BYTES = 4096;

export interface SplitTrack {
  /** Index of the MTrk chunk the track came from (0-based, file order). */
  source: number;
  /** MIDI channel 0..15 of its channel events, or null when it holds only meta and system events. */
  channel: number | null;
}

/** Thrown for a structurally broken file; the message says what is wrong. */
export class SmfStructureError extends Error {
  override readonly name = "SmfStructureError";
}

/**
 * Walks the file's chunks and events. Throws SmfStructureError on a broken structure.
 * @example
 * smfTrackLayout(bytes).tracks; // [{ source: 0, channel: null }, { source: 1, channel: 9 }]
 */
export function smfTrackLayout(bytes: Uint8Array): SmfTrackLayout {
  const header = readChunk(bytes, 0, "the header");
  if (header.id !== "MThd") {
    throw new SmfStructureError(
      `not a Standard MIDI File: starts with ${JSON.stringify(header.id)}, not "MThd"`,
    );
  }
  if (header.end - header.start < 6)
    throw new SmfStructureError("the MThd header chunk is shorter than 6 bytes");
  const format = readUint16(bytes, header.start);
  const trackCount = readUint16(bytes, header.start + 2);
  const division = readUint16(bytes, header.start + 4);
  const ticksPerQuarter = division & 0x8000 ? null : division;

  const tracks: SplitTrack[] = [];
  const longTextTypeOffsets: number[] = [];
  let at = header.end;
  // Like @tonejs/midi, read the declared number of tracks and ignore anything after them.
  if (trackCount === 0 || at >= bytes.length) {
    // @tonejs/midi needs a first track to read the tempo map from, and fails with a TypeError.
    throw new SmfStructureError(
      trackCount === 0 ? "the header declares no tracks" : "no track follows the MThd header chunk",
    );
  }
  for (let source = 0; source < trackCount && at < bytes.length; source++) {
    const chunk = readChunk(bytes, at, `track ${source}`);
    if (chunk.id !== "MTrk") {
      throw new SmfStructureError(
        `track ${source}: expected an "MTrk" chunk, found ${JSON.stringify(chunk.id)}`,
      );
    }
    const events = channelEvents(bytes, chunk, source, longTextTypeOffsets);
    if (source === 0 && events.length === 0) {
      // @tonejs/midi reads the tempo map from the first track and fails with a TypeError on an empty one.
      throw new SmfStructureError("track 0 holds no events, not even End of Track");
    }
    splitByProgramAndChannel(events, source, tracks);
    at = chunk.end;
  }
  return { format, ticksPerQuarter, tracks, longTextTypeOffsets };
}

interface Chunk {
  id: string;
  start: number;
  end: number;
}

interface ChannelEventInfo {
  /** 0..15, or undefined for meta and system exclusive events. */
  channel: number | undefined;
  /** The program of a program change. */
  program: number | undefined;
}

function readChunk(bytes: Uint8Array, at: number, what: string): Chunk {
  if (at + 8 > bytes.length) throw new SmfStructureError(`${what}: the file ends inside the chunk header`);
  const id = String.fromCharCode(...bytes.subarray(at, at + 4));
  const length = readUint32(bytes, at + 4);
  const start = at + 8;
  if (start + length > bytes.length) {
    throw new SmfStructureError(
      `${what}: truncated, the "${id}" chunk declares ${length} bytes but only ${bytes.length - start} remain`,
    );
  }
  return { id, start, end: start + length };
}

/**
 * The status of each event of one MTrk chunk, decoded as midi-file (the parser in @tonejs/midi) does;
 * the type byte offsets of long text events go to `longTexts`.
 */
function channelEvents(
  bytes: Uint8Array,
  chunk: Chunk,
  source: number,
  longTexts: number[],
): ChannelEventInfo[] {
  const events: ChannelEventInfo[] = [];
  let at = chunk.start;
  let runningStatus: number | undefined;
  const byte = (): number => {
    if (at >= chunk.end)
      throw new SmfStructureError(`track ${source}: an event runs past the end of the track`);
    return bytes[at++] as number;
  };
  // @tonejs/midi reads a data byte as is: one with the high bit set would become a controller, note
  // or value above 127, which no MidiEvent can hold.
  const dataByte = (): number => {
    const value = byte();
    if (value >= 0x80) {
      throw new SmfStructureError(
        `track ${source}: a channel message has data byte 0x${value.toString(16)} (data bytes are below 0x80)`,
      );
    }
    return value;
  };
  const varInt = (): number => {
    let value = 0;
    // At most 4 bytes (0x0FFFFFFF), as the SMF specification says: @tonejs/midi's parser shifts in
    // 32-bit integers, so a fifth byte turns a delta time negative and events land before time 0.
    for (let length = 1, b = byte(); ; length++, b = byte()) {
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return value;
      if (length === 4) {
        throw new SmfStructureError(`track ${source}: a variable-length quantity runs past 4 bytes`);
      }
    }
  };
  while (at < chunk.end) {
    varInt(); // delta time
    let status = byte();
    if (status === 0xff) {
      const typeOffset = at;
      const type = byte();
      const length = varInt(); // read before advancing: `at += varInt()` would add to the old position
      if (type >= 0x01 && type <= 0x07 && length > LONG_TEXT_BYTES) longTexts.push(typeOffset);
      if (
        type === SET_TEMPO &&
        length === 3 &&
        bytes[at] === 0 &&
        bytes[at + 1] === 0 &&
        bytes[at + 2] === 0
      ) {
        // 0 microseconds per quarter note: every later event would land at one instant, notes lasting 0 s.
        throw new SmfStructureError(`track ${source}: a tempo event sets 0 microseconds per quarter note`);
      }
      at += length;
      events.push({ channel: undefined, program: undefined });
      continue;
    }
    if (status === 0xf0 || status === 0xf7) {
      const length = varInt();
      at += length;
      events.push({ channel: undefined, program: undefined });
      continue;
    }
    if (status >= 0xf0)
      throw new SmfStructureError(`track ${source}: unknown event status 0x${status.toString(16)}`);
    let first: number;
    if (status < 0x80) {
      // Running status: this byte is the first data byte of a repeat of the previous channel status.
      if (runningStatus === undefined) {
        throw new SmfStructureError(`track ${source}: a data byte comes before any status byte`);
      }
      first = status;
      status = runningStatus;
    } else {
      first = dataByte();
      runningStatus = status;
    }
    const kind = status >> 4;
    // Every channel message but program change and channel aftertouch has a second data byte.
    if (kind !== 0xc && kind !== 0xd) dataByte();
    events.push({ channel: status & 0x0f, program: kind === 0xc ? first : undefined });
  }
  if (at > chunk.end) throw new SmfStructureError(`track ${source}: an event runs past the end of the track`);
  return events;
}

/** Mirrors @tonejs/midi's splitTracks: one track per (current program, channel), in order of first use. */
function splitByProgramAndChannel(events: ChannelEventInfo[], source: number, tracks: SplitTrack[]): void {
  const defaultTrack = tracks.length;
  const trackByKey = new Map<string, number>();
  const currentProgram = new Array<number>(16).fill(0);
  for (const event of events) {
    let target = defaultTrack;
    if (event.channel !== undefined) {
      if (event.program !== undefined) currentProgram[event.channel] = event.program;
      const key = `${currentProgram[event.channel]} ${event.channel}`;
      const known = trackByKey.get(key);
      if (known !== undefined) target = known;
      else {
        target = defaultTrack + trackByKey.size;
        trackByKey.set(key, target);
      }
    }
    const track = tracks[target] ?? { source, channel: null };
    tracks[target] = track;
    if (event.channel !== undefined) track.channel = event.channel;
  }
}

function readUint16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (readUint16(bytes, at) * 0x10000 + readUint16(bytes, at + 2)) >>> 0;
}
