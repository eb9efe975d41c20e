/**
 * A WAM device's "Plugin window" in the device rack: the plugin's own GUI (createGui), mounted in the
 * rack by the live AudioWorklet engine (mountWamGui, as the demo's WAM insert does) while that engine
 * plays the project's graph, and unmounted on close or when the device goes.
 *
 * Keeping the GUI's moves: a WAM 2.0 GUI sets its plugin's parameters directly and tells the host
 * nothing, so while the window is open the plugin's values are read every POLL_MS
 * (getParameterValues, on the main thread, never in the audio path) and once more on close. A value
 * the plugin changed since the last read that differs from the project's is written to the device's
 * params, one undo step per window visit. A value the plugin took from the project (undo, redo, the
 * generated controls) equals the project's, so it is not written back, and undo is not undone.
 * A reload of the graph (a device added, moved or removed) builds new plugin instances: the window
 * then mounts the new instance's GUI.
 */
import type { ProjectCommand } from "../project/project-commands";
import type { Device, Project } from "../project/project-schema";

/** How often an open window reads its plugin's parameter values. */
export const POLL_MS = 250;
/** How long opening waits for the live engine to play the graph with the plugin. */
const LOAD_WAIT_MS = 20_000;

/** The playing WAM graph, as the AudioWorklet client exposes it (`wams`). */
export interface PlayingWams {
  hasWam(node: string): boolean;
  parameterValues(node: string): Promise<Record<string, number>>;
}

/** What a window needs of the live engine (the AudioWorklet host's client). */
export interface WamGuiEngine {
  readonly wams: PlayingWams | null;
  mountWamGui(node: string, container: Element): Promise<() => void>;
}

export interface WamWindowHost {
  project(): Project;
  execute(command: ProjectCommand, gesture?: string): boolean;
  /** The live engine, started if need be (opening is a click, so audio may start). */
  liveEngine(): Promise<WamGuiEngine | null>;
  /** The element the window of `deviceId` mounts into, once rendered. */
  container(deviceId: string): Promise<Element | null>;
  changed(): void;
}

interface OpenWindow {
  trackId: string;
  /** The graph node of the device (compile-track.ts: `<track>.dev.<device>`). */
  node: string;
  status: string;
  engine: WamGuiEngine | null;
  mountedOn: PlayingWams | null;
  unmount: (() => void) | null;
  /** The plugin's values at the last read. */
  seen: Record<string, number> | null;
  timer: ReturnType<typeof setInterval> | null;
  visit: number;
  busy: boolean;
  /** Past this time (ms) a plugin never mounted is reported as not loading. */
  deadline: number;
}

export class WamWindows {
  private readonly open = new Map<string, OpenWindow>();
  private visits = 0;

  constructor(private readonly host: WamWindowHost) {}

  /** Whether `deviceId`'s window is open. */
  isOpen(deviceId: string): boolean {
    return this.open.has(deviceId);
  }

  /** The window's status line ("Loading the plugin…"), or "" once its GUI is mounted. */
  status(deviceId: string): string {
    return this.open.get(deviceId)?.status ?? "";
  }

  /** Opens or closes `deviceId`'s window. */
  async toggle(trackId: string, deviceId: string, node: string): Promise<void> {
    if (this.open.has(deviceId)) {
      await this.close(deviceId, true);
      return;
    }
    const window: OpenWindow = {
      trackId,
      node,
      status: "Starting the engine…",
      engine: null,
      mountedOn: null,
      unmount: null,
      seen: null,
      timer: null,
      visit: ++this.visits,
      busy: false,
      deadline: Date.now() + LOAD_WAIT_MS,
    };
    this.open.set(deviceId, window);
    this.host.changed();
    window.engine = await this.host.liveEngine();
    if (this.open.get(deviceId) !== window) return;
    if (!window.engine || !("mountWamGui" in window.engine)) {
      window.status = "The plugin window needs the live engine, which could not start.";
      this.host.changed();
      return;
    }
    window.status = "Loading the plugin…";
    this.host.changed();
    window.timer = setInterval(() => void this.tick(deviceId, window), POLL_MS);
    await this.tick(deviceId, window);
  }

