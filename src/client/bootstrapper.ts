/**
 * EngineBootstrapper: picks the host an EngineClient runs in and creates it.
 *
 * - audioworklet: real-time playback (needs AudioWorkletNode);
 * - worker: faster-than-real-time offline rendering off the main thread (needs Worker);
 * - in-process: same thread; Node, tests, the CLI, light workflows (always available);
 * - test-double: no engine; only when asked for by name.
 *
 * Cross-origin isolation does not change the host, only how bulk audio moves: SharedArrayBuffer rings
 * when `crossOriginIsolated` is true, MessagePort transfers otherwise. Hosts register factories here as
 * they land; there is no global registry, so tests and embedders each build their own bootstrapper.
 */

import type { EngineClient, HostKind } from "../api/engine-client";
import type { EngineMode, HostCapabilities, HostFactory, HostSelection } from "../api/host-factory";
import type { DataPlane } from "../api/realtime-readings";
import { EngineError } from "../contracts/errors";

/** The globals the probe reads; injectable so selection can be tested for any environment. */
export interface CapabilityScope {
  AudioWorkletNode?: unknown;
  Worker?: unknown;
  crossOriginIsolated?: unknown;
}

/**
 * Detects what this environment offers. Isolation is read from `crossOriginIsolated` only.
 * @example
 * probeCapabilities(); // in Node: { audioWorklet: false, worker: false, crossOriginIsolated: false }
 */
export function probeCapabilities(scope: CapabilityScope = globalThis as CapabilityScope): HostCapabilities {
  return {
    audioWorklet: typeof scope.AudioWorkletNode === "function",
    worker: typeof scope.Worker === "function",
    crossOriginIsolated: scope.crossOriginIsolated === true,
  };
}

const MODE_CANDIDATES: Record<EngineMode, readonly HostKind[]> = {
  realtime: ["audioworklet"],
  offline: ["worker", "in-process"],
  auto: ["audioworklet", "worker", "in-process"],
};

/** Why a host cannot be used here, or undefined when it can. */
function unavailableBecause(
  host: HostKind,
  capabilities: HostCapabilities,
  registered?: ReadonlySet<HostKind>,
) {
  if (host === "audioworklet" && !capabilities.audioWorklet) return "no AudioWorkletNode in this environment";
  if (host === "worker" && !capabilities.worker) return "no Worker in this environment";
  if (registered !== undefined && !registered.has(host)) return "no factory registered";
  return undefined;
}

function dataPlaneFor(host: HostKind, capabilities: HostCapabilities): DataPlane {
  if (host === "in-process" || host === "test-double") return "in_process";
  return capabilities.crossOriginIsolated ? "shared_memory" : "message_port";
}

const DATA_PLANE_TEXT: Record<DataPlane, string> = {
  shared_memory: "shared memory (cross-origin isolated)",
  message_port: "MessagePort transfers (not cross-origin isolated)",
  in_process: "in-process buffers",
};

/**
 * Picks a host: the one named by `host`, else the first usable candidate for `mode` (realtime:
 * audioworklet; offline: worker, in-process; auto: audioworklet, worker, in-process). `registered`, when
 * given, limits the choice to hosts with a factory. Throws E_HOST_UNAVAILABLE naming each host tried.
 * @example
 * selectHost(probeCapabilities(), "offline");
 * // in Node: { host: "in-process", dataPlane: "in_process", reason: "offline: in-process (worker: no Worker ...)" }
 */
export function selectHost(
  capabilities: HostCapabilities,
  mode: EngineMode,
  registered?: ReadonlySet<HostKind>,
  host?: HostKind,
): HostSelection {
  const candidates = host === undefined ? MODE_CANDIDATES[mode] : [host];
  const label = host === undefined ? mode : `requested ${host}`;
  const skipped: string[] = [];
  for (const candidate of candidates) {
    const problem = unavailableBecause(candidate, capabilities, registered);
    if (problem !== undefined) {
      skipped.push(`${candidate}: ${problem}`);
      continue;
    }
    const dataPlane = dataPlaneFor(candidate, capabilities);
    const because = skipped.length === 0 ? "" : `; skipped ${skipped.join("; ")}`;
    return {
      host: candidate,
      dataPlane,
      reason: `${label}: ${candidate} over ${DATA_PLANE_TEXT[dataPlane]}${because}`,
    };
  }
  throw new EngineError("E_HOST_UNAVAILABLE", `${label}: no usable host (${skipped.join("; ")})`);
}

export interface CreateEngineOptions<HostOptions = unknown> {
  /** Ask for one host by name; otherwise the mode decides. */
  host?: HostKind;
  /** Default "auto". */
  mode?: EngineMode;
  /** Capability probe; default probeCapabilities() on globalThis. */
  probe?: () => HostCapabilities;
  /** Passed through to the host factory (worklet URL, AudioContext, clock, ...). */
  hostOptions?: HostOptions;
}

export class EngineBootstrapper {
  /** Each factory declares its own options type; callers of createEngine pass the matching hostOptions. */
  private readonly factories = new Map<HostKind, HostFactory>();

  /**
   * Registers (or replaces) the factory of a host.
   * @example
   * const bootstrapper = new EngineBootstrapper().registerHost("test-double", testDoubleHostFactory);
   */
  registerHost<HostOptions>(kind: HostKind, factory: HostFactory<HostOptions>): this {
    this.factories.set(kind, factory as HostFactory);
    return this;
  }

  /**
   * Hosts with a registered factory.
   * @example
   * bootstrapper.registeredHosts(); // ["in-process", "worker"]
   */
  registeredHosts(): HostKind[] {
    return [...this.factories.keys()];
  }

  /**
   * Which host createEngine would use, without creating it.
   * @example
   * const { host, reason } = bootstrapper.select({ mode: "realtime" });
   */
  select(options: CreateEngineOptions = {}): HostSelection {
    return this.probeAndSelect(options).selection;
  }

  /**
   * Selects a host and creates its EngineClient. E_HOST_UNAVAILABLE when none fits.
   * @example
   * const client = await bootstrapper.createEngine({ mode: "offline" });
   */
  async createEngine<HostOptions>(options: CreateEngineOptions<HostOptions> = {}): Promise<EngineClient> {
    const { capabilities, selection } = this.probeAndSelect(options);
    const factory = this.factories.get(selection.host);
    if (factory === undefined)
      throw new EngineError("E_HOST_UNAVAILABLE", `${selection.host}: no factory registered`);
    return factory({ selection, capabilities, hostOptions: options.hostOptions });
  }

  private probeAndSelect(options: CreateEngineOptions) {
    const capabilities = (options.probe ?? probeCapabilities)();
    const registered = new Set(this.factories.keys());
    return {
      capabilities,
      selection: selectHost(capabilities, options.mode ?? "auto", registered, options.host),
    };
  }
}
