/**
 * One complete example of each message. The docs page embeds these (its example blocks are generated
 * and checked by the drift test) and the tests validate them, so a documented example is always valid.
 */
import type { EngineCommandInput } from "./engine-command";
import type { GraphDescriptorInput } from "./graph-descriptor";
import type { ContractName } from "./json-schemas";
import type { NodeDescriptorInput } from "./node-descriptor";
import type { PluginDiscoveryResultInput } from "./plugin-discovery";
import type { RenderRequestInput, RenderResultInput } from "./render";
import type { TransportStateInput } from "./transport-state";

export const EXAMPLE_TRANSPORT_STATE = {
  version: "v1alpha",
  session_id: "session-7f3a",
  running: true,
  position_seconds: 12.5,
  sample_rate: 48000,
  buffer_size_frames: 128,
  tempo_bpm: 120,
  last_update_iso8601: "2025-09-16T12:00:00.000Z",
  extensions: {
    position_beats: 25,
    loop: { start_seconds: 8, end_seconds: 16 },
    dropouts: { underruns: 0, ring_overflows: 0 },
    data_plane: "shared_memory",
  },
} as const satisfies TransportStateInput;

export const EXAMPLE_NODE_DESCRIPTOR = {
  version: "v1alpha",
  node_id: "builtin:filter",
  name: "Filter",
  vendor: "webdreamer",
  format: "builtin",
  supported_sample_rates: [],
  latency_samples: 0,
  parameters: [
    {
      name: "Mode",
      id: "mode",
      default: 0,
      range: [0, 7],
      extensions: {
        type: "choice",
        choices: ["lowpass", "highpass", "bandpass", "notch", "peaking", "lowshelf", "highshelf", "allpass"],
      },
    },
    { name: "Frequency", id: "frequency", default: 1000, range: [10, 24000], extensions: { units: "Hz" } },
    { name: "Q", id: "q", default: 0.70710677, range: [0.0001, 40], extensions: {} },
    { name: "Gain", id: "gain", default: 0, range: [-48, 48], extensions: { units: "dB" } },
  ],
  resource_estimate: { memory_mb: 0.001717, cpu_units: 6.69 },
  extensions: { is_instrument: false },
} as const satisfies NodeDescriptorInput;

export const EXAMPLE_GRAPH_DESCRIPTOR = {
  version: "v1alpha",
  nodes: [
    { name: "drums", node_id: "builtin:playback", buffers: { data: "buf:7" } },
    {
      name: "filter",
      node_id: "builtin:filter",
      inputs: ["drums"],
      params: { mode: "lowpass", q: 1.2 },
      automation: {
        frequency: {
          kind: "breakpoints",
          timeline: "beats",
          points: [
            { time: 0, value: 200, curve: "exponential" },
            { time: 8, value: 8000, curve: "step" },
          ],
        },
      },
      capture: true,
    },
    {
      name: "bass",
      node_id: "builtin:sampler",
      buffers: { data: "buf:8" },
      midi: [
        { type: "note", timeline: "beats", time: 0, duration: 1, note: 36, velocity: 100 },
        { type: "cc", timeline: "beats", time: 2, controller: 74, value: 64 },
        { type: "pitch_bend", timeline: "beats", time: 3, value: 2048, channel: 1 },
      ],
    },
    { name: "echo", node_id: "builtin:delay", inputs: ["mix"], params: { time: 375, wet: 0.3 } },
    { name: "mix", node_id: "builtin:mixer", inputs: ["filter", "bass", "echo"] },
  ],
  output: "mix",
  tempo: {
    map: [
      { beat: 0, bpm: 120, curve: "linear" },
      { beat: 8, bpm: 132, curve: "step" },
    ],
  },
  ppqn: 960,
} as const satisfies GraphDescriptorInput;

export const EXAMPLE_RENDER_REQUEST = {
  version: "v1alpha",
  request_id: "render-0001",
  node_graph: EXAMPLE_GRAPH_DESCRIPTOR,
  duration_seconds: null,
  duration_beats: 16,
  sample_rate: 48000,
  channels: 2,
  start_position_seconds: null,
  options: { offline: true, preroll: 0.5, block_size: 128, capture: ["bass"] },
} as const satisfies RenderRequestInput;

export const EXAMPLE_RENDER_RESULT = {
  version: "v1alpha",
  request_id: "render-0001",
  status: "ok",
  error: null,
  buffer_handle: "buf:12",
  frames: 357_541,
  processing_time_ms: 84.2,
  extensions: { captures: { filter: "buf:13", bass: "buf:14" } },
} as const satisfies RenderResultInput;

export const EXAMPLE_PLUGIN_DISCOVERY_RESULT = {
  version: "v1alpha",
  discovery_id: "discovery-3",
  nodes: [
    EXAMPLE_NODE_DESCRIPTOR,
    {
      version: "v1alpha",
      node_id: "faust:9c1e0b7d",
      name: "organ",
      vendor: null,
      format: "faust",
      supported_sample_rates: [],
      latency_samples: 0,
      parameters: [
        {
          name: "freq",
          id: "/organ/freq",
          default: 440,
          range: [50, 1000],
          extensions: { type: "float", units: "Hz", discrete_step: 0 },
        },
      ],
      resource_estimate: null,
      extensions: { input_channels: 0, output_channels: 1 },
    },
  ],
  scanned_paths: ["builtin", "faust:compiled"],
  elapsed_ms: 3.4,
  extensions: { scanned_at_iso8601: "2025-09-16T12:00:00.000Z", failures: [] },
} as const satisfies PluginDiscoveryResultInput;

export const EXAMPLE_ENGINE_COMMAND = {
  version: "v1alpha",
  type: "set_parameter",
  node: "filter",
  parameter_id: "frequency",
  value: 1200,
  at_seconds: 4,
} as const satisfies EngineCommandInput;

/** One example per contract, by contract name. */
export const CONTRACT_EXAMPLES: Record<ContractName, unknown> = {
  "transport-state": EXAMPLE_TRANSPORT_STATE,
  "node-descriptor": EXAMPLE_NODE_DESCRIPTOR,
  "graph-descriptor": EXAMPLE_GRAPH_DESCRIPTOR,
  "render-request": EXAMPLE_RENDER_REQUEST,
  "render-result": EXAMPLE_RENDER_RESULT,
  "plugin-discovery-result": EXAMPLE_PLUGIN_DISCOVERY_RESULT,
  "engine-command": EXAMPLE_ENGINE_COMMAND,
};
