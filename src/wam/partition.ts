/**
 * Partitioning a graph around its WAM nodes (docs/wam.md, "Hosting").
 *
 * A WAM is its own AudioWorkletNode; the engine is another. Wiring engine -> WAM -> engine as one
 * engine node would be a Web Audio cycle, which Web Audio only allows through a DelayNode of at least
 * one quantum: every path through a WAM would come out 128 frames late. Instead the engine graph is cut
 * into stages: each stage is an engine AudioWorkletNode rendering the nodes that can run once the WAMs
 * they listen to have run. WAMs sit between stages as real Web Audio connections, so Web Audio's
 * topological order renders stage 0, then the WAMs it feeds, then stage 1, all in the same quantum.
 *
 * Inside a stage, signals leave through tap nodes (an engine node's output copied to the stage's
 * AudioWorkletNode output k) and enter through input-port nodes (the AudioWorkletNode's input k read
 * into the graph). A signal crossing a stage boundary keeps its channels: a tap's AudioWorkletNode
 * output has the tapped node's channel count and the port after it reads as many (stage-latency.ts
 * sets them once the stages are compiled); a WAM's output has the plugin node's channel count.
 *
 * A cycle through a WAM cannot be cut this way (it would need that quantum of delay), so it is refused
 * with E_GRAPH_CYCLE naming the nodes on it. Pure: no Web Audio, runs in Node.js.
 */
import { EngineError } from "../contracts/errors";
import type { GraphDescriptor, GraphNode } from "../contracts/graph-descriptor";
import { formatPath } from "../contracts/validate";
import { isWamNode, type WamNodeExtension, wamNodeExtension } from "../contracts/wam-node";

/** node_id of an input port: reads the stage's AudioWorkletNode input `extensions.stage_port`. */
export const STAGE_INPUT_NODE_ID = "webdreamer:stage-input";
/** node_id of a tap: writes its input to the stage's AudioWorkletNode output `extensions.stage_port`. */
export const STAGE_OUTPUT_NODE_ID = "webdreamer:stage-output";
/**
 * Channels an input port reads when its node does not say (`extensions.stage_channels`): a stereo
 * connection, what a WAM plugin's node carries unless its channelCount says otherwise.
 */
export const STAGE_CHANNELS = 2;
/** Channels a signal crossing a stage boundary carries at most (a Web Audio AudioWorkletNode output's). */
export const MAX_STAGE_CHANNELS = 32;

/** Where a Web Audio signal comes from: a stage's tap, or a WAM's output. */
export type SignalSource = { kind: "stage"; stage: number; tap: number } | { kind: "wam"; wam: number };

/** One engine AudioWorkletNode and the subgraph it renders. */
export interface StagePlan {
  /** The subgraph: its own nodes, input ports, taps and a sink that makes the engine render the taps. */
  graph: GraphDescriptor;
  /** inputs[k]: what feeds the stage's AudioWorkletNode input k. */
  inputs: SignalSource[];
  /** taps[k]: the name of the node whose output leaves on AudioWorkletNode output k. */
  taps: string[];
}

/** One WAM node and its place between the stages. */
export interface WamPlan {
  /** The graph node (its params, automation and midi become WAM events). */
  node: GraphNode;
  /** Index of the node in the original graph (for error paths: node_graph.nodes[index]). */
  index: number;
  extension: WamNodeExtension;
  /** What feeds the WAM's audio input 0 (Web Audio sums several connections). */
  inputs: SignalSource[];
}

export interface PartitionedGraph {
  /** Stages in rendering order: stage s reads only taps of earlier stages and WAMs. */
  stages: StagePlan[];
  wams: WamPlan[];
  /** Where the graph's output comes from. */
  output: SignalSource;
  /** Where each captured node's signal comes from (a tap of its stage, or the WAM's output), by name. */
  captures: { name: string; source: SignalSource }[];
}

/**
 * Cuts `graph` (parsed and checkGraph-checked) into engine stages around its WAM nodes. E_GRAPH_CYCLE
 * when a cycle passes through a WAM, E_SCHEMA when a WAM node's extensions.wam is missing or bad.
 * Each node named in `captures` (names the graph has) leaves its stage through a tap of its own, so
 * a render can record it (a WAM node's output is recorded where it leaves the plugin).
 * @example
 * const { stages, wams, output } = partitionGraph(graph, "node_graph");
 * // osc -> wam -> filter: stages[0] renders osc (tap 0), wams[0] reads it, stages[1] renders filter
 */
