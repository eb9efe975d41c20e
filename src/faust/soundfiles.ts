/**
 * Soundfiles of a Faust DSP: the audio a node is given for each `soundfile` control, written into
 * the node's Faust memory in faustwasm's Soundfile layout, once per prepare() (never while
 * rendering). Parts are resampled to the engine's rate, since the DSP reads them at that rate.
 */
import { align, type FaustHeap } from "./heap";
import { type FaustLayout, MAX_SOUNDFILE_PARTS } from "./layout";

/** Audio for one part of a soundfile, planar. */
export interface SoundfilePart {
  channels: Float32Array[];
  sampleRate: number;
}

/** Audio for the soundfiles of a DSP: by soundfile label, parts by index (missing parts are silent). */
export type SoundfileAudio = ReadonlyMap<string, readonly (SoundfilePart | undefined)[]>;

/** faustwasm's Soundfile constants. */
const SOUNDFILE_MAX_CHANNELS = 64;
const SOUNDFILE_EMPTY_FRAMES = 1024;
const SOUNDFILE_EMPTY_RATE = 44100;

/** Linear resampling of one part to the engine's rate (soundfiles are read at the engine's rate). */
function atRate(part: SoundfilePart, sampleRate: number): Float32Array[] {
  if (part.sampleRate === sampleRate) return part.channels;
  const ratio = part.sampleRate / sampleRate;
  return part.channels.map((channel) => {
    const length = Math.max(1, Math.round(channel.length / ratio));
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const position = i * ratio;
      const index = Math.floor(position);
      const a = channel[Math.min(index, channel.length - 1)] ?? 0;
      const b = channel[Math.min(index + 1, channel.length - 1)] ?? 0;
      out[i] = a + (b - a) * (position - index);
    }
    return out;
  });
}

/**
 * Writes the Faust Soundfile structures of a DSP at `start`, in faustwasm's Soundfile layout: four
 * pointers (to the channel pointers, lengths, rates and offsets), 256 parts (parts without audio are
 * 1024 silent frames at 44100 Hz, as faustwasm fills them), 64 channel pointers (channels beyond the
 * audio's reuse its channels), then the samples, parts end to end. Grows the memory as needed and
 * returns each soundfile's struct address, in layout.soundfiles order.
 */
export function writeSoundfiles(
  heap: FaustHeap,
  start: number,
  layout: FaustLayout,
  audio: SoundfileAudio,
  sampleRate: number,
): number[] {
  const intSize = layout.sampleSize;
  const sampleSize = layout.sampleSize;
  const plans = layout.soundfiles.map((binding) => {
    const given = audio.get(binding.label) ?? [];
    const parts: (Float32Array[] | null)[] = [];
    for (let part = 0; part < MAX_SOUNDFILE_PARTS; part++) {
      const source = given[part];
      parts.push(source === undefined ? null : atRate(source, sampleRate));
    }
    let channels = 1;
    let total = 0;
    for (const part of parts) {
      channels = Math.max(channels, part?.length ?? 1);
      total += part === null ? SOUNDFILE_EMPTY_FRAMES : (part[0]?.length ?? 0);
    }
    return { parts, channels, total };
  });
  const structs: number[] = [];
  let at = start;
  for (const plan of plans) {
    const struct = align(at);
    structs.push(struct);
    const data = align(struct + 16 + 3 * MAX_SOUNDFILE_PARTS * intSize + SOUNDFILE_MAX_CHANNELS * 4);
    at = data + plan.channels * plan.total * sampleSize;
  }
  heap.ensure(at);
  const { i32, f32, f64 } = heap;
  const view = sampleSize === 8 ? f64 : f32;
  plans.forEach(({ parts, channels, total }, index) => {
    const struct = structs[index] as number;
    const lengths = struct + 16;
    const rates = lengths + MAX_SOUNDFILE_PARTS * intSize;
    const offsets = rates + MAX_SOUNDFILE_PARTS * intSize;
    const buffers = offsets + MAX_SOUNDFILE_PARTS * intSize;
    const data = align(buffers + SOUNDFILE_MAX_CHANNELS * 4);
    i32[struct >> 2] = buffers;
    i32[(struct >> 2) + 1] = lengths;
    i32[(struct >> 2) + 2] = rates;
    i32[(struct >> 2) + 3] = offsets;
    for (let c = 0; c < SOUNDFILE_MAX_CHANNELS; c++) {
      i32[(buffers >> 2) + c] = data + (c % channels) * total * sampleSize;
    }
    // -double code reads these as 64-bit integers (little-endian: low word first).
    const writeInt = (base: number, part: number, value: number) => {
      const word = (base >> 2) + (intSize === 8 ? part * 2 : part);
      i32[word] = value;
      if (intSize === 8) i32[word + 1] = 0;
    };
    let offset = 0;
    parts.forEach((part, partIndex) => {
      const frames = part === null ? SOUNDFILE_EMPTY_FRAMES : (part[0]?.length ?? 0);
      writeInt(lengths, partIndex, frames);
      writeInt(rates, partIndex, part === null ? SOUNDFILE_EMPTY_RATE : sampleRate);
      writeInt(offsets, partIndex, offset);
      for (let c = 0; c < channels; c++) {
        const first = (data + c * total * sampleSize) / sampleSize + offset;
        const channel = part?.[c];
        if (channel === undefined) view.fill(0, first, first + frames);
        else view.set(channel, first);
      }
      offset += frames;
    });
  });
  return structs;
}
