/**
 * The demo's WAM insert: a toggle that puts a WAM effect at the end of the player's patch (engine
 * nodes first, then the plugin, then the output) or takes it out, and the plugin's own GUI mounted
 * under it (mountWamGui) while it is in.
 *
 * Why at the end: the player's sliders move engine nodes with setParameter, and in a graph with WAM
 * nodes that reaches the stage holding the graph's first engine nodes (docs/wam.md, "Real time"). With
 * the plugin last, every engine node is in that stage, so the sliders keep working.
 */

import { demoGraph } from "../components/demo-graph";
import type { WebdreamerPlayer } from "../components/webdreamer-player";
import type { GraphDescriptorInput } from "../contracts/graph-descriptor";
import type { DemoWam } from "./demo-plugins";

/** The WAM node's name in the demo graph. */
export const WAM_NODE = "plugin";

/** What the demo needs of the AudioWorklet host's client beyond RealtimeEngineClient. */
interface WamCapableEngine {
  readonly wams: { hasWam(node: string): boolean } | null;
  mountWamGui(node: string, container: Element): Promise<() => void>;
}

/** The demo graph with `wam` after its last node, as the graph's output. */
export function graphWithWam(wam: DemoWam, graph = demoGraph()): GraphDescriptorInput {
  return {
    ...graph,
    nodes: [
      ...graph.nodes,
      {
        name: WAM_NODE,
        node_id: wam.nodeId,
        inputs: [graph.output],
        params: wam.params,
        extensions: { wam: { module_url: new URL(wam.moduleUrl, location.href).href } },
      },
    ],
    output: WAM_NODE,
  };
}

/** The elements the insert drives (index.html). */
export interface WamInsertView {
  toggle: HTMLButtonElement;
  gui: HTMLElement;
}

const BASE_LABEL = "Arpeggio → lowpass → echo → pan";
/** How long the GUI waits for the player to load the graph with the plugin. */
const GUI_WAIT_MS = 20_000;

/**
 * Drives the toggle. The GUI mounts once the engine plays the graph with the plugin: at once when
 * the engine runs, else after the first Play (webdreamer-ready).
 */
export class WamInsert {
  private inserted = false;
  private unmount: (() => void) | null = null;
  /** Bumped by every change: a slower, older mount gives way to the newer state. */
  private generation = 0;
  /**
   * The sliders' values as the engine took them, by node and parameter: a new graph resets the
   * player's sliders to its params, so the graphs set here carry them (a visitor's Cutoff stays).
   */
  private readonly values = new Map<string, Map<string, number>>();

  constructor(
    private readonly player: WebdreamerPlayer,
    private readonly view: WamInsertView,
    private readonly wam: DemoWam,
  ) {
    view.toggle.addEventListener("click", () => void this.set(!this.inserted));
    player.addEventListener("webdreamer-ready", () => void this.syncGui());
    player.addEventListener("webdreamer-parameter", ({ detail }) => {
      const node = this.values.get(detail.node) ?? new Map<string, number>();
      node.set(detail.param, detail.value);
      this.values.set(detail.node, node);
    });
    this.render();
  }

  /** Inserts the plugin (true) or takes it out. */
  async set(inserted: boolean): Promise<void> {
    this.inserted = inserted;
    const graph = this.withSliderValues(demoGraph());
    this.player.graph = inserted ? graphWithWam(this.wam, graph) : graph;
    this.player.label = inserted ? `${BASE_LABEL} → ${this.wam.name}` : BASE_LABEL;
    this.render();
    await this.syncGui();
  }

  private withSliderValues(graph: GraphDescriptorInput): GraphDescriptorInput {
    return {
      ...graph,
      nodes: graph.nodes.map((node) => {
        const values = this.values.get(node.name);
        return values ? { ...node, params: { ...node.params, ...Object.fromEntries(values) } } : node;
      }),
    };
  }

  private render(): void {
    const { toggle, gui } = this.view;
    toggle.setAttribute("aria-pressed", String(this.inserted));
    toggle.textContent = this.inserted ? `Bypass ${this.wam.name}` : `Insert ${this.wam.name}`;
    gui.hidden = !this.inserted;
  }

  private async syncGui(): Promise<void> {
    const generation = ++this.generation;
    this.unmount?.();
    this.unmount = null;
    this.view.gui.replaceChildren();
    const engine = this.player.engine as unknown as WamCapableEngine | null;
    if (!this.inserted || engine === null) {
      if (this.inserted) this.view.gui.textContent = "The plugin's interface appears once the patch plays.";
      return;
    }
    this.view.gui.textContent = "Loading the plugin…";
    // The player loads a new graph on its own schedule: wait until the plugin is in the playing graph
    // (a graph that fails to load shows in the player's notice; the wait then gives up).
    const deadline = Date.now() + GUI_WAIT_MS;
    while (!engine.wams?.hasWam(WAM_NODE)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (generation !== this.generation || this.player.engine !== (engine as unknown)) return;
      if (Date.now() > deadline) {
        this.view.gui.textContent = "The plugin did not load: the player's notice says why.";
        return;
      }
    }
    this.view.gui.replaceChildren();
    try {
      const unmount = await engine.mountWamGui(WAM_NODE, this.view.gui);
      if (generation !== this.generation) unmount();
      else this.unmount = unmount;
    } catch (error) {
      this.view.gui.textContent = `The plugin's interface could not be mounted: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}