export function partitionGraph(
  graph: GraphDescriptor,
  root = "node_graph",
  captures: readonly string[] = [],
): PartitionedGraph {
  const index = new Map(graph.nodes.map((node, i) => [node.name, i]));
  const sources = graph.nodes.map((node) => node.inputs.map((name) => index.get(name) as number));
  const wam = graph.nodes.map(isWamNode);
  refuseCyclesThroughWams(graph, sources, wam, root);
  const depth = depths(graph, sources, wam);

  const wamIndex = new Map<number, number>();
  const wams: WamPlan[] = [];
  graph.nodes.forEach((node, i) => {
    if (!wam[i]) return;
    wamIndex.set(i, wams.length);
    wams.push({
      node,
      index: i,
      extension: wamNodeExtension(node, formatPath(["nodes", i], root)),
      inputs: [],
    });
  });

  const stageCount = Math.max(0, ...graph.nodes.map((_, i) => (wam[i] ? -1 : (depth[i] as number)))) + 1;
  const builders = Array.from({ length: stageCount }, () => new StageBuilder(graph));
  const tapOf = (node: number): SignalSource => {
    if (wam[node]) return { kind: "wam", wam: wamIndex.get(node) as number };
    const stage = depth[node] as number;
    return {
      kind: "stage",
      stage,
      tap: (builders[stage] as StageBuilder).tap(graph.nodes[node] as GraphNode),
    };
  };

  graph.nodes.forEach((node, i) => {
    if (wam[i]) {
      (wams[wamIndex.get(i) as number] as WamPlan).inputs = (sources[i] as number[]).map(tapOf);
      return;
    }
    const stage = depth[i] as number;
    const builder = builders[stage] as StageBuilder;
    const inputs = (sources[i] as number[]).map((source) =>
      !wam[source] && depth[source] === stage
        ? (graph.nodes[source] as GraphNode).name
        : builder.inputPort(tapOf(source)),
    );
    // A stage records nothing itself: a captured node leaves through its own tap (captures above).
    builder.add({ ...node, inputs, capture: false });
  });
  const output = tapOf(index.get(graph.output) as number);
  const captured = captures.map((name) => ({ name, source: tapOf(index.get(name) as number) }));
  return {
    stages: renumber(builders, wams, [output, ...captured.map((capture) => capture.source)]),
    wams,
    output,
    captures: captured,
  };
}

/** Builds one stage's subgraph: its nodes, input ports, taps and sink. */
class StageBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly inputs: SignalSource[] = [];
  private readonly taps: string[] = [];
  private readonly names: Set<string>;

  constructor(private readonly graph: GraphDescriptor) {
    this.names = new Set(graph.nodes.map((node) => node.name));
  }

  add(node: GraphNode): void {
    this.nodes.push(node);
  }

  /** The name of the input-port node reading `source` (one per source). */
  inputPort(source: SignalSource): string {
    const k = this.inputs.findIndex((known) => sameSource(known, source));
    if (k >= 0) return portName(this.names, "in", k);
    this.inputs.push(source);
    return portName(this.names, "in", this.inputs.length - 1);
  }

  /** The AudioWorkletNode output that carries `node`'s signal (one tap per node). */
  tap(node: GraphNode): number {
    const k = this.taps.indexOf(node.name);
    if (k >= 0) return k;
    this.taps.push(node.name);
    return this.taps.length - 1;
  }

  get tapCount(): number {
    return this.taps.length;
  }

  build(): StagePlan {
    const ports = this.inputs.map((_, k) =>
      internalNode(portName(this.names, "in", k), STAGE_INPUT_NODE_ID, [], { stage_port: k }),
    );
    const taps = this.taps.map((name, k) =>
      internalNode(portName(this.names, "out", k), STAGE_OUTPUT_NODE_ID, [name], { stage_port: k }),
    );
    // The engine renders only what its output depends on: a sink after every tap makes it render them.
    const sinkName = portName(this.names, "sink", 0);
    const sink = internalNode(
      sinkName,
      "builtin:gain",
      taps.map((tap) => tap.name),
      {},
    );
    return {
      graph: {
        ...this.graph,
        nodes: [...ports, ...this.nodes, ...taps, sink],
        output: sinkName,
        extensions: {},
      },
      inputs: this.inputs,
      taps: this.taps,
    };
  }
}

/** A stage-internal node name no graph node has ("__stage_in_0", "__stage_out_1", ...). */
function portName(taken: ReadonlySet<string>, role: string, k: number): string {
  let name = `__stage_${role}_${k}`;
  while (taken.has(name)) name = `_${name}`;
  return name;
}

function internalNode(
  name: string,
  nodeId: string,
  inputs: string[],
  extensions: Record<string, unknown>,
): GraphNode {
  return {
    name,
    node_id: nodeId,
    inputs,
    params: {},
    automation: {},
    midi: [],
    buffers: {},
    capture: false,
    extensions,
  };
}

function sameSource(a: SignalSource, b: SignalSource): boolean {
  return a.kind === "stage" && b.kind === "stage"
    ? a.stage === b.stage && a.tap === b.tap
    : a.kind === "wam" && b.kind === "wam" && a.wam === b.wam;
}

/** Stages without taps feed nothing audible: dropped, and the sources renumbered. */
function renumber(builders: StageBuilder[], wams: WamPlan[], outputs: SignalSource[]): StagePlan[] {
  const kept: number[] = [];
  builders.forEach((builder, s) => {
    if (builder.tapCount > 0) kept.push(s);
  });
  const stages = kept.map((s) => (builders[s] as StageBuilder).build());
  const move = (source: SignalSource): void => {
    if (source.kind === "stage") source.stage = kept.indexOf(source.stage);
  };
  for (const stage of stages) stage.inputs.forEach(move);
  for (const plan of wams) plan.inputs.forEach(move);
  outputs.forEach(move);
  return stages;
}

