/**
 * The arrangement's Instrument picker and what its "Instrument track" button does: the choices one
 * discovery lists (instrument-choices.ts: builtin, Faust DSPs with a Voices field, WAM instruments, and
 * the Faust synth written in place), and a new instrument track playing the one picked, one undo step.
 * The keyboard then plays the new track.
 */
import { html, type ReactiveControllerHost } from "lit";

import type { FaustCompiling } from "../api/engine-client";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { ProjectCommand } from "../project/project-commands";
import type { Project } from "../project/project-schema";
import { FAUST_SYNTH_CHOICE } from "./faust-instrument";
import {
  DEFAULT_VOICES,
  type InstrumentChoice,
  instrumentChoices,
  instrumentDevice,
  MAX_VOICES,
  MIN_VOICES,
  parseVoices,
  takesVoices,
} from "./instrument-choices";
import { plusIcon } from "./studio-icons";
import { freshId } from "./studio-ids";

export interface InstrumentPickerHost {
  project(): Project;
  run(command: ProjectCommand): boolean;
  /** The engine that compiles Faust (the Worker engine). */
  compiler(): Promise<FaustCompiling>;
  /** A track was added: the keyboard plays it. */
  added(trackId: string): void;
  failed(error: unknown, context: string): void;
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

export class InstrumentPicker {
  /** The choices of the last discovery (empty until one ran). */
  private choices: InstrumentChoice[] = [];
  private picked = "";
  private voices = String(DEFAULT_VOICES);

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly picker: InstrumentPickerHost,
  ) {}

  /** A discovery's nodes: the choices it lists. */
  discovered(nodes: readonly NodeDescriptor[]): void {
    this.choices = instrumentChoices(nodes);
    if (!this.choices.some((choice) => choice.value === this.picked))
      this.picked = this.choices[0]?.value ?? "";
    this.host.requestUpdate();
  }

  /** The name discovery gives `nodeId`, if it lists it. */
  nameOf(nodeId: string): string | undefined {
    return this.choices.find((choice) => choice.value === nodeId)?.descriptor?.name;
  }

  /**
   * Adds an instrument track playing the choice `value` (a node id the picker lists, or
   * FAUST_SYNTH_CHOICE), a Faust one with `voices`; resolves to the track's id. `source` replaces the
   * Faust synth's code. A node the picker does not list is taken as a builtin node id.
   */
  async add(
    value: string,
    options: { voices?: number; name?: string; source?: string } = {},
  ): Promise<string> {
    const choice: InstrumentChoice = this.choices.find((candidate) => candidate.value === value) ?? {
      value,
      label: value.replace(/^[a-z]+:/, ""),
      kind: value === FAUST_SYNTH_CHOICE ? "faust-code" : "builtin",
    };
    const voices = options.voices ?? DEFAULT_VOICES;
    const name =
      options.name ??
      (choice.kind === "faust-code" ? "Faust synth" : (choice.descriptor?.name ?? choice.label));
    const project = this.picker.project();
    const id = freshId(project, name);
    const instrumentId = freshId(project, `${name}-instrument`, new Set([id]));
    const sources = { compiler: () => this.picker.compiler(), fetchText };
    const device = await instrumentDevice(choice, instrumentId, voices, sources, options.source);
    if (
      !this.picker.run({ type: "add_track", track: { kind: "instrument", id, name, instrument: device } })
    ) {
      throw new Error(`The track "${name}" could not be added`);
    }
    this.picker.added(id);
    return id;
  }

  /** The picker, its Voices field (for a Faust choice) and the "Instrument track" button. */
  render() {
    const choices = this.choices;
    const picked = choices.find((choice) => choice.value === this.picked);
    const voiced = takesVoices(picked);
    return html`<span class="instrument-picker">
      <label for="instrument-select">Instrument</label>
      <select id="instrument-select" ?disabled=${choices.length === 0} @change=${this.onPick}>
        ${
          choices.length === 0
            ? html`<option>Instruments load on first use…</option>`
            : choices.map(
                (choice) =>
                  html`<option value=${choice.value} ?selected=${choice.value === this.picked}>${choice.label}</option>`,
              )
        }
      </select>
      <label for="instrument-voices">Voices</label>
      <input id="instrument-voices" class="voices" type="number" min=${MIN_VOICES} max=${MAX_VOICES} step="1"
        .value=${this.voices} ?disabled=${!voiced}
        title=${voiced ? "Notes this Faust instrument plays at once" : "Only a Faust instrument has voices"}
        @change=${this.onVoices} />
      <button type="button" ?disabled=${choices.length === 0} @click=${this.onAdd}>
        ${plusIcon}<span>Instrument track</span>
      </button>
    </span>`;
  }

  private readonly onPick = (event: Event): void => {
    this.picked = (event.target as HTMLSelectElement).value;
    this.host.requestUpdate();
  };

  private readonly onVoices = (event: Event): void => {
    this.voices = (event.target as HTMLInputElement).value;
  };

  private readonly onAdd = (): void => {
    const choice = this.choices.find((candidate) => candidate.value === this.picked);
    if (!choice) return;
    let voices = DEFAULT_VOICES;
    try {
      if (takesVoices(choice)) voices = parseVoices(this.voices);
    } catch (error) {
      this.picker.failed(error, "No track added");
      return;
    }
    this.add(choice.value, { voices }).catch((error) => {
      this.picker.failed(error, `The instrument ${choice.label} could not be added`);
    });
  };
}
