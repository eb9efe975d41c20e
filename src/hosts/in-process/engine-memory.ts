/**
 * The in-process host's part in engine memory (docs/reliability.md, "Memory"):
 * - a compiled graph is estimated before its engine takes any of it, and refused with E_LIMIT at the
 *   path of the node that needs the most when it exceeds LIMITS.graphMemoryBytes or what the engine
 *   has left; copies of buffers the graph does not use are freed first when that makes it fit;
 * - an engine whose instance trapped anyway (an allocation failed: free memory too scattered, say) is
 *   replaced by a fresh one, so the next request renders exactly as on a fresh client.
 * The Worker host runs the same code (its EngineHost wraps an InProcessEngineClient).
 */
import { EngineError, isEngineError } from "../../contracts/errors";
import type { GraphDescriptor } from "../../contracts/graph-descriptor";
import { graphBufferReferences } from "../../contracts/graph-semantics";
import { LIMITS } from "../../contracts/limits";
import type { CompiledGraph } from "../../engine/graph-compiler";
import {
  type BufferShape,
  describeTrap,
  engineMemory,
  estimateGraphMemory,
  type GraphMemoryEstimate,
  graphMemoryRefusal,
  isEngineTrap,
  memoryLimitError,
} from "../../engine/graph-memory";
import { type WasmEngine, WasmEngineError } from "../../engine/wasm-engine";
import type { BufferStore } from "./buffer-store";
import type { EnginePool } from "./engine-pool";

export interface CompileToFitOptions {
  engine: WasmEngine;
  buffers: BufferStore;
  graph: GraphDescriptor;
  /** The graph's path in its request, e.g. "node_graph". */
  root: string;
  /** Compiles the graph for `engine` (copying the buffers it uses into it). */
  compile(): CompiledGraph;
}

/**
 * Frees the engine's previous graph, compiles the new one and checks that it fits the engine;
 * throws E_LIMIT when it does not, even after freeing the engine's copies of other buffers.
 * @example
 * import { compileGraph } from "../../engine/graph-compiler";
 * const engine = pool.engineFor(48000, 128);
 * const compiled = compileToFit({
 *   engine,
 *   buffers: store,
 *   graph,
 *   root: "node_graph",
 *   compile: () =>
 *     compileGraph(graph, {
 *       types: engine.types,
 *       sampleRate: 48000,
 *       resolveBuffer: (handle, path) => store.engineBufferId(engine, handle, path),
 *       readBufferChannel0: (handle, path) => store.get(handle, path).channels[0] ?? new Float32Array(0),
 *     }),
 * });
 */
export function compileToFit(options: CompileToFitOptions): CompiledGraph {
  // The previous graph goes anyway; freed now, its memory counts as room for this one.
  options.engine.clear();
  const first = attempt(options);
  if (!(first instanceof EngineError)) return first;
  // Copies of buffers kept from earlier graphs may be what fills the engine.
  const keep = new Set(graphBufferReferences(options.graph).map(({ handle }) => handle));
  if (options.buffers.freeEngineCopies(options.engine, keep) === 0) throw first;
  const second = attempt(options);
  if (second instanceof EngineError) throw second;
  return second;
}

/** The compiled graph, or the E_LIMIT error that room may cure; other errors are thrown. */
function attempt(options: CompileToFitOptions): CompiledGraph | EngineError {
  const { engine, graph, root } = options;
  let compiled: CompiledGraph;
  try {
    compiled = options.compile();
  } catch (error) {
    if (isEngineError(error, "E_LIMIT")) return error;
    throw error;
  }
  const estimate = estimateOrSkip(engine, compiled, (id) => engine.bufferShape(id));
  if (estimate === null) return compiled;
  const room = { ...engineMemory(engine.exports), bufferBytes: 0 };
  const refusal = graphMemoryRefusal(estimate, compiled.program, room);
  if (refusal === null) return compiled;
  const error = memoryLimitError(refusal, root, graph.nodes.length);
  // Over the graph limit, no room helps.
  if (estimate.bytes > LIMITS.graphMemoryBytes.value) throw error;
  return error;
}

/**
 * E_LIMIT when a graph compiled for storing (loadGraph) exceeds LIMITS.graphMemoryBytes; what is
 * left in an engine is checked where the graph plays. It is estimated in the pool's own engine;
 * `bufferShape` gives the channels and frames of each buffer id the program uses.
 * @example
 * import { compileGraph } from "../../engine/graph-compiler";
 * import { bufferShapeOf } from "../../engine/graph-memory";
 * const compiled = compileGraph(graph, {
 *   types: pool.own.types,
 *   sampleRate: 48000,
 *   rootLabel: "load_graph.graph",
 *   resolveBuffer: (handle) => handles.indexOf(handle),
 *   readBufferChannel0: (handle, path) => store.get(handle, path).channels[0] ?? new Float32Array(0),
 * });
 * const shapeOf = (id: number) => bufferShapeOf(store.get(handles[id] ?? "", "load_graph.graph").channels);
 * checkGraphLimit(pool, compiled, graph, "load_graph.graph", shapeOf);
 */
export function checkGraphLimit(
  pool: EnginePool,
  compiled: CompiledGraph,
  graph: GraphDescriptor,
  root: string,
  bufferShape: (id: number) => BufferShape,
): void {
  const engine = pool.own;
  let estimate: GraphMemoryEstimate | null;
  try {
    estimate = estimateOrSkip(engine, compiled, bufferShape);
  } catch (error) {
    // The planner's few small blocks did not fit: the instance is spent all the same.
    if (isEngineTrap(error)) throw replaceTrappedEngine(pool, engine, error);
    throw error;
  }
  if (estimate === null) return;
  const room = { availableBytes: Number.POSITIVE_INFINITY, inUseBytes: 0, bufferBytes: 0 };
  const refusal = graphMemoryRefusal(estimate, compiled.program, room);
  if (refusal !== null) throw memoryLimitError(refusal, root, graph.nodes.length);
}

/**
 * The graph's estimate, or null for a graph the engine itself rejects (a node with too many
 * channels): preparing it reports that, with the graph's names, as it always has.
 */
function estimateOrSkip(
  engine: WasmEngine,
  compiled: CompiledGraph,
  bufferShape: (id: number) => BufferShape,
): GraphMemoryEstimate | null {
  try {
    return estimateGraphMemory(engine, compiled.program, bufferShape);
  } catch (error) {
    if (error instanceof WasmEngineError) return null;
    throw error;
  }
}

/**
 * After engine.wasm trapped in `engine`'s instance (isEngineTrap): the pool drops it for a fresh
 * engine (the buffers it held are copied into the new one when next used), and the returned
 * E_RENDER error says what happened.
 * @example
 * import { isEngineTrap } from "../../engine/graph-memory";
 * const engine = pool.engineFor(48000, 128);
 * try {
 *   engine.render(128);
 * } catch (error) {
 *   if (isEngineTrap(error)) console.warn(replaceTrappedEngine(pool, engine, error).message);
 * }
 */
export function replaceTrappedEngine(pool: EnginePool, engine: WasmEngine, error: unknown): EngineError {
  const why = describeTrap(engine.exports, error);
  pool.replace(engine);
  return new EngineError("E_RENDER", `${why}; the engine instance was replaced by a fresh one`);
}
