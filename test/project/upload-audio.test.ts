/**
 * A project's audio refused by the engine is named at its entry, with its WAV file in a saved
 * project (src/project/upload-audio.ts); exportProject and MixingConsole upload through it.
 */
import { describe, expect, it } from "vitest";
import type { EngineClient } from "../../src/api/engine-client";
import { EngineError } from "../../src/contracts/errors";
import { uploadProjectAudio } from "../../src/project/upload-audio";

const refusing = (error: Error) =>
  ({ uploadBuffer: async () => Promise.reject(error) }) as unknown as EngineClient;
const audio = { sampleRate: 48000, channels: [new Float32Array(16)] };
const sha = "a".repeat(64);

describe("uploadProjectAudio", () => {
  it("names the entry and its saved file, keeping the engine's code and detail once", async () => {
    const client = refusing(
      new EngineError("E_LIMIT", "held buffers would take 9 MB, above 8 MB", "upload.channels"),
    );
    const source = { content_id: "kick", name: "", sample_rate: 48000, frames: 16, channels: 1, sha256: sha };
    await expect(uploadProjectAudio(client, source, audio, 2)).rejects.toThrow(
      `E_LIMIT at project.audio[2]: audio "kick" (audio/${sha}.wav): the engine refused its audio: held buffers would take 9 MB, above 8 MB`,
    );
    const unsaved = { ...source, sha256: undefined };
    await expect(uploadProjectAudio(client, unsaved, audio, 0)).rejects.toThrow(
      'E_LIMIT at project.audio[0]: audio "kick": the engine refused its audio: held buffers',
    );
  });

  it("passes E_CLOSED and non-engine errors on as they are", async () => {
    const source = { content_id: "kick", name: "", sample_rate: 48000, frames: 16, channels: 1 };
    const closed = new EngineError("E_CLOSED", "the engine client is closed");
    await expect(uploadProjectAudio(refusing(closed), source, audio, 0)).rejects.toBe(closed);
    const bug = new TypeError("x is undefined");
    await expect(uploadProjectAudio(refusing(bug), source, audio, 0)).rejects.toBe(bug);
  });
});
