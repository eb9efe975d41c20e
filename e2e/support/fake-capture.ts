/**
 * Chromium's fake capture device, for every browser test: getUserMedia's microphone plays a file of
 * clicks, 4 frames of 0.9 every CLICK_PERIOD frames from frame 1000, CAPTURE_RATE frames a second,
 * 2 s long (the device loops it); the permission prompt is answered yes.
 *
 * It is in every test's launch options (playwright.config.ts), not in the files that record from
 * it: Playwright gives a file with launch options of its own a worker of its own, started when the
 * shared workers are done, so such a file ran alone at the end of the phase (the studio scenario's
 * 70 s, with the second core idle). No other test asks for a microphone.
 */
import { renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav } from "../../src/audio-io/wav-codec";

export const CAPTURE_RATE = 48000;
/** Frames from one click to the next. */
export const CLICK_PERIOD = 12000;
/** The frame of the file's first click. */
export const FIRST_CLICK = 1000;

/** The file's samples. */
export function clickSamples(): Float32Array {
  const channel = new Float32Array(2 * CAPTURE_RATE);
  for (let at = FIRST_CLICK; at < channel.length; at += CLICK_PERIOD) channel.fill(0.9, at, at + 4);
  return channel;
}

/**
 * Writes the file (the main process and each worker write the same bytes: one name for the run,
 * written whole under another and renamed, so no Chromium reads it half written) and returns the
 * flags that make it the capture device.
 * @example
 * launchOptions: { args: [...CHROMIUM_ARGS, ...fakeCaptureArgs()] }
 */
export function fakeCaptureArgs(): string[] {
  const file = join(tmpdir(), `webdreamer-clicks-${CLICK_PERIOD}.wav`);
  const partial = `${file}.${process.pid}`;
  writeFileSync(
    partial,
    encodeWav({ sampleRate: CAPTURE_RATE, channels: [clickSamples()] }, { format: "pcm16" }),
  );
  renameSync(partial, file);
  return [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${file}`,
  ];
}
