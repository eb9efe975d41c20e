/**
 * The EngineError a RenderResult's `error` text stands for. Code that turns a result that is not ok
 * into a rejection (a project export, the mixing console) used to wrap the whole text in another
 * error: "E_RENDER: the render ended error: E_RENDER: 3 non-finite samples ...". Parsed back, the
 * code and path stay once and the caller's context goes before the detail.
 */
import { EngineError, ERROR_CODES, type ErrorCode } from "./errors";
import type { RenderResult } from "./render";

/** "<code>: <detail>" or "<code> at <path>: <detail>", as EngineError writes its message. */
const MESSAGE = /^(E_[A-Z_]+)(?: at (.+?))?: ([\s\S]*)$/;

/**
 * The error of a result that is not ok, its detail after `context`.
 * @example
 * if (result.status !== "ok") throw renderResultError(result, "the export's render");
 * // E_RENDER: the export's render failed: 3 non-finite samples (NaN or ±Infinity) from frame 100, ...
 */
export function renderResultError(
  result: Pick<RenderResult, "status" | "error">,
  context: string,
): EngineError {
  const how = result.status === "partial" ? "stopped early" : "failed";
  const match = result.error === null ? null : MESSAGE.exec(result.error);
  if (match !== null && Object.hasOwn(ERROR_CODES, match[1] as string)) {
    return new EngineError(match[1] as ErrorCode, `${context} ${how}: ${match[3]}`, match[2] ?? "");
  }
  return new EngineError("E_RENDER", `${context} ${how}: ${result.error ?? `status ${result.status}`}`);
}
