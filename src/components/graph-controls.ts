/**
 * Where the player's controls meet its graph: the values sliders start at, the graph a load sends
 * with the sliders' current values, and the tempo the tempo input starts at.
 */
import type { GraphDescriptorInput } from "../contracts/graph-descriptor";
import { DEMO_TEMPO_BPM, type ParameterControl } from "./demo-graph";
import { snapToStep } from "./slider-scale";

/**
 * The key of a control's value: one per node parameter.
 * @example
 * values.get(controlKey({ node: "filter", param: "frequency" }));
 */
export function controlKey(control: Pick<ParameterControl, "node" | "param">): string {
  return `${control.node}.${control.param}`;
}

/**
 * The graph's starting tempo: its constant bpm, or the first point of its tempo map (120 without).
 * @example
 * tempoInput.value = String(graphTempo(graph));
 */
export function graphTempo(graph: GraphDescriptorInput): number {
  const tempo = graph.tempo as { bpm?: number; map?: { bpm: number }[] } | undefined;
  return tempo?.bpm ?? tempo?.map?.[0]?.bpm ?? DEMO_TEMPO_BPM;
}

/**
 * The value a control starts at: the graph's static value for that parameter, else its minimum.
 * @example
 * demoControls().map((control) => graphValue(demoGraph(), control)); // [1400, 0.4, 0]: cutoff, feedback, pan
 */
export function graphValue(graph: GraphDescriptorInput, control: ParameterControl): number {
  const node = graph.nodes.find((n) => n.name === control.node);
  const value = node?.params?.[control.param];
  return snapToStep(control, typeof value === "number" ? value : control.min);
}

/**
 * `graph` with the sliders' values as static params, so a load plays what the sliders show.
 * The graph itself is not changed; nodes without a control are shared, not copied.
 * @example
 * await engine.loadGraph(withControlValues(graph, controls, values));
 */
export function withControlValues(
  graph: GraphDescriptorInput,
  controls: readonly ParameterControl[],
  values: ReadonlyMap<string, number>,
): GraphDescriptorInput {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const mine = controls.filter((c) => c.node === node.name && values.has(controlKey(c)));
      if (mine.length === 0) return node;
      const params = { ...node.params };
      for (const control of mine) params[control.param] = values.get(controlKey(control)) as number;
      return { ...node, params };
    }),
  };
}