  /** Closes every window (the studio leaves the page), keeping what their plugins hold. */
  closeAll(): void {
    for (const deviceId of [...this.open.keys()]) void this.close(deviceId, false);
  }

  private async close(deviceId: string, keep: boolean): Promise<void> {
    const window = this.open.get(deviceId);
    if (!window) return;
    if (window.timer !== null) clearInterval(window.timer);
    window.timer = null;
    if (keep && this.deviceOf(window.trackId, deviceId)) await this.keep(deviceId, window).catch(() => {});
    window.unmount?.();
    window.unmount = null;
    this.open.delete(deviceId);
    this.host.changed();
  }

  /** One poll: closes a removed device's window, (re)mounts on the playing instance, keeps moves. */
  private async tick(deviceId: string, window: OpenWindow): Promise<void> {
    if (window.busy || this.open.get(deviceId) !== window) return;
    if (!this.deviceOf(window.trackId, deviceId)) {
      await this.close(deviceId, false);
      return;
    }
    window.busy = true;
    try {
      const wams = window.engine?.wams ?? null;
      if (!wams?.hasWam(window.node)) {
        if (window.unmount) {
          window.unmount();
          window.unmount = null;
          window.mountedOn = null;
        }
        // Still polled: a later reload (the graph fixed) may bring the plugin.
        window.status =
          window.mountedOn === null && Date.now() > window.deadline
            ? "The plugin did not load: the studio's notice says why."
            : "Loading the plugin…";
        this.host.changed();
        return;
      }
      if (window.mountedOn !== wams) await this.mount(deviceId, window, wams);
      else await this.keep(deviceId, window);
    } catch (error) {
      window.status = `The plugin window could not open: ${error instanceof Error ? error.message : String(error)}`;
      this.host.changed();
    } finally {
      window.busy = false;
    }
  }

  private async mount(deviceId: string, window: OpenWindow, wams: PlayingWams): Promise<void> {
    window.unmount?.();
    window.unmount = null;
    window.status = "";
    this.host.changed();
    const container = await this.host.container(deviceId);
    if (!container || !window.engine) return;
    container.replaceChildren();
    window.unmount = await window.engine.mountWamGui(window.node, container);
    window.mountedOn = wams;
    // A new instance starts from the project's values: nothing of it to keep yet.
    window.seen = await wams.parameterValues(window.node);
  }

  /** Writes the plugin's values that it changed since the last read and the project lacks. */
  private async keep(deviceId: string, window: OpenWindow): Promise<void> {
    const wams = window.mountedOn;
    if (!wams?.hasWam(window.node)) return;
    const values = await wams.parameterValues(window.node);
    const device = this.deviceOf(window.trackId, deviceId);
    const seen = window.seen;
    window.seen = values;
    if (!device || !seen) return;
    const changed = pluginMoves(values, seen, device.params);
    if (Object.keys(changed).length === 0) return;
    this.host.execute(
      { type: "set_device_params", track_id: window.trackId, device_id: deviceId, params: changed },
      `wam-window-${deviceId}-${window.visit}`,
    );
  }

  private deviceOf(trackId: string, deviceId: string): Device | undefined {
    return this.host
      .project()
      .tracks.find((t) => t.id === trackId)
      ?.devices.find((d) => d.id === deviceId);
  }
}

/** Values are equal to 1e-6 relative (the plugin reports float32). */
function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * The parameters the plugin moved on its own: changed since the last read (`seen`) and different from
 * what the device stores (a stored choice label counts as stored).
 * @example
 * pluginMoves({ gain: 0.5 }, { gain: 0.35 }, { gain: 0.35 }); // { gain: 0.5 }
 * pluginMoves({ gain: 0.5 }, { gain: 0.35 }, { gain: 0.5 });  // {} (the project moved it: undo)
 */
export function pluginMoves(
  values: Record<string, number>,
  seen: Record<string, number>,
  stored: Record<string, number | string>,
): Record<string, number> {
  const moved: Record<string, number> = {};
  for (const [id, value] of Object.entries(values)) {
    const before = seen[id];
    if (before !== undefined && same(before, value)) continue;
    const kept = stored[id];
    if (typeof kept === "number" && same(kept, value)) continue;
    moved[id] = value;
  }
  return moved;
}
