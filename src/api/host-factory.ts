/**
 * How a host plugs into host selection: what the environment offers, which host was picked and why,
 * and the factory a host registers to create its EngineClient. The bootstrapper (src/client/) picks;
 * each host (src/hosts/) provides a factory; this module is the vocabulary both share.
 */
import type { EngineClient, HostKind } from "./engine-client";
import type { DataPlane } from "./realtime-readings";

export interface HostCapabilities {
  /** `AudioWorkletNode` exists: real-time playback is possible. */
  audioWorklet: boolean;
  /** `Worker` exists: rendering can leave the main thread. */
  worker: boolean;
  /** `crossOriginIsolated` is true: SharedArrayBuffer is available for the data plane. */
  crossOriginIsolated: boolean;
}

/** What the application needs: playback, offline rendering, or whatever runs best here. */
export type EngineMode = "realtime" | "offline" | "auto";

export interface HostSelection {
  host: HostKind;
  dataPlane: DataPlane;
  /** Why this host, in one line, for logs and error reports. */
  reason: string;
}

export interface HostContext<HostOptions = unknown> {
  selection: HostSelection;
  capabilities: HostCapabilities;
  hostOptions?: HostOptions;
}

/** Creates a host's EngineClient for a selection; each host exports one. */
export type HostFactory<HostOptions = unknown> = (context: HostContext<HostOptions>) => Promise<EngineClient>;
