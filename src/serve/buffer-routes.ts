/**
 * Buffers by handle over HTTP: upload (a WAV, or raw float32 with its shape in the query), read (a
 * WAV, or raw float32 with its shape in X-Webdreamer-* headers: wire.ts) and release.
 */
import { decodeWav, encodeWav, WAV_SAMPLE_FORMATS, type WavSampleFormat } from "../audio-io/wav-codec";
import { EngineError } from "../contracts/errors";
import { sendJson } from "./http-errors";
import { type Route, type RouteContext, sessionOf } from "./route";
import {
  AUDIO_HEADERS,
  decodePlanarFloat32,
  encodePlanarFloat32,
  RAW_AUDIO_TYPE,
  type UploadedBuffer,
  WAV_TYPE,
} from "./wire";

function queryNumber(context: RouteContext, name: string): number {
  const text = context.query.get(name);
  if (text === null) throw new EngineError("E_SCHEMA", "is required for raw float32 audio", `query.${name}`);
  const value = Number(text);
  if (!Number.isFinite(value))
    throw new EngineError("E_SCHEMA", `must be a number, got "${text}"`, `query.${name}`);
  return value;
}

function decodeUpload(context: RouteContext): { channels: Float32Array[]; sampleRate: number } {
  const type = (context.request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === WAV_TYPE || type === "audio/x-wav" || type === "audio/wave") {
    try {
      return decodeWav(context.body, "body");
    } catch (error) {
      throw new EngineError("E_SCHEMA", `is not a WAV webdreamer reads: ${(error as Error).message}`, "body");
    }
  }
  if (type !== RAW_AUDIO_TYPE) {
    throw new EngineError(
      "E_SCHEMA",
      `must be ${WAV_TYPE} or ${RAW_AUDIO_TYPE}, got "${type ?? ""}"`,
      "content-type",
    );
  }
  const count = queryNumber(context, "channels");
  const sampleRate = queryNumber(context, "sample_rate");
  const channels = decodePlanarFloat32(context.body, count);
  if (channels === null) {
    throw new EngineError(
      "E_SCHEMA",
      `is ${context.body.byteLength} bytes, not whole frames of ${count} float32 channels`,
      "body",
    );
  }
  return { channels, sampleRate };
}

export const BUFFER_ROUTES: readonly Route[] = [
  {
    method: "POST",
    path: "/sessions/{session}/buffers",
    admitted: true,
    summary:
      "Uploads audio: a WAV (audio/wav), or raw planar little-endian float32 (application/octet-stream) with ?channels=&sample_rate=. Answers its handle.",
    requestBody: { kind: "audio" },
    response: { status: 201, body: { kind: "schema", name: "UploadedBuffer" } },
    query: [
      { name: "channels", description: "raw float32 only: the channel count", type: "number" },
      { name: "sample_rate", description: "raw float32 only: the sample rate in Hz", type: "number" },
    ],
    async handle(context) {
      const session = sessionOf(context);
      const { channels, sampleRate } = decodeUpload(context);
      const handle = await session.engine.uploadBuffer(channels, sampleRate);
      session.noteHandles([handle], sampleRate);
      const answer: UploadedBuffer = {
        buffer_handle: handle,
        channels: channels.length,
        frames: channels[0]?.length ?? 0,
        sample_rate: sampleRate,
      };
      sendJson(context.response, answer, 201);
    },
  },
  {
    method: "GET",
    path: "/sessions/{session}/buffers/{handle}",
    admitted: true,
    summary:
      "Reads the audio behind a handle: ?format=wav (a WAV; sample_format pcm16, pcm24 or float32, default float32) or ?format=f32 (raw planar float32, the default, shaped by the X-Webdreamer-Channels, -Frames and -Sample-Rate headers).",
    requestBody: { kind: "none" },
    response: { status: 200, body: { kind: "audio" } },
    query: [
      { name: "format", description: "wav or f32 (default f32)", type: "string" },
      { name: "sample_format", description: "wav only: pcm16, pcm24 or float32 (default)", type: "string" },
    ],
    async handle(context) {
      const session = sessionOf(context);
      const format = context.query.get("format") ?? "f32";
      if (format !== "wav" && format !== "f32") {
        throw new EngineError("E_SCHEMA", `must be "wav" or "f32", got "${format}"`, "query.format");
      }
      const sampleFormat = context.query.get("sample_format") ?? "float32";
      if (!(WAV_SAMPLE_FORMATS as readonly string[]).includes(sampleFormat)) {
        throw new EngineError(
          "E_SCHEMA",
          `must be one of ${WAV_SAMPLE_FORMATS.join(", ")}, got "${sampleFormat}"`,
          "query.sample_format",
        );
      }
      const handle = context.params.handle as string;
      const channels = await session.engine.readBuffer(handle);
      const sampleRate = session.sampleRateOf(handle);
      const headers = {
        [AUDIO_HEADERS.channels]: String(channels.length),
        [AUDIO_HEADERS.frames]: String(channels[0]?.length ?? 0),
        [AUDIO_HEADERS.sampleRate]: String(sampleRate),
      };
      const body =
        format === "wav"
          ? encodeWav(
              { sampleRate, channels },
              { format: sampleFormat as WavSampleFormat, nonFinite: "zero" },
            )
          : encodePlanarFloat32(channels);
      context.response.writeHead(200, {
        ...headers,
        "content-type": format === "wav" ? WAV_TYPE : RAW_AUDIO_TYPE,
        "content-length": String(body.byteLength),
      });
      context.response.end(body);
    },
  },
  {
    method: "DELETE",
    path: "/sessions/{session}/buffers/{handle}",
    admitted: true,
    summary: "Releases the audio behind a handle; the handle is unknown afterwards.",
    requestBody: { kind: "none" },
    response: { status: 204, body: { kind: "none" } },
    async handle(context) {
      const session = sessionOf(context);
      const handle = context.params.handle as string;
      await session.engine.releaseBuffer(handle);
      session.forgetHandle(handle);
      context.response.writeHead(204).end();
    },
  },
];
