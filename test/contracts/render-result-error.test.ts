/** renderResultError: a result's error text back into one EngineError, its code and path once. */
import { describe, expect, it } from "vitest";
import { renderResultError } from "../../src/contracts/render-result-error";

describe("renderResultError", () => {
  it("keeps the result's code and path once, the caller's context before the detail", () => {
    const failed = renderResultError(
      { status: "error", error: "E_RENDER: 3 non-finite samples" },
      "the render",
    );
    expect([failed.code, failed.path, failed.message]).toEqual([
      "E_RENDER",
      "",
      "E_RENDER: the render failed: 3 non-finite samples",
    ]);
    const cancelled = renderResultError(
      { status: "partial", error: "E_CANCELLED: render cancelled after 10 of 20 frames" },
      "the export's render",
    );
    expect(cancelled.message).toBe(
      "E_CANCELLED: the export's render stopped early: render cancelled after 10 of 20 frames",
    );
    const at = renderResultError(
      { status: "error", error: 'E_LIMIT at buffers["buf:1"]: too big: 9 MB' },
      "x",
    );
    expect([at.code, at.path, at.detail]).toEqual(["E_LIMIT", 'buffers["buf:1"]', "x failed: too big: 9 MB"]);
  });

  it("makes E_RENDER of a text without a known code, or of no text", () => {
    expect(renderResultError({ status: "error", error: "E_NOPE: odd" }, "x").message).toBe(
      "E_RENDER: x failed: E_NOPE: odd",
    );
    expect(renderResultError({ status: "partial", error: null }, "x").message).toBe(
      "E_RENDER: x stopped early: status partial",
    );
  });
});
