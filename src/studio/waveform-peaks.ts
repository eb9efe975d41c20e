/**
 * Waveform previews: each audio's minimum and maximum per bucket of frames (all channels together),
 * computed off the main thread in a small Worker, so importing a long file never stalls the page.
 *
 * The Worker runs `computePeaks` itself: its source is the function's own text (it uses nothing from
 * outside its body), loaded as a Blob module, so the studio needs no Worker file of its own and works
 * with any bundler. Where a page forbids blob: Workers (a strict CSP), the peaks are computed on the
 * main thread instead.
 */

/** Frames per bucket: at 48 kHz, 5.3 ms, finer than any zoom draws. */
export const PEAK_BUCKET_FRAMES = 256;

/** One audio's preview: min and max of each bucket of `bucketFrames` frames. */
export interface WaveformPeaks {
  sampleRate: number;
  bucketFrames: number;
  frames: number;
  min: Float32Array;
  max: Float32Array;
}

/**
 * Min and max per bucket over every channel. Self-contained (the Worker runs its text).
 * @example
 * const peaks = computePeaks([new Float32Array([0, 0.5, -0.25, 1])], 2, 48000); // min [0, -0.25], max [0.5, 1]
 */
export function computePeaks(
  channels: Float32Array[],
  bucketFrames: number,
  sampleRate: number,
): WaveformPeaks {
  const frames = channels[0]?.length ?? 0;
  const buckets = Math.ceil(frames / bucketFrames);
  const min = new Float32Array(buckets);
  const max = new Float32Array(buckets);
  for (let b = 0; b < buckets; b++) {
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    const end = Math.min(frames, (b + 1) * bucketFrames);
    for (const channel of channels) {
      for (let i = b * bucketFrames; i < end; i++) {
        const value = channel[i] as number;
        if (value < low) low = value;
        if (value > high) high = value;
      }
    }
    min[b] = low;
    max[b] = high;
  }
  return { sampleRate, bucketFrames, frames, min, max };
}

const WORKER_SOURCE = `const computePeaks = ${computePeaks.toString()};
self.onmessage = (event) => {
  const { id, channels, bucketFrames, sampleRate } = event.data;
  const peaks = computePeaks(channels, bucketFrames, sampleRate);
  self.postMessage({ id, peaks }, [peaks.min.buffer, peaks.max.buffer]);
};`;

/** Computes peaks in a Worker, one job at a time per call, answering in order of the calls. */
export class PeakWorker {
  private worker: Worker | null = null;
  private next = 0;
  private readonly waiting = new Map<number, (peaks: WaveformPeaks) => void>();

  /**
   * The peaks of `channels` (copied to the Worker: the caller keeps its arrays).
   * @example
   * const peaks = await new PeakWorker().peaks([left, right], 48000);
   */
  async peaks(channels: Float32Array[], sampleRate: number): Promise<WaveformPeaks> {
    const worker = this.start();
    if (!worker) return computePeaks(channels, PEAK_BUCKET_FRAMES, sampleRate);
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      worker.postMessage({ id, channels, bucketFrames: PEAK_BUCKET_FRAMES, sampleRate });
    });
  }

  /** Ends the Worker (the studio left the page). */
  close(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private start(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
      this.worker = new Worker(url, { type: "module", name: "webdreamer-waveform-peaks" });
      URL.revokeObjectURL(url);
    } catch {
      return null;
    }
    this.worker.onmessage = (event: MessageEvent<{ id: number; peaks: WaveformPeaks }>) => {
      const resolve = this.waiting.get(event.data.id);
      this.waiting.delete(event.data.id);
      resolve?.(event.data.peaks);
    };
    return this.worker;
  }
}

/**
 * Draws the part of `peaks` from `startSeconds` for `seconds` across a canvas, one vertical line per
 * pixel column from the lowest to the highest sample under it, in `color`.
 * @example
 * drawWaveform(canvas, peaks, 0, 2, "#5ad1a4");
 */
export function drawWaveform(
  canvas: HTMLCanvasElement,
  peaks: WaveformPeaks,
  startSeconds: number,
  seconds: number,
  color: string,
): void {
  const ratio = devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const g = canvas.getContext("2d");
  if (!g) return;
  g.clearRect(0, 0, width, height);
  g.fillStyle = color;
  const bucketsPerSecond = peaks.sampleRate / peaks.bucketFrames;
  const middle = height / 2;
  for (let x = 0; x < width; x++) {
    const from = Math.floor((startSeconds + (x / width) * seconds) * bucketsPerSecond);
    const to = Math.max(
      from + 1,
      Math.floor((startSeconds + ((x + 1) / width) * seconds) * bucketsPerSecond),
    );
    if (from >= peaks.min.length) break;
    let low = 0;
    let high = 0;
    for (let b = Math.max(0, from); b < Math.min(to, peaks.min.length); b++) {
      low = Math.min(low, peaks.min[b] as number);
      high = Math.max(high, peaks.max[b] as number);
    }
    const top = middle - Math.min(1, high) * middle;
    const bottom = middle - Math.max(-1, low) * middle;
    g.fillRect(x, top, 1, Math.max(1, bottom - top));
  }
}
