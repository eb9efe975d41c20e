/**
 * Uploads one audio entry of a project into an engine. An engine that refuses the audio (a limit on
 * the bytes it holds, say) is answered at the entry, naming it and, in a saved project, its WAV file:
 * the engine's own error knows neither.
 */
import type { EngineClient } from "../api/engine-client";
import type { AudioData } from "../audio-io/wav-codec";
import type { BufferHandle } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import { audioFilePath } from "./project-package";
import type { AudioSource } from "./project-schema";

/**
 * The handle of `data` uploaded into `client`, for `project.audio[index]`.
 * @example
 * for (const [index, source] of project.audio.entries()) {
 *   const data = audio.get(source.content_id);
 *   if (data) await uploadProjectAudio(client, source, data, index);
 * }
 * // refused: 'E_LIMIT at project.audio[0]: audio "kick" (audio/3fa4….wav): the engine refused its audio: ...'
 */
export async function uploadProjectAudio(
  client: EngineClient,
  source: AudioSource,
  data: AudioData,
  index: number,
): Promise<BufferHandle> {
  try {
    return await client.uploadBuffer(data.channels, data.sampleRate);
  } catch (cause) {
    if (!(cause instanceof EngineError) || cause.code === "E_CLOSED") throw cause;
    const file = source.sha256 === undefined ? "" : ` (${audioFilePath(source.sha256)})`;
    throw new EngineError(
      cause.code,
      `audio "${source.content_id}"${file}: the engine refused its audio: ${cause.detail}`,
      `project.audio[${index}]`,
    );
  }
}
