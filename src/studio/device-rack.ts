/**
 * The device rack: per track a "Devices" panel listing its effects in signal order, each with its
 * generated parameter controls (device-controls.ts), Move up / Move down / Remove, its presets
 * (presets.ts), and for a "Faust (code)" device its code editor (faust-editor.ts), as for a Faust
 * instrument (faust-instrument.ts) above the effects, with its Voices (instrument-voices.ts). "Add device" offers what discovery finds
 * (device-chain.ts: builtin effects first, then Faust, then WAM) and a Faust device written in place.
 *
 * Every action is one project command, so one undo step, and reaches the playing engine through
 * followProject like any edit: a parameter is one setParameter, a device added, removed or moved a
 * reload. A drag of a control is one step (one gesture id until the slider's change event); a Faust
 * device's code compiles 400 ms after the last key on the engine (`compileFaust`): an error marks its
 * lines, a success replaces the device (its new node id, the source in `extensions.faust`, the values
 * of the parameters it kept), and all the compiles of one visit to the editor are one undo step.
 *
 * Descriptors come from discovery (builtin, Faust roots, WAM) and from each compile; a Faust device
 * of a project opened from a file is compiled once when the rack first shows it, for its controls.
 * Faust DSPs and WAM plugins come from the studio's `faustRoots` and `wamRoots`, added to the
 * discovering engine before it scans; what it finds goes to the studio too (the Instrument picker and
 * the automation lanes read it). A
 * WAM device also has a "Plugin window" toggle: its own GUI in the rack (wam-window.ts), beside the
 * generated controls, which stay as the fallback.
 */
import { html, nothing, type ReactiveControllerHost } from "lit";
import { repeat } from "lit/directives/repeat.js";

import { type DiscoveryRoot, discoveryRootKey } from "../api/discovery-roots";
import type { EngineClient, FaustCompiling } from "../api/engine-client";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import { trackNodes } from "../project/compile-track";
import type { ProjectCommand } from "../project/project-commands";
import { type Device, MASTER_ID, type Project, type Track } from "../project/project-schema";
import { effectChoices, FAUST_CODE_CHOICE, moveDeviceCommand, replaceDeviceCommand } from "./device-chain";
import { deviceControls } from "./device-controls";
import { DEFAULT_FAUST_CODE, FAUST_DEBOUNCE_MS, type FaustEditorState, faustEditor } from "./faust-editor";
import { faustErrorLines } from "./faust-error-lines";
import { faustVoicesOf, replaceInstrumentCommand } from "./faust-instrument";
import { parseVoices } from "./instrument-choices";
import { revoiceCommand, voicesField } from "./instrument-voices";
import { presetsFor, recallPresetCommand, savePresetCommand } from "./presets";
import { freshId, idStem } from "./studio-ids";
import { type WamGuiEngine, WamWindows } from "./wam-window";

export interface DeviceRackHost {
  project(): Project;
  /** Runs a command (a gesture id coalesces a drag); false when the project's rules refused it. */
  execute(command: ProjectCommand, gesture?: string): boolean;
  /**
   * A control of a device moved to `value`: true when the automation lane of `address`
   * (`device:<device id>:<parameter id>`) took it as a written point (Write on, playing), and the
   * device's own value must stay as it is.
   */
  record(trackId: string, address: string, value: number): boolean;
  /** The engine that discovers: the live one when it runs, else the Worker engine. */
  engine(): Promise<EngineClient>;
  /**
   * The engine that compiles Faust: the Worker engine (the live AudioWorklet host compiles the Faust
   * nodes of the graphs it loads from their `extensions.faust`, but has no compileFaust call).
   */
  compiler(): Promise<FaustCompiling>;
  /** Discovery roots the discovering engine scans too (the studio's `faustRoots` and `wamRoots`). */
  discoveryRoots(): readonly DiscoveryRoot[];
  /** What a discovery found, every node type (the studio's Instrument picker and automation lanes). */
  discovered(nodes: readonly NodeDescriptor[]): void;
  /** The live engine, started if need be: it plays the WAM devices and mounts their GUIs. */
  liveEngine(): Promise<WamGuiEngine | null>;
  /** Something failed (discovery, a compile that is no code error): shown as the studio's notice. */
  failed(error: unknown, context: string): void;
}

