/**
 * The native side of row `project-export.native` (docs/benchmarks.md): the 16-track, 3-minute project
 * exported by Chromium's own nodes. It does what exportProject does, natively: the takes into
 * AudioBuffers, the project compiled, the graph built from native nodes (project-native.ts) in an
 * OfflineAudioContext, rendered, and the mixdown encoded as the same float32 WAV. Browser only.
 */
import type { EngineClient } from "../src/api/engine-client";
import { encodeWav } from "../src/audio-io/wav-codec";
import type { GraphNode } from "../src/contracts/graph-descriptor";
import { compileProject } from "../src/project/compile-project";
import type { ProjectWithAudio } from "../src/project/project-package";
import { PROJECT_SAMPLE_RATE } from "../test/support/project-scale";
import { float32WavRms } from "./project-export-timing";
import {
  buildNativeProject,
  type ImpulseResponse,
  type NativeGraphCounts,
  renderNativeProject,
} from "./project-native";

/** Where the response is cut: 90 dB below its peak, far below anything audible in the mix. */
const RESPONSE_FLOOR_DB = -90;
/** The longest response rendered, in seconds (Freeverb at room size 1 rings longer than this). */
const RESPONSE_SECONDS = 8;

export interface NativeExportTiming {
  /** Realtime factor of the whole native export (buffers, compile, build, render, WAV). */
  factor: number;
  /** Realtime factor of the render alone (with the clips and voices built as it goes). */
  renderFactor: number;
  rms: number;
  counts: NativeGraphCounts;
  /** The mixdown, a float32 WAV. */
  mixdown: Uint8Array;
}

/**
 * One native export of `input` at the bench's rate; `responses` gives each reverb's wet impulse
 * response (reverbResponse, measured once beforehand: it is the reverb, not part of the export).
 */
export async function timeNativeProjectExport(
  { project, audio }: ProjectWithAudio,
  responses: (node: GraphNode) => ImpulseResponse,
): Promise<NativeExportTiming> {
  const rate = PROJECT_SAMPLE_RATE;
  const started = performance.now();
  const handles: Record<string, string> = {};
  const buffers = new Map<string, AudioBuffer>();
  project.audio.forEach((source, i) => {
    const data = audio.get(source.content_id);
    if (data === undefined) throw new Error(`no audio for ${source.content_id}`);
    const buffer = new AudioBuffer({
      numberOfChannels: data.channels.length,
      length: data.channels[0]?.length ?? 0,
      sampleRate: data.sampleRate,
    });
    data.channels.forEach((channel, c) => {
      buffer.getChannelData(c).set(channel);
    });
    handles[source.content_id] = `buf:${i + 1}`;
    buffers.set(`buf:${i + 1}`, buffer);
  });
  const { request } = compileProject(project, { sampleRate: rate, buffers: handles });
  const frames = Math.round((request.duration_seconds ?? 0) * rate);
  const context = new OfflineAudioContext({
    numberOfChannels: request.channels,
    length: frames,
    sampleRate: rate,
  });
  const graph = buildNativeProject(context, request, { buffers, reverbResponse: responses });
  const renderStarted = performance.now();
  const rendered = await renderNativeProject(context, graph);
  const renderSeconds = (performance.now() - renderStarted) / 1000;
  const channels = Array.from({ length: rendered.numberOfChannels }, (_, c) => rendered.getChannelData(c));
  const wav = encodeWav({ sampleRate: rate, channels }, { format: "float32" }, "mixdown");
  const seconds = (performance.now() - started) / 1000;
  return {
    factor: frames / rate / seconds,
    renderFactor: frames / rate / renderSeconds,
    rms: float32WavRms(wav),
    counts: graph.counts,
    mixdown: wav,
  };
}

/**
 * The wet impulse response of a builtin:reverb node with its parameters, rendered by webdreamer on
 * `engine`: a unit impulse into the left input (the reverb hears the sum of left and right), the dry
 * level at 0, cut where it stays RESPONSE_FLOOR_DB below its peak.
 */
export async function reverbResponse(engine: EngineClient, node: GraphNode): Promise<ImpulseResponse> {
  const rate = PROJECT_SAMPLE_RATE;
  const impulse = new Float32Array(rate * RESPONSE_SECONDS);
  impulse[0] = 1;
  const silent = new Float32Array(impulse.length);
  const handle = await engine.uploadBuffer([impulse, silent], rate);
  try {
    const result = await engine.render({
      version: "v1alpha",
      request_id: "reverb-response",
      node_graph: {
        version: "v1alpha",
        nodes: [
          { name: "impulse", node_id: "builtin:playback", buffers: { data: handle } },
          {
            name: "reverb",
            node_id: "builtin:reverb",
            inputs: ["impulse"],
            params: { ...node.params, dry_level: 0 },
          },
        ],
        output: "reverb",
      },
      duration_seconds: RESPONSE_SECONDS,
      sample_rate: rate,
      channels: 2,
    });
    if (result.buffer_handle === null)
      throw new Error(`the reverb's response did not render: ${result.error}`);
    const channels = await engine.readBuffer(result.buffer_handle);
    await engine.releaseBuffer(result.buffer_handle);
    let peak = 0;
    for (const channel of channels) for (const v of channel) peak = Math.max(peak, Math.abs(v));
    const floor = peak * 10 ** (RESPONSE_FLOOR_DB / 20);
    let length = 0;
    for (const channel of channels) {
      for (let i = channel.length - 1; i >= length; i--) {
        if (Math.abs(channel[i] as number) > floor) {
          length = i + 1;
          break;
        }
      }
    }
    return channels.map((channel) => channel.slice(0, length));
  } finally {
    await engine.releaseBuffer(handle);
  }
}
