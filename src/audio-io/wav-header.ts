/**
 * The two chunks of a WAV file that decoding needs, `fmt ` and `data`, found by one walk over the
 * RIFF chunk list.
 *
 * wavefile's reader is not used for decoding: it parses every metadata chunk it knows, trusting the
 * counts inside them, so a 110-byte file whose `cue ` chunk declares 64 million cue points keeps it
 * busy for minutes and gigabytes, and nested `LIST` chunks recurse once per 12 bytes. This walk reads
 * nothing but chunk headers and the `fmt ` fields: each step moves at least 8 bytes forward, so its
 * time is linear in the file and it allocates nothing but the result. For a well-formed file it finds
 * exactly what wavefile found (the first `fmt ` and the first `data` at the top level).
 */

/** The fields of a WAV header decodeWav reads; the data is a view into the file, not a copy. */
export interface WavHeader {
  container: "RIFF" | "RIFX";
  fmt: {
    chunkSize: number;
    audioFormat: number;
    numChannels: number;
    sampleRate: number;
    blockAlign: number;
    bitsPerSample: number;
    /** The WAVE_FORMAT_EXTENSIBLE sub-format GUID as four uint32 (empty when the chunk is shorter). */
    subformat: number[];
  };
  /** `chunkSize` as declared; `samples` as many of those bytes as the file holds. */
  data: { chunkSize: number; samples: Uint8Array };
}

/** A `fmt ` chunk holds at least the 16 bytes of PCMWAVEFORMAT. */
const FMT_BYTES = 16;
/** WAVE_FORMAT_EXTENSIBLE's `fmt ` chunk, which ends with the sub-format GUID at offset 24. */
const EXTENSIBLE_FMT_BYTES = 40;

/**
 * Reads the container, the `fmt ` fields and the `data` chunk of a RIFF or RIFX WAVE file. Throws an
 * Error whose message says what is missing; the caller has checked the 12-byte RIFF header.
 * @example
 * const { fmt, data } = readWavHeader(bytes); // fmt.numChannels, data.samples
 */
export function readWavHeader(bytes: Uint8Array): WavHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const container = bytes[3] === 0x58 ? "RIFX" : "RIFF"; // "RIFX": big-endian fields
  const little = container === "RIFF";
  let fmt: WavHeader["fmt"] | undefined;
  let data: WavHeader["data"] | undefined;
  for (let at = 12; at + 8 <= bytes.length && (fmt === undefined || data === undefined); ) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, little);
    const start = at + 8;
    const end = Math.min(bytes.length, start + size);
    if (id === "fmt " && fmt === undefined) fmt = readFmt(view, start, end, size, little);
    else if (id === "data" && data === undefined)
      data = { chunkSize: size, samples: bytes.subarray(start, end) };
    // Chunks are padded to an even length.
    at = start + size + (size % 2);
  }
  if (fmt === undefined) throw new Error('Could not find the "fmt " chunk');
  if (data === undefined) throw new Error('Could not find the "data" chunk');
  return { container, fmt, data };
}

function readFmt(
  view: DataView,
  start: number,
  end: number,
  size: number,
  little: boolean,
): WavHeader["fmt"] {
  if (end - start < FMT_BYTES) {
    throw new Error(`the "fmt " chunk holds ${end - start} bytes, fewer than the ${FMT_BYTES} of its fields`);
  }
  const subformat: number[] = [];
  if (end - start >= EXTENSIBLE_FMT_BYTES) {
    for (let field = 0; field < 4; field++) subformat.push(view.getUint32(start + 24 + field * 4, little));
  }
  return {
    chunkSize: size,
    audioFormat: view.getUint16(start, little),
    numChannels: view.getUint16(start + 2, little),
    sampleRate: view.getUint32(start + 4, little),
    blockAlign: view.getUint16(start + 12, little),
    bitsPerSample: view.getUint16(start + 14, little),
    subformat,
  };
}