/** The Faust source a device carries (`extensions.faust.source`), or null for other devices. */
export function faustSourceOf(device: Device): string | null {
  const faust = device.extensions?.faust as { source?: unknown } | undefined;
  return typeof faust?.source === "string" ? faust.source : null;
}

interface FaustDraft {
  code: string;
  /** The source the project held when this draft last matched it; another one means undo or redo. */
  base: string;
  status: FaustEditorState["status"];
  errors: FaustEditorState["errors"];
  timer: ReturnType<typeof setTimeout> | null;
  /** Compiles started; a result is used only if it is the latest's. */
  sequence: number;
}

export class DeviceRack {
  private effects: NodeDescriptor[] = [];
  private readonly descriptors = new Map<string, NodeDescriptor>();
  private readonly drafts = new Map<string, FaustDraft>();
  private readonly describing = new Set<string>();
  private discovery: Promise<void> | null = null;
  /** The roots (keys) of the last discovery. */
  private discoveredRoots = "";
  private gesture = 0;
  private codeSession = 0;
  /** Compiles in flight, for settled(). */
  private readonly pending = new Set<Promise<unknown>>();
  /** Open plugin windows of WAM devices. */
  readonly windows: WamWindows;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly rack: DeviceRackHost,
  ) {
    this.windows = new WamWindows({
      project: () => this.rack.project(),
      execute: (command, gesture) => this.rack.execute(command, gesture),
      liveEngine: () => this.rack.liveEngine(),
      container: async (deviceId) => {
        await this.host.updateComplete;
        const root = (this.host as unknown as { renderRoot: ParentNode }).renderRoot;
        return root.querySelector(`[data-device="${deviceId}"] .wam-window`);
      },
      changed: () => this.host.requestUpdate(),
    });
  }

  /**
   * Every node type the rack knows: discovery's and each Faust compile's (an instrument compiled with
   * voices is not one discovery lists), so the automation lanes name and range their parameters.
   */
  nodeTypes(): NodeDescriptor[] {
    return [...this.descriptors.values()];
  }

  /** The descriptor the rack knows for `nodeId` (discovered or compiled). */
  descriptor(nodeId: string): NodeDescriptor | undefined {
    return this.descriptors.get(nodeId);
  }

  /** Waits until no Faust compile is scheduled or running (tests, scripts). */
  async settled(): Promise<void> {
    for (;;) {
      const timers = [...this.drafts.values()].some((draft) => draft.timer !== null);
      if (!timers && this.pending.size === 0) return;
      await Promise.all([
        ...this.pending,
        new Promise((resolve) => setTimeout(resolve, FAUST_DEBOUNCE_MS / 4)),
      ]);
    }
  }

  /** Fills the picker from discovery, once (again after a failure, or when the WAM roots changed). */
  readonly discover = (): void => {
    const roots = this.rack.discoveryRoots().map(discoveryRootKey).join("\n");
    if (this.discovery && roots === this.discoveredRoots) return;
    this.discoveredRoots = roots;
    this.discovery = this.rack
      .engine()
      .then(async (engine) => {
        const known = new Set((await engine.listDiscoveryRoots()).map(discoveryRootKey));
        for (const root of this.rack.discoveryRoots()) {
          if (!known.has(discoveryRootKey(root))) await engine.addDiscoveryRoot(root);
        }
        return engine.discoverNodes();
      })
      .then(
        (found) => {
          for (const node of found.nodes) this.descriptors.set(node.node_id, node);
          this.effects = effectChoices(found.nodes);
          this.rack.discovered(found.nodes);
          this.host.requestUpdate();
        },
        (error) => {
          this.discovery = null;
          this.rack.failed(error, "Discovery failed");
        },
      );
  };

  /**
   * Adds the effect `choice` (a node id from the picker, or FAUST_CODE_CHOICE) at the end of the
   * track's chain; returns the new device's id.
   */
  async add(trackId: string, choice: string): Promise<string | null> {
    const project = this.rack.project();
    if (choice === FAUST_CODE_CHOICE) {
      const compiled = await this.compile(DEFAULT_FAUST_CODE);
      const id = freshId(this.rack.project(), "faust");
      const device = { id, node_id: compiled.node_id, extensions: { faust: { source: DEFAULT_FAUST_CODE } } };
      return this.rack.execute({ type: "add_device", track_id: trackId, device }) ? id : null;
    }
    const descriptor = this.descriptors.get(choice);
    if (!descriptor) throw new Error(`"${choice}" is not a device discovery found`);
    const id = freshId(project, idStem(descriptor.name));
    const moduleUrl = descriptor.extensions.module_url;
    const device = {
      id,
      node_id: descriptor.node_id,
      ...(descriptor.format === "wam" && typeof moduleUrl === "string"
        ? { extensions: { wam: { module_url: moduleUrl } } }
        : {}),
    };
    return this.rack.execute({ type: "add_device", track_id: trackId, device }) ? id : null;
  }

  private async compile(code: string, voices?: number): Promise<NodeDescriptor> {
    const compiled = (await this.rack.compiler()).compileFaust(code, voices === undefined ? {} : { voices });
    this.pending.add(compiled);
    try {
      const descriptor = await compiled;
      this.descriptors.set(descriptor.node_id, descriptor);
      return descriptor;
    } finally {
      this.pending.delete(compiled);
    }
  }

  /** The view: one panel per track. */
  render(project: Project) {
    return html`
      <section class="devices" part="devices" aria-label="Devices"
        @pointerenter=${this.discover} @focusin=${this.discover}>
        ${project.tracks.map((track) =>
          this.renderRack(track.id, track.name || track.id, track.devices, this.renderInstrument(track)),
        )}
        ${project.tracks.length === 0 ? html`<p class="empty">Each track gets a device rack here.</p>` : nothing}
        ${this.renderRack(MASTER_ID, "Master", project.master.devices, nothing)}
      </section>
    `;
  }

  /** One rack: a track's (its instrument's code first, if Faust) or the master's ("master"). */
  private renderRack(trackId: string, name: string, devices: readonly Device[], instrument: unknown) {
    const names = deviceNames(devices, (nodeId) => this.descriptors.get(nodeId));
    return html`
      <div class="rack" role="group" aria-label="Devices of ${name}" data-track=${trackId}>
        <h3 class="rack-name">Devices · ${name}</h3>
        ${instrument}
        <ol class="device-list">
          ${repeat(
            devices,
            (device) => device.id,
            (device, index) =>
              this.renderDevice(trackId, device, names.get(device.id) ?? device.id, index, devices.length),
          )}
        </ol>
        ${devices.length === 0 ? html`<p class="device-empty">No devices.</p>` : nothing}
        <div class="rack-add">
          <select aria-label="Device to add to ${name}" data-add=${trackId}>
            ${this.effects.map((node) => html`<option value=${node.node_id}>${optionLabel(node)}</option>`)}
            <option value=${FAUST_CODE_CHOICE}>Faust (code)</option>
          </select>
          <button type="button" class="small" @click=${(event: Event) => this.onAddClick(trackId, event)}>
            Add device
          </button>
        </div>
      </div>
    `;
  }

  /**
   * An instrument track's instrument above its effects: a Faust one's code editor, and for every
   * instrument the controls of its own parameters, generated from its descriptor as an effect's are
   * (a drag is one undo step; the automation lanes list the same parameters, the instrument's first).
   * A WAM instrument also gets its Plugin window.
   */
  private renderInstrument(track: Track) {
    if (track.kind !== "instrument") return nothing;
    const instrument = track.instrument;
    const source = faustSourceOf(instrument);
    const descriptor = this.descriptors.get(instrument.node_id);
    const voices = faustVoicesOf(instrument);
    if (!descriptor && source !== null) this.learnParameters(source, voices);
    const name = `Instrument of ${track.name || track.id}`;
    const kind =
      source !== null ? "Faust" : (descriptor?.name ?? instrument.node_id.replace(/^builtin:/, ""));
    return html`
      <div class="device instrument" role="group" aria-label=${name} data-device=${instrument.id}>
        <div class="device-head"><span class="device-name">Instrument · ${kind}</span></div>
        ${source === null ? nothing : this.renderFaust(track.id, instrument, source, name)}
        ${
          source === null || voices === undefined
            ? nothing
            : voicesField(name, voices, (text) => void this.revoice(track.id, text))
        }
        ${this.renderControls(track.id, instrument, descriptor, name)}
        ${descriptor?.format === "wam" ? this.renderWindow(track.id, instrument.id, name) : nothing}
      </div>
    `;
  }

  /**
   * A device's generated controls; a drag is one set_device_params gesture, or, while its
   * automation lane writes, points at the playhead (automation-recorder.ts).
   */
  private renderControls(
    trackId: string,
    device: Device,
    descriptor: NodeDescriptor | undefined,
    name: string,
  ) {
    return deviceControls(device, descriptor, name, {
      input: (parameterId, value) => {
        if (this.rack.record(trackId, `device:${device.id}:${parameterId}`, value)) return;
        this.rack.execute(
          {
            type: "set_device_params",
            track_id: trackId,
            device_id: device.id,
            params: { [parameterId]: value },
          },
          `device-${this.gesture}`,
        );
      },
      commit: () => {
        this.gesture++;
      },
    });
  }

  private renderDevice(trackId: string, device: Device, name: string, index: number, count: number) {
    const bypassed = device.bypass === true;
    const descriptor = this.descriptors.get(device.node_id);
    const source = faustSourceOf(device);
    if (!descriptor && source !== null) this.learnParameters(source);
    const presets = presetsFor(this.rack.project(), device);
    return html`
      <li><div class="device" role="group" aria-label=${name} data-device=${device.id} ?data-bypassed=${bypassed}>
        <div class="device-head">
          <span class="device-name">${name}</span>
          <button type="button" class="small bypass" aria-pressed=${String(bypassed)} aria-label="Bypass ${name}"
            title=${bypassed ? "Bypassed: the signal goes around it" : "Bypass: let the signal go around it"}
            @click=${() =>
              this.rack.execute({
                type: "set_device_bypass",
                track_id: trackId,
                device_id: device.id,
                bypass: !bypassed,
              })}>Bypass</button>
          <button type="button" class="small" data-action="up" aria-label="Move ${name} up" ?disabled=${index === 0}
            @click=${() => this.move(trackId, device.id, -1, name)}>↑</button>
          <button type="button" class="small" data-action="down" aria-label="Move ${name} down"
            ?disabled=${index === count - 1} @click=${() => this.move(trackId, device.id, 1, name)}>↓</button>
          <button type="button" class="small" aria-label="Remove ${name}"
            @click=${() => this.rack.execute({ type: "remove_device", track_id: trackId, device_id: device.id })}>✕</button>
        </div>
        ${source === null ? nothing : this.renderFaust(trackId, device, source, name)}
        ${this.renderControls(trackId, device, descriptor, name)}
        ${descriptor?.format === "wam" ? this.renderWindow(trackId, device.id, name) : nothing}
        <div class="device-presets">
          <select aria-label="Presets of ${name}" ?disabled=${presets.length === 0}>
            ${presets.length === 0 ? html`<option value="">No presets</option>` : nothing}
            ${presets.map((preset) => html`<option value=${preset.id}>${preset.name}</option>`)}
          </select>
          <button type="button" class="small" ?disabled=${presets.length === 0}
            @click=${(event: Event) => this.recall(trackId, device.id, event)}>Recall</button>
          <input type="text" class="preset-name" placeholder="Preset name" aria-label="Preset name for ${name}" />
          <button type="button" class="small" @click=${(event: Event) => this.savePreset(device, event)}>
            Save preset
          </button>
        </div>
      </div></li>
    `;
  }

  /** A WAM device's "Plugin window" toggle and, while open, the element its GUI mounts in. */
  private renderWindow(trackId: string, deviceId: string, name: string) {
    const open = this.windows.isOpen(deviceId);
    const status = this.windows.status(deviceId);
    return html`
      <div class="device-window">
        <button type="button" class="small" aria-pressed=${String(open)} aria-label="Plugin window of ${name}"
          @click=${() => void this.windows.toggle(trackId, deviceId, trackNodes.device(trackId, deviceId))}>
          Plugin window
        </button>
        ${status ? html`<p class="device-note" role="status">${status}</p>` : nothing}
      </div>
      ${open ? html`<div class="wam-window" part="wam-window" aria-label="Plugin window of ${name}"></div>` : nothing}
    `;
  }

  private renderFaust(trackId: string, device: Device, source: string, name: string) {
    let draft = this.drafts.get(device.id);
    // Undo or redo put another source in the project: the editor shows it, and its errors go.
    if (draft && draft.base !== source && draft.code !== source && draft.timer === null) {
      this.drafts.delete(device.id);
      draft = undefined;
    }
    const state: FaustEditorState = draft ?? { code: source, status: "compiled", errors: [] };
    return faustEditor(name, state, {
      edit: (code) => this.edit(trackId, device.id, source, code),
      leave: () => {
        this.codeSession++;
      },
    });
  }

  private edit(trackId: string, deviceId: string, source: string, code: string): void {
    const draft = this.drafts.get(deviceId) ?? {
      code,
      base: source,
      status: "compiling" as const,
      errors: [],
      timer: null,
      sequence: 0,
    };
    draft.code = code;
    draft.status = "compiling";
    if (draft.timer !== null) clearTimeout(draft.timer);
    draft.timer = setTimeout(() => {
      draft.timer = null;
      void this.compileDraft(trackId, deviceId, draft);
    }, FAUST_DEBOUNCE_MS);
    this.drafts.set(deviceId, draft);
    this.host.requestUpdate();
  }

  private async compileDraft(trackId: string, deviceId: string, draft: FaustDraft): Promise<void> {
    const sequence = ++draft.sequence;
    const code = draft.code;
    const deviceOf = (project: Project): Device | undefined => {
      if (trackId === MASTER_ID) return project.master.devices.find((d) => d.id === deviceId);
      const track = project.tracks.find((t) => t.id === trackId);
      if (track?.kind === "instrument" && track.instrument.id === deviceId) return track.instrument;
      return track?.devices.find((d) => d.id === deviceId);
    };
    try {
      const before = deviceOf(this.rack.project());
      const compiled = await this.compile(code, before ? faustVoicesOf(before) : undefined);
      if (sequence !== draft.sequence || draft.timer !== null) return;
      const project = this.rack.project();
      const device = deviceOf(project);
      if (!device) return;
      const track = project.tracks.find((t) => t.id === trackId);
      const isInstrument = track?.kind === "instrument" && track.instrument.id === deviceId;
      const kept = new Set((compiled.parameters ?? []).map((parameter) => parameter.id));
      const replacement: Device = {
        ...device,
        node_id: compiled.node_id,
        params: Object.fromEntries(Object.entries(device.params).filter(([id]) => kept.has(id))),
        extensions: { ...device.extensions, faust: { ...(device.extensions?.faust ?? {}), source: code } },
      };
      const label = `Edit Faust code on ${track?.name || trackId}`;
      this.rack.execute(
        isInstrument
          ? replaceInstrumentCommand(project, trackId, replacement, label)
          : replaceDeviceCommand(project, trackId, deviceId, replacement, label),
        `faust-${deviceId}-${this.codeSession}`,
      );
      draft.status = "compiled";
      draft.errors = [];
      draft.base = code;
    } catch (error) {
      if (sequence !== draft.sequence || draft.timer !== null) return;
      const message = error instanceof Error ? error.message : String(error);
      draft.status = "error";
      draft.errors = faustErrorLines(message, code.split("\n").length);
    }
    this.host.requestUpdate();
  }

  /**
   * The Faust instrument of `trackId` with the voices typed (instrument-voices.ts): compiled again
   * with them and put in place, one undo step; a count out of range or a failed compile is a notice.
   */
  private async revoice(trackId: string, text: string): Promise<void> {
    const task = this.compileVoices(trackId, text).catch((error: unknown) => {
      this.rack.failed(error, "The voices could not change");
      this.host.requestUpdate();
    });
    this.pending.add(task);
    await task;
    this.pending.delete(task);
  }

  private async compileVoices(trackId: string, text: string): Promise<void> {
    const voices = parseVoices(text);
    const track = this.rack.project().tracks.find((candidate) => candidate.id === trackId);
    if (track?.kind !== "instrument") return;
    const source = faustSourceOf(track.instrument);
    if (source === null || faustVoicesOf(track.instrument) === voices) return;
    const compiled = await this.compile(source, voices);
    const project = this.rack.project();
    const now = project.tracks.find((candidate) => candidate.id === trackId);
    // Another edit replaced the instrument meanwhile: this count was for the one before.
    if (now?.kind !== "instrument" || now.instrument !== track.instrument) return;
    this.rack.execute(revoiceCommand(project, trackId, now.instrument, compiled.node_id, voices));
  }

  /**
   * A Faust device's descriptor, compiled once from the source (and voices) it carries: a project
   * opened from a file, an instrument added by the picker.
   */
  private learnParameters(source: string, voices?: number): void {
    const key = `${voices ?? 0}:${source}`;
    if (this.describing.has(key)) return;
    this.describing.add(key);
    this.compile(source, voices).then(
      () => this.host.requestUpdate(),
      () => {},
    );
  }

  private async move(trackId: string, deviceId: string, by: -1 | 1, name: string): Promise<void> {
    const command = moveDeviceCommand(this.rack.project(), trackId, deviceId, by, name);
    if (!command || !this.rack.execute(command)) return;
    // The moved device's DOM moved too, which drops the focus: give it back to the same button, or to
    // the other one when this one is now disabled at the end of the chain.
    await this.host.updateComplete;
    const root = (this.host as unknown as { renderRoot: ParentNode }).renderRoot;
    const item = root.querySelector(`[data-track="${trackId}"] [data-device="${deviceId}"]`);
    const same = item?.querySelector<HTMLButtonElement>(`[data-action="${by < 0 ? "up" : "down"}"]`);
    const other = item?.querySelector<HTMLButtonElement>(`[data-action="${by < 0 ? "down" : "up"}"]`);
    (same && !same.disabled ? same : other)?.focus();
  }

  private readonly onAddClick = (trackId: string, event: Event): void => {
    const select = (event.target as HTMLElement).closest(".rack-add")?.querySelector("select");
    if (!select?.value) return;
    this.add(trackId, select.value).catch((error) =>
      this.rack.failed(error, "The device could not be added"),
    );
  };

  private savePreset(device: Device, event: Event): void {
    const field = (event.target as HTMLElement)
      .closest(".device-presets")
      ?.querySelector<HTMLInputElement>(".preset-name");
    const name = field?.value.trim() ?? "";
    if (!field || name === "") {
      field?.focus();
      return;
    }
    const command = savePresetCommand(
      this.rack.project(),
      device,
      this.descriptors.get(device.node_id),
      name,
    );
    if (this.rack.execute(command)) field.value = "";
  }

  private recall(trackId: string, deviceId: string, event: Event): void {
    const select = (event.target as HTMLElement).closest(".device-presets")?.querySelector("select");
    const preset = this.rack.project().presets.find((candidate) => candidate.id === select?.value);
    if (preset) this.rack.execute(recallPresetCommand(trackId, deviceId, preset));
  }
}

function optionLabel(node: NodeDescriptor): string {
  return node.format === "builtin" ? node.name : `${node.name} (${node.format === "wam" ? "WAM" : "Faust"})`;
}

/**
 * Each device's name in its rack: the descriptor's (a Faust code device is "Faust"), numbered when two
 * share one ("Filter", "Filter 2"), so every control's label says which device it belongs to.
 */
export function deviceNames(
  devices: readonly Device[],
  descriptorOf: (nodeId: string) => NodeDescriptor | undefined,
): Map<string, string> {
  const counts = new Map<string, number>();
  const names = new Map<string, string>();
  for (const device of devices) {
    const base =
      faustSourceOf(device) !== null
        ? "Faust"
        : (descriptorOf(device.node_id)?.name ?? device.node_id.replace(/^builtin:/, ""));
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    names.set(device.id, n === 1 ? base : `${base} ${n}`);
  }
  return names;
}
