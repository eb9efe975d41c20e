/**
 * LiveCaptureReader (engine Worker): lays out what a live render's LiveCaptureTap put in its ring
 * (each frame: every source's own channels in turn) as one set of channels per source, then maps each
 * onto the request's channel count the way an offline render does (render-job.ts, "Channel mapping"):
 * source channel c goes to result channel c, a mono source fills every result channel, and result
 * channels the source lacks stay silent.
 */
export class LiveCaptureReader {
  /** Each source's own channels, `frames` long; the first `framesRead` frames are filled. */
  readonly sources: Float32Array[][];
  /** Whole frames read so far. */
  framesRead = 0;
  private readonly floatsPerFrame: number;
  /** For each float of a frame, which source and channel it belongs to. */
  private readonly slotSource: number[] = [];
  private readonly slotChannel: number[] = [];
  /** Floats of the frame being read that arrived so far (a pop may end inside a frame). */
  private slot = 0;

  constructor(
    ownChannels: readonly number[],
    private readonly frames: number,
  ) {
    this.sources = ownChannels.map((own) => Array.from({ length: own }, () => new Float32Array(frames)));
    ownChannels.forEach((own, source) => {
      for (let c = 0; c < own; c++) {
        this.slotSource.push(source);
        this.slotChannel.push(c);
      }
    });
    this.floatsPerFrame = this.slotSource.length;
  }

  /** Floats a frame takes in the ring (0 when no source has a channel). */
  get frameFloats(): number {
    return this.floatsPerFrame;
  }

  /** Takes the first `count` floats of `chunk`, in ring order. Floats beyond `frames` are ignored. */
  take(chunk: Float32Array, count: number): void {
    for (let i = 0; i < count; i++) {
      if (this.framesRead >= this.frames) return;
      const source = this.sources[this.slotSource[this.slot] as number] as Float32Array[];
      (source[this.slotChannel[this.slot] as number] as Float32Array)[this.framesRead] = chunk[i] as number;
      if (++this.slot === this.floatsPerFrame) {
        this.slot = 0;
        this.framesRead++;
      }
    }
  }

  /**
   * Source `source`'s `frames` frames from frame `from` as `channels` channels (new arrays), mapped
   * as an offline render maps them.
   * @example
   * const reader = new LiveCaptureReader([1], 4);
   * reader.take(new Float32Array([0.1, 0.2, 0.3, 0.4]), 4);
   * const stereo = reader.channelsOf(0, 2, reader.framesRead); // the mono source in both channels
   */
  channelsOf(source: number, channels: number, frames: number, from = 0): Float32Array[] {
    const own = this.sources[source] ?? [];
    return Array.from({ length: channels }, (_, c) => {
      const channel = own.length === 1 ? own[0] : own[c];
      return channel ? channel.slice(from, from + frames) : new Float32Array(frames);
    });
  }
}
