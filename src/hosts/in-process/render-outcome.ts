/**
 * How the in-process host reports a render it accepted: every outcome is a validated RenderResult
 * (ok, partial or error), and an engine failure names the graph's own nodes.
 */
import { CONTRACT_VERSION } from "../../contracts/common";
import { EngineError, isEngineError } from "../../contracts/errors";
import type { GraphDescriptor } from "../../contracts/graph-descriptor";
import { failsOnNonFinite, type NonFiniteReport, nonFiniteError } from "../../contracts/non-finite";
import {
  type RenderRequest,
  type RenderResult,
  type RenderResultInput,
  RenderResultSchema,
} from "../../contracts/render";
import { parseContract } from "../../contracts/validate";
import type { CompiledGraph } from "../../engine/graph-compiler";
import { WasmEngineError } from "../../engine/wasm-engine";

/** The fields of a RenderResult that depend on how the render went. */
export type RenderOutcome = Pick<
  RenderResultInput,
  "status" | "error" | "buffer_handle" | "frames" | "extensions"
>;

/**
 * The RenderResult of `request`, started at `startedMs` (performance.now()).
 * @example
 * return renderResult(request, started, { status: "ok", error: null, buffer_handle: handle, frames });
 */
export function renderResult(
  request: RenderRequest,
  startedMs: number,
  outcome: RenderOutcome,
): RenderResult {
  return parseContract(RenderResultSchema, {
    version: CONTRACT_VERSION,
    request_id: request.request_id,
    processing_time_ms: Math.max(0, performance.now() - startedMs),
    ...outcome,
  });
}

/**
 * E_RENDER for a failure after a request was accepted. Engine messages name nodes by index ("node
 * 5 has 320 input channels"); the graph's own names read better. An EngineError raised on the way
 * (a limit met mid-render, say) already names what failed and keeps its code: wrapping it would
 * print its code twice ("E_RENDER: EngineError: E_LIMIT: ...").
 */
export function renderFailure(error: unknown, compiled: CompiledGraph, graph: GraphDescriptor): EngineError {
  if (isEngineError(error)) return error;
  if (error instanceof WasmEngineError) {
    const named = error.message.replace(/\bnode (\d+)\b/g, (text, index: string) => {
      const name = graph.nodes[Number(index)]?.name;
      if (name !== undefined) return `node "${name}"`;
      if (Number(index) === compiled.program.output) return "the capture sink";
      // The other nodes after the graph's are the compiler's (latency-compensation.ts).
      return compiled.program.nodes[Number(index)] === undefined ? text : "a latency compensation delay";
    });
    return new EngineError("E_RENDER", `engine error ${error.code}: ${named}`);
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new EngineError("E_RENDER", text);
}

/**
 * The outcome of a render that found non-finite samples and fails under the request's policy
 * (options.non_finite, "error" by default), or null when the render stands: then the caller adds
 * `extensions.non_finite` to its own outcome. The failed render returns no audio.
 * @example
 * const failed = nonFiniteFailure(request, result.extensions.non_finite ?? null);
 * if (failed) return renderResult(request, started, failed);
 */
export function nonFiniteFailure(
  request: RenderRequest,
  report: NonFiniteReport | null,
): RenderOutcome | null {
  if (!failsOnNonFinite(request.options.non_finite, report)) return null;
  return {
    status: "error",
    error: nonFiniteError(report).message,
    frames: 0,
    extensions: { non_finite: report },
  };
}
