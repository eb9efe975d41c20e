/**
 * Files in and out of the page: a download of bytes the studio made (the .wdproj, the mixdown WAV)
 * and a file picker that resolves with what the user chose.
 */

/**
 * Offers `bytes` as a download named `fileName`.
 * @example
 * downloadBytes(new Uint8Array([1, 2, 3]), "take.bin", "application/octet-stream");
 */
export function downloadBytes(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference to the blob by now.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Opens the file picker; resolves with the chosen files (empty when cancelled).
 * @example
 * const [file] = await pickFiles("audio/*,.wav", true);
 */
export function pickFiles(accept: string, multiple = false): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = accept;
    input.multiple = multiple;
    input.addEventListener("change", () => resolve([...(input.files ?? [])]), { once: true });
    input.addEventListener("cancel", () => resolve([]), { once: true });
    input.click();
  });
}

/**
 * A file name from a project name: its letters and digits, spaces as "-".
 * @example
 * fileNameFor("My Song!", ".wdproj"); // "My-Song.wdproj"
 */
export function fileNameFor(name: string, extension: string): string {
  const stem = name
    .trim()
    .replace(/[^\p{L}\p{N}_ -]+/gu, "")
    .replace(/\s+/g, "-");
  return `${stem || "untitled"}${extension}`;
}