/**
 * The stage each node belongs to. An engine node runs in the first stage after every WAM it listens
 * to (its depth: the largest depth of its inputs); a WAM's output can be read from the stage after the
 * one that feeds it (depth + 1), or at the same depth by another WAM. Nodes on one cycle (through a
 * builtin:delay) share a stage.
 */
function depths(graph: GraphDescriptor, sources: number[][], wam: boolean[]): number[] {
  const n = graph.nodes.length;
  const component = components(sources);
  const depth = new Array<number>(n).fill(-1);
  const visit = (start: number): void => {
    // Iterative post-order over inputs from other components (a chain of any length costs heap only).
    const stack: [number, number][] = [[start, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [number, number];
      const [node, edge] = top;
      const group = memberNodes(component, component[node] as number);
      const external: number[] = [];
      for (const member of group) {
        for (const source of sources[member] as number[]) {
          if (component[source] !== component[node]) external.push(source);
        }
      }
      const next = external.slice(edge).find((source) => depth[source] === -1);
      if (next !== undefined) {
        top[1] = external.indexOf(next) + 1;
        stack.push([next, 0]);
        continue;
      }
      stack.pop();
      let d = 0;
      for (const source of external) {
        const sd = depth[source] as number;
        d = Math.max(d, wam[source] ? sd : wam[node] ? sd + 1 : sd);
      }
      for (const member of group) depth[member] = d;
    }
  };
  for (let i = 0; i < n; i++) if (depth[i] === -1) visit(i);
  return depth;
}

const membersCache = new WeakMap<number[], Map<number, number[]>>();

function memberNodes(component: number[], id: number): number[] {
  let byId = membersCache.get(component);
  if (!byId) {
    byId = new Map();
    component.forEach((c, i) => {
      const list = byId?.get(c) ?? [];
      list.push(i);
      byId?.set(c, list);
    });
    membersCache.set(component, byId);
  }
  return byId.get(id) ?? [];
}

/** Strongly connected components of the graph of all input edges (feedback ones included). */
function components(sources: number[][]): number[] {
  const n = sources.length;
  const feeds: number[][] = sources.map(() => []);
  sources.forEach((inputs, target) => {
    for (const source of inputs) (feeds[source] as number[]).push(target);
  });
  // Kosaraju: finish order on `feeds`, then components on `sources` in reverse finish order.
  const order: number[] = [];
  const seen = new Uint8Array(n);
  for (let root = 0; root < n; root++) {
    if (seen[root]) continue;
    const stack: [number, number][] = [[root, 0]];
    seen[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [number, number];
      const edges = feeds[top[0]] as number[];
      if (top[1] < edges.length) {
        const next = edges[top[1]++] as number;
        if (!seen[next]) {
          seen[next] = 1;
          stack.push([next, 0]);
        }
      } else {
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  const component = new Array<number>(n).fill(-1);
  let count = 0;
  for (let i = order.length - 1; i >= 0; i--) {
    const root = order[i] as number;
    if (component[root] !== -1) continue;
    const pending = [root];
    component[root] = count;
    while (pending.length > 0) {
      const node = pending.pop() as number;
      for (const source of sources[node] as number[]) {
        if (component[source] === -1) {
          component[source] = count;
          pending.push(source);
        }
      }
    }
    count++;
  }
  return component;
}

/**
 * E_GRAPH_CYCLE when a WAM is on a cycle (through a builtin:delay, since checkGraph refused the
 * others): the engine closes such a loop inside one engine instance, but a WAM is outside it and a
 * Web Audio cycle adds at least one quantum (128 frames) of delay, which would change the sound.
 */
function refuseCyclesThroughWams(
  graph: GraphDescriptor,
  sources: number[][],
  wam: boolean[],
  root: string,
): void {
  const component = components(sources);
  graph.nodes.forEach((node, i) => {
    if (!wam[i]) return;
    const selfLoop = (sources[i] as number[]).includes(i);
    if (!selfLoop && memberNodes(component, component[i] as number).length === 1) return;
    const cycle = cycleThrough(i, sources, component);
    const names = cycle.map((n) => (graph.nodes[n] as GraphNode).name);
    throw new EngineError(
      "E_GRAPH_CYCLE",
      `cycle ${names.join(" -> ")} passes through WAM node "${node.name}": a WAM plays in its own ` +
        "AudioWorkletNode, and a Web Audio cycle needs at least one quantum (128 frames) of delay, which " +
        "would change the loop's sound; take the WAM out of the loop",
      formatPath(["nodes", i], root),
    );
  });
}

/** A cycle from `start` back to it, in signal-flow order, within its component (breadth first). */
function cycleThrough(start: number, sources: number[][], component: number[]): number[] {
  const feeds: number[][] = sources.map(() => []);
  sources.forEach((inputs, target) => {
    for (const source of inputs) (feeds[source] as number[]).push(target);
  });
  const previous = new Map<number, number>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as number;
    for (const next of feeds[node] as number[]) {
      if (component[next] !== component[start]) continue;
      if (next === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at) as number) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
