/**
 * Message shapes taken field for field from the original v1alpha inventory (docs/contracts.md, "Where
 * the contracts come from"), plus the `version` every contract requires. No extensions and no optional
 * additions: these prove the inventory's own shapes validate as they are.
 */
import type {
  GraphDescriptorInput,
  NodeDescriptorInput,
  PluginDiscoveryResultInput,
  RenderRequestInput,
  RenderResultInput,
  TransportStateInput,
} from "../../src/contracts";

export const SEED_TRANSPORT_STATE = {
  version: "v1alpha",
  session_id: "session-1",
  running: false,
  position_seconds: 0,
  sample_rate: 44100,
  buffer_size_frames: 512,
  tempo_bpm: null,
  last_update_iso8601: "2025-09-16T00:00:00Z",
} satisfies TransportStateInput;

export const SEED_NODE_DESCRIPTOR = {
  version: "v1alpha",
  node_id: "vst3:com.example.reverb",
  name: "Example Reverb",
  vendor: null,
  format: "vst3",
  supported_sample_rates: [44100, 48000],
  latency_samples: 64,
  parameters: [{ name: "Mix", id: "mix", default: 0.5, range: [0, 1] }],
  resource_estimate: { memory_mb: 12.5, cpu_units: 2 },
} satisfies NodeDescriptorInput;

/** "minimal graph descriptor (list of node_id + routing)". */
export const SEED_NODE_GRAPH = {
  version: "v1alpha",
  nodes: [
    { name: "osc", node_id: "builtin:oscillator" },
    { name: "out", node_id: "builtin:gain", inputs: ["osc"] },
  ],
  output: "out",
} satisfies GraphDescriptorInput;

export const SEED_RENDER_REQUEST = {
  version: "v1alpha",
  request_id: "req-1",
  node_graph: SEED_NODE_GRAPH,
  duration_seconds: 1.5,
  sample_rate: 44100,
  channels: 2,
  start_position_seconds: null,
  options: { offline: true, preroll: 0 },
} satisfies RenderRequestInput;

export const SEED_RENDER_RESULT = {
  version: "v1alpha",
  request_id: "req-1",
  status: "ok",
  error: null,
  buffer_handle: "buf:1",
  frames: 66150,
  processing_time_ms: 12.3,
} satisfies RenderResultInput;

export const SEED_PLUGIN_DISCOVERY_RESULT = {
  version: "v1alpha",
  discovery_id: "disc-1",
  nodes: [SEED_NODE_DESCRIPTOR],
  scanned_paths: ["/usr/lib/vst3"],
  elapsed_ms: 250,
} satisfies PluginDiscoveryResultInput;

/** A deep copy to mutate into a malformed message. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
