/**
 * Non-finite audio (NaN, +Infinity, -Infinity) in a render: the report and the policy
 * (docs/reliability.md, "Non-finite audio").
 *
 * Every host's engine replaces a non-finite sample by 0 where audio leaves the graph (the output and
 * every capture), so a speaker, a file or a capture never receives one, and counts it. What a render
 * then reports follows `RenderRequest.options.non_finite`:
 * - "error" (the default): status "error" with E_RENDER saying how many, where and from which frame;
 *   the audio is not returned. A render that was meant to be clean fails loudly.
 * - "replace": the status the render would have had (ok or partial); the audio holds 0 in their place.
 * Either way `RenderResult.extensions.non_finite` carries the report whenever one was found.
 */
import * as z from "zod";
import { NodeNameSchema } from "./common";
import { EngineError } from "./errors";

export const NON_FINITE_POLICIES = ["error", "replace"] as const;
export type NonFinitePolicy = (typeof NON_FINITE_POLICIES)[number];

export const NonFinitePolicySchema = z
  .enum(NON_FINITE_POLICIES)
  .describe(
    'When NaN or ±Infinity leaves the graph (always replaced by 0): "error" (default) fails the render with E_RENDER; "replace" keeps its status and reports them in extensions.non_finite.',
  );

export const NonFiniteReportSchema = z
  .strictObject({
    samples: z
      .int()
      .min(1)
      .describe("Samples that were NaN or ±Infinity and were replaced by 0, output and captures together."),
    first_frame: z.int().min(0).describe("The first frame of the render that held one."),
    output: z.int().min(0).describe("Of `samples`, those in the output."),
    captures: z
      .record(NodeNameSchema, z.int().min(1))
      .describe("Of `samples`, those in each capture that held any, by node name."),
  })
  .describe(
    "NaN or ±Infinity samples the engine replaced by 0 in this render; present only when there were some.",
  );

export type NonFiniteReport = z.output<typeof NonFiniteReportSchema>;

/** How many non-finite samples one result (the output or a capture) held, and the first frame. */
export interface NonFiniteCounts {
  samples: number;
  /** -1 when samples is 0. */
  firstFrame: number;
}

/**
 * The report for a render's counts, or null when every sample was finite.
 * @example
 * nonFiniteReport({ samples: 3, firstFrame: 480 }, new Map([["osc", { samples: 1, firstFrame: 500 }]]));
 * // { samples: 4, first_frame: 480, output: 3, captures: { osc: 1 } }
 */
export function nonFiniteReport(
  output: NonFiniteCounts,
  captures: ReadonlyMap<string, NonFiniteCounts> = new Map(),
): NonFiniteReport | null {
  let samples = output.samples;
  let firstFrame = output.samples > 0 ? output.firstFrame : Number.POSITIVE_INFINITY;
  const byCapture: Record<string, number> = {};
  for (const [name, counts] of captures) {
    if (counts.samples <= 0) continue;
    samples += counts.samples;
    byCapture[name] = counts.samples;
    firstFrame = Math.min(firstFrame, counts.firstFrame);
  }
  if (samples === 0) return null;
  return { samples, first_frame: firstFrame, output: output.samples, captures: byCapture };
}

/**
 * The E_RENDER a render fails with under the "error" policy: how many, from which frame, where, and
 * how to keep the audio instead.
 * @example
 * nonFiniteError({ samples: 4, first_frame: 480, output: 3, captures: { osc: 1 } }).message;
 * // 'E_RENDER: 4 non-finite samples (NaN or ±Infinity) from frame 480, in the output and capture "osc"; ...'
 */
export function nonFiniteError(report: NonFiniteReport): EngineError {
  const where = [
    ...(report.output > 0 ? ["the output"] : []),
    ...Object.keys(report.captures).map((name) => `capture "${name}"`),
  ].join(" and ");
  return new EngineError(
    "E_RENDER",
    `${report.samples} non-finite samples (NaN or ±Infinity) from frame ${report.first_frame}, in ${where}; ` +
      'the engine replaced them by 0 (set options.non_finite to "replace" to keep the audio)',
  );
}

/**
 * Whether a render with this report fails under `policy` (undefined: the default, "error").
 * @example
 * const report = nonFiniteReport({ samples: 3, firstFrame: 480 });
 * failsOnNonFinite(request.options.non_finite, report); // true unless the request says "replace"
 */
export function failsOnNonFinite(
  policy: NonFinitePolicy | undefined,
  report: NonFiniteReport | null,
): report is NonFiniteReport {
  return report !== null && (policy ?? "error") === "error";
}
