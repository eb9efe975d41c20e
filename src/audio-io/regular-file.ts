/**
 * Reading an input file safely: only a regular file, and never more than a cap.
 *
 * `fs.readFile` reads whatever a path names until it ends: /dev/zero never ends (memory grows until
 * the process dies), and opening a FIFO blocks until some other process writes to it (forever, and
 * it holds one of libuv's four file-system threads meanwhile). So the path is checked with stat
 * before it is opened; it is opened non-blocking, so a path swapped for a FIFO after the check still
 * cannot block; the open file is checked again (fstat), and it is read with a cap that holds even if
 * the file grows while it is read.
 */

import type { Stats } from "node:fs";
import { constants } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";

/** Why a file was not read. */
export type FileReadFailure = "not-regular" | "too-large" | "grew-too-large" | "unreadable" | "aborted";

/** A file that could not be read; the message names the file and the problem, never its contents. */
export class FileReadError extends Error {
  override readonly name = "FileReadError";
  /**
   * @example
   * new FileReadError("drums.wav", "unreadable", "cannot read: ENOENT").message; // "drums.wav: cannot read: ENOENT"
   */
  constructor(
    readonly file: string,
    readonly failure: FileReadFailure,
    /** What is wrong, without the file name. */
    readonly problem: string,
    /** For "too-large": the file's size. */
    readonly size = 0,
  ) {
    super(`${file}: ${problem}`);
  }
}

export interface ReadRegularFileOptions {
  /** The most bytes to read; a larger file (or one that grows past it) fails with "too-large". */
  maxBytes: number;
  /** Stops between reads with "aborted". */
  signal?: AbortSignal;
  /** Refuse a symbolic link as the last component of the path (the caller resolved links already). */
  noFollow?: boolean;
}

/** Bytes read per call; a file is read in pieces so that a signal is noticed between them. */
const READ_PIECE_BYTES = 16 * 1024 * 1024;
/** The first read past a file's stated size: it only has to find out whether there is more. */
const GROWTH_PROBE_BYTES = 4096;

/**
 * Reads a regular file of at most `maxBytes` bytes. Throws FileReadError: "not-regular" for a FIFO,
 * a device, a directory or a socket (without opening it), "too-large" for a file over the cap,
 * "grew-too-large" for one that grew past it while read, "unreadable" for a file-system error (its
 * code), "aborted" when the signal fired.
 * @example
 * const bytes = await readRegularFile("take.json", { maxBytes: 64 * 1024 * 1024 });
 */
export async function readRegularFile(path: string, options: ReadRegularFileOptions): Promise<Uint8Array> {
  const { maxBytes, signal } = options;
  checkAborted(path, signal);
  const before = await stat(path).catch((cause: unknown) => {
    throw unreadable(path, cause);
  });
  checkRegular(path, before, maxBytes);
  const flags =
    constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (options.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0);
  const handle = await open(path, flags).catch((cause: unknown) => {
    throw unreadable(path, cause);
  });
  try {
    const opened = await handle.stat();
    checkRegular(path, opened, maxBytes);
    return await readCapped(handle, path, opened.size, maxBytes, signal);
  } catch (cause) {
    throw cause instanceof FileReadError ? cause : unreadable(path, cause);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** What a non-regular file is, for messages ("a FIFO (named pipe)"), or null for a regular file. */
function describeFileKind(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}

function checkRegular(path: string, stats: Stats, maxBytes: number): void {
  const kind = describeFileKind(stats);
  if (kind !== null) {
    throw new FileReadError(path, "not-regular", `not a regular file: it is ${kind}`);
  }
  if (stats.size > maxBytes) throw tooLarge(path, stats.size, maxBytes);
}

/** Reads to the end of the file, failing as soon as more than maxBytes have arrived. */
async function readCapped(
  handle: FileHandle,
  path: string,
  size: number,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  // The expected bytes go straight into one buffer; only a file that grows needs more pieces.
  const first = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    checkAborted(path, signal);
    const length = Math.min(READ_PIECE_BYTES, size - filled);
    const { bytesRead } = await handle.read(first, filled, length, filled);
    if (bytesRead === 0) return first.subarray(0, filled); // it shrank meanwhile
    filled += bytesRead;
  }
  const pieces: Buffer[] = [first];
  let total = size;
  // Whether the file grew is asked with a small probe; only a file that really grew reads in pieces.
  let pieceBytes = GROWTH_PROBE_BYTES;
  for (;;) {
    checkAborted(path, signal);
    // One byte beyond the cap is enough to know the file is over it.
    const piece = Buffer.allocUnsafe(Math.min(pieceBytes, maxBytes - total + 1));
    pieceBytes = READ_PIECE_BYTES;
    const { bytesRead } = await handle.read(piece, 0, piece.length, total);
    if (bytesRead === 0) break;
    pieces.push(piece.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) {
      throw new FileReadError(
        path,
        "grew-too-large",
        `grew while it was read to more than ${maxBytes} bytes, the most allowed`,
      );
    }
  }
  return pieces.length === 1 ? first : Buffer.concat(pieces, total);
}

function tooLarge(path: string, size: number, maxBytes: number): FileReadError {
  return new FileReadError(
    path,
    "too-large",
    `${size} bytes is more than ${maxBytes}, the most allowed`,
    size,
  );
}

function unreadable(path: string, cause: unknown): FileReadError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return new FileReadError(path, "unreadable", `cannot read: ${code ?? String(cause)}`);
}

function checkAborted(path: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new FileReadError(path, "aborted", "reading was stopped");
}
