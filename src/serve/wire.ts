/**
 * What both ends of `webdreamer serve` agree on, besides the v1alpha contracts themselves: the API's
 * prefix, the headers that describe raw audio, and the raw float32 layout. Imported by the server
 * (Node.js) and by RemoteHttpEngineClient (any fetch), so it holds no Node.js-only code.
 *
 * Raw float32 audio ("application/octet-stream"): the channels one after another (planar), each
 * `frames` little-endian IEEE 754 float32 samples; the channel count, frame count and sample rate
 * travel in the X-Webdreamer-* headers of a read, and in the query (`channels`, `sample_rate`) of an
 * upload.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Every route starts with it (the contracts' version). */
export const API_PREFIX = "/v1alpha";

/** The port `webdreamer serve` listens on when --port is not given. */
export const DEFAULT_SERVE_PORT = 7341;

export const RAW_AUDIO_TYPE = "application/octet-stream";
export const WAV_TYPE = "audio/wav";
export const EVENT_STREAM_TYPE = "text/event-stream";

/** Headers of a raw float32 read: how to cut the body into channels. */
export const AUDIO_HEADERS = {
  channels: "x-webdreamer-channels",
  frames: "x-webdreamer-frames",
  sampleRate: "x-webdreamer-sample-rate",
} as const;

/**
 * Planar channels as one little-endian float32 body.
 * @example
 * const body = encodePlanarFloat32([left, right]); // 8 * left.length bytes
 */
export function encodePlanarFloat32(channels: readonly Float32Array[]): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  const bytes = new Uint8Array(4 * frames * channels.length);
  if (LITTLE_ENDIAN) {
    // The wire's byte order is the machine's: copy the arrays' bytes whole.
    channels.forEach((channel, c) => {
      bytes.set(new Uint8Array(channel.buffer, channel.byteOffset, 4 * frames), 4 * frames * c);
    });
    return bytes;
  }
  const view = new DataView(bytes.buffer);
  channels.forEach((channel, c) => {
    const base = 4 * frames * c;
    for (let i = 0; i < frames; i++) view.setFloat32(base + 4 * i, channel[i] as number, true);
  });
  return bytes;
}

/**
 * A planar little-endian float32 body cut into `channels` channels; null when its length is not a
 * whole number of frames of that many channels (the caller names the field).
 * @example
 * const [left, right] = decodePlanarFloat32(new Uint8Array(16), 2) ?? []; // 2 frames each
 */
export function decodePlanarFloat32(bytes: Uint8Array, channels: number): Float32Array[] | null {
  if (!Number.isInteger(channels) || channels < 1 || bytes.byteLength % (4 * channels) !== 0) return null;
  const frames = bytes.byteLength / (4 * channels);
  if (LITTLE_ENDIAN) {
    return Array.from({ length: channels }, (_, c) => {
      const start = bytes.byteOffset + 4 * frames * c;
      // slice() copies into a fresh, aligned buffer the channel owns.
      return new Float32Array(bytes.buffer.slice(start, start + 4 * frames));
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: channels }, (_, c) => {
    const channel = new Float32Array(frames);
    const base = 4 * frames * c;
    for (let i = 0; i < frames; i++) channel[i] = view.getFloat32(base + 4 * i, true);
    return channel;
  });
}

/** A session as POST /v1alpha/sessions answers it. */
export interface SessionInfo {
  session_id: string;
  /** The host that runs the session's engine on the server ("in-process"). */
  host: "in-process";
  sample_rate: number;
}

/** A buffer as an upload answers it. */
export interface UploadedBuffer {
  buffer_handle: string;
  channels: number;
  frames: number;
  sample_rate: number;
}
