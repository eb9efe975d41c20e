/**
 * Latency compensation (docs/processors.md, "Latency compensation"): every node reports the latency
 * it adds (a Faust DSP's declared `latency_samples`, an external node's ExternalNodeSpec.latencyFrames;
 * 0 for every builtin), and the compiled program delays parallel paths so that they align wherever
 * they meet.
 *
 * - A node's path latency is its own latency plus the largest path latency of its inputs.
 * - At every node with several inputs (a mixer, a gain or any node summing its inputs), each input
 *   whose path latency is below the largest gets a compensation delay (the engine's internal
 *   "latency_delay": a whole number of frames, an exact sample copy, its ring taken when the graph is
 *   prepared, never in process()) of the difference. One delay serves every place that needs the same
 *   source delayed by the same amount.
 * - Captured nodes (stems) are delayed to the output's latency, so every stem lines up with the
 *   output sample for sample.
 * - In a cycle (a delay feeding back), the input that closes it is left alone and counts for nothing:
 *   a feedback loop's timing is the graph's own.
 *
 * The output's path latency is the program's latency: a render discards that many frames at its start
 * (render-job.ts) so that output frame 0 is timeline frame 0; a live host plays late by it.
 */
import { EngineError } from "../contracts/errors";
import type { GraphProgram, GraphProgramNode } from "./graph-program";

/** The engine's internal compensation delay kind (wasm/src/processors/latency_delay.h). */
export const LATENCY_DELAY_KIND = "latency_delay";

/** The longest compensation one delay holds (LatencyDelay::kMaxFrames). */
export const MAX_COMPENSATION_FRAMES = 2 ** 22;

/** What compensation did to a program. */
export interface LatencyCompensation {
  /** Frames the output is late by: its path latency. */
  latencyFrames: number;
  /** Program index of each capture after compensation (a compensation delay's, when one was added). */
  captures: Map<string, number>;
  /** Path latency of each program node of the original graph, in program order. */
  pathLatency: number[];
}

/**
 * Adds compensation delays to `program` (in place, appended after its nodes, so graph node i stays
 * program node i). `ownLatency[i]` is the latency program node i adds. `captures` are the captured
 * nodes by name; they are not marked yet (the caller marks the indices returned).
 * @example
 * const program = { output: 2, nodes: [
 *   { kind: "playback", inputs: [], params: {} },
 *   { kind: "faust:…", inputs: [0], params: {} }, // adds 64 frames
 *   { kind: "mixer", inputs: [0, 1], params: {} },
 * ] };
 * compensateLatency(program, [0, 64, 0], new Map()).latencyFrames; // 64
 * program.nodes[2]?.inputs; // [3, 1]: node 3 is a 64-frame latency_delay after node 0
 */
export function compensateLatency(
  program: GraphProgram,
  ownLatency: readonly number[],
  captures: ReadonlyMap<string, number>,
): LatencyCompensation {
  const graphNodes = program.nodes.length;
  const component = cycleComponents(program);
  const pathLatency = pathLatencies(program, ownLatency, component);
  const delays = new Map<string, number>();
  const delayed = (source: number, frames: number): number => {
    if (frames > MAX_COMPENSATION_FRAMES) {
      throw new EngineError(
        "E_LIMIT",
        `latency compensation of ${frames} frames exceeds ${MAX_COMPENSATION_FRAMES} frames`,
      );
    }
    const key = `${source}:${frames}`;
    let index = delays.get(key);
    if (index === undefined) {
      index = program.nodes.push({ kind: LATENCY_DELAY_KIND, inputs: [source], params: { frames } }) - 1;
      delays.set(key, index);
    }
    return index;
  };
  for (let i = 0; i < graphNodes; i++) {
    const node = program.nodes[i] as GraphProgramNode;
    if (node.inputs.length < 2) continue;
    // An input from the node's own cycle is the loop's timing, not a path to align.
    const aligned = (position: number) => component[node.inputs[position] as number] !== component[i];
    let target = 0;
    node.inputs.forEach((input, position) => {
      if (aligned(position)) target = Math.max(target, pathLatency[input] ?? 0);
    });
    node.inputs = node.inputs.map((input, position) => {
      const short = target - (pathLatency[input] ?? 0);
      return aligned(position) && short > 0 ? delayed(input, short) : input;
    });
  }
  const latencyFrames = pathLatency[program.output] ?? 0;
  const compensated = new Map<string, number>();
  for (const [name, index] of captures) {
    const short = latencyFrames - (pathLatency[index] ?? 0);
    compensated.set(name, short > 0 ? delayed(index, short) : index);
  }
  return { latencyFrames, captures: compensated, pathLatency };
}

/**
 * The strongly connected component of every node (Kosaraju, iteratively): two nodes share one when
 * each reaches the other, i.e. they lie on a cycle together. A node on no cycle is alone in its own.
 */
function cycleComponents(program: GraphProgram): Int32Array {
  const count = program.nodes.length;
  const consumers: number[][] = Array.from({ length: count }, () => []);
  program.nodes.forEach((node, index) => {
    for (const input of node.inputs) consumers[input]?.push(index);
  });
  // First pass: nodes in order of finishing a depth-first search along inputs.
  const finished: number[] = [];
  const seen = new Uint8Array(count);
  for (let root = 0; root < count; root++) {
    if (seen[root]) continue;
    seen[root] = 1;
    const stack: { node: number; next: number }[] = [{ node: root, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: number; next: number };
      const inputs = (program.nodes[top.node] as GraphProgramNode).inputs;
      if (top.next < inputs.length) {
        const input = inputs[top.next++] as number;
        if (!seen[input]) {
          seen[input] = 1;
          stack.push({ node: input, next: 0 });
        }
      } else {
        finished.push(top.node);
        stack.pop();
      }
    }
  }
  // Second pass, along consumers, latest finished first: each search collects one component.
  const component = new Int32Array(count).fill(-1);
  let components = 0;
  for (let i = finished.length - 1; i >= 0; i--) {
    const root = finished[i] as number;
    if (component[root] !== -1) continue;
    const pending = [root];
    component[root] = components;
    while (pending.length > 0) {
      const node = pending.pop() as number;
      for (const consumer of consumers[node] ?? []) {
        if (component[consumer] === -1) {
          component[consumer] = components;
          pending.push(consumer);
        }
      }
    }
    components++;
  }
  return component;
}

/**
 * Path latency of every node: depth first along inputs (iteratively: a graph may be thousands of
 * nodes deep), following only inputs from other components, so the search never meets a cycle.
 */
function pathLatencies(
  program: GraphProgram,
  ownLatency: readonly number[],
  component: Int32Array,
): number[] {
  const count = program.nodes.length;
  const pathLatency = new Array<number>(count).fill(0);
  const done = new Uint8Array(count);
  const outside = (node: number, input: number) => component[input] !== component[node];
  for (let root = 0; root < count; root++) {
    if (done[root]) continue;
    const stack: { node: number; next: number }[] = [{ node: root, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: number; next: number };
      const inputs = (program.nodes[top.node] as GraphProgramNode).inputs;
      if (top.next < inputs.length) {
        const input = inputs[top.next++] as number;
        if (outside(top.node, input) && !done[input]) stack.push({ node: input, next: 0 });
        continue;
      }
      let upstream = 0;
      for (const input of inputs) {
        if (outside(top.node, input)) upstream = Math.max(upstream, pathLatency[input] ?? 0);
      }
      pathLatency[top.node] = upstream + Math.max(0, Math.round(ownLatency[top.node] ?? 0));
      done[top.node] = 1;
      stack.pop();
    }
  }
  return pathLatency;
}
