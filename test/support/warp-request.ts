/**
 * One request for builtin:playback_warp that every host must render to the same samples
 * (e2e/playback-warp.spec.ts compares the Worker host with Node.js): channel 0 a harmonic tone with
 * clicks, stretched 1.3x and transposed 3.3 semitones; channel 1 the same audio in two clip positions
 * on a 100 to 140 bpm ramp through a warp map; channel 2 the same clips through warp markers and clip
 * positions in beats, on the graph's 100 to 140 bpm ramp (the engine's tempo).
 */
import {
  clipPositionChannels,
  type RenderRequestInput,
  type Tempo,
  warpMapChannels,
  warpMarkerChannels,
} from "../../src/contracts";

export const WARP_SAMPLE_RATE = 48000;
export const WARP_SECONDS = 1;

/** 0.6 s of a 220 Hz harmonic tone with a click every 0.125 s (the audio is at 120 bpm: 8th notes). */
export function warpAudio(): Float32Array[] {
  const frames = 0.6 * WARP_SAMPLE_RATE;
  const tone = Float32Array.from({ length: frames }, (_, n) => {
    const w = (2 * Math.PI * 220 * n) / WARP_SAMPLE_RATE;
    return 0.3 * Math.sin(w) + 0.1 * Math.sin(3 * w);
  });
  for (let at = 100; at < frames; at += WARP_SAMPLE_RATE / 8) tone[at] = 0.9;
  return [tone];
}

const RAMP: Tempo = {
  map: [
    { beat: 0, bpm: 100, curve: "linear" },
    { beat: 2, bpm: 140, curve: "step" },
  ],
};
const MARKERS = [
  { frame: 0, beat: 0 },
  { frame: WARP_SAMPLE_RATE / 2, beat: 1 },
];
const CLIPS = [
  { start: 0, end: 1 },
  { start: 1, end: 2 },
];

/** The warp map of channel 1: beats 0..1 of the audio at timeline beats 0..1 and again at 1..2. */
export function warpRequestMap(): Float32Array[] {
  return warpMapChannels({ sample_rate: WARP_SAMPLE_RATE, tempo: RAMP, markers: MARKERS, clips: CLIPS });
}

/** Channel 2's warp markers and clip positions (the same as the map's), in beats. */
export function warpRequestMarkers(): { markers: Float32Array[]; clips: Float32Array[] } {
  return { markers: warpMarkerChannels(MARKERS), clips: clipPositionChannels(CLIPS) };
}

/** Buffer handles of the request: the audio, channel 1's map, channel 2's markers and clips. */
export interface WarpHandles {
  audio: string;
  map: string;
  markers: string;
  clips: string;
}

/** Uploads the request's buffers with `upload` (a client's uploadBuffer) and returns their handles. */
export async function uploadWarpBuffers(
  upload: (channels: Float32Array[], sampleRate: number) => Promise<string>,
): Promise<WarpHandles> {
  const { markers, clips } = warpRequestMarkers();
  return {
    audio: await upload(warpAudio(), WARP_SAMPLE_RATE),
    map: await upload(warpRequestMap(), WARP_SAMPLE_RATE),
    markers: await upload(markers, WARP_SAMPLE_RATE),
    clips: await upload(clips, WARP_SAMPLE_RATE),
  };
}

export function warpRequest(
  requestId: string,
  { audio, map, markers, clips }: WarpHandles,
): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: requestId,
    duration_seconds: WARP_SECONDS,
    sample_rate: WARP_SAMPLE_RATE,
    channels: 3,
    node_graph: {
      version: "v1alpha",
      nodes: [
        {
          name: "stretched",
          node_id: "builtin:playback_warp",
          params: { time_ratio: 1.3, transpose: 3.3 },
          buffers: { data: audio },
        },
        { name: "warped", node_id: "builtin:playback_warp", buffers: { data: audio, warp: map } },
        { name: "beats", node_id: "builtin:playback_warp", buffers: { data: audio, markers, clips } },
        { name: "out", node_id: "builtin:gain", inputs: ["stretched", "warped", "beats"] },
      ],
      output: "out",
      tempo: RAMP,
    },
  };
}
