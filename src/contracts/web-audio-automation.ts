/**
 * The `web_audio` automation kind: a Web Audio AudioParam schedule, written as the calls a page would
 * make, applied in order and rendered with the Web Audio API's exact semantics (web-audio-values.ts),
 * so automation copied from a Web Audio page renders as it does there. What the API would reject
 * (RangeError, InvalidStateError, NotSupportedError) is E_SCHEMA at the offending call's field.
 */
import * as z from "zod";
import { LIMITS } from "./limits";
import { scheduleWebAudio, type WebAudioCall } from "./web-audio-schedule";

const TimeSchema = z.number().min(0).describe("Event time on its timeline (>= 0).");
const CancelTimeSchema = z.number().min(0).describe("Cancel time on the automation's timeline (>= 0).");

const WebAudioEventSchema = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("setValueAtTime").describe("The value from `time` on."),
      value: z.number().describe("Parameter value, in the parameter's natural units."),
      time: TimeSchema,
    }),
    z.strictObject({
      type: z
        .literal("linearRampToValueAtTime")
        .describe("A linear ramp from the previous event's time and value, reaching `value` at `time`."),
      value: z.number().describe("Value reached at `time`."),
      time: TimeSchema,
    }),
    z.strictObject({
      type: z
        .literal("exponentialRampToValueAtTime")
        .describe(
          "An exponential ramp from the previous event's time and value to `value` at `time`; it holds the previous value when that is 0 or of the other sign.",
        ),
      value: z
        .number()
        .refine((value) => value !== 0, "must not be 0: exponentialRampToValueAtTime throws RangeError for 0")
        .describe("Value reached at `time`; not 0."),
      time: TimeSchema,
    }),
    z.strictObject({
      type: z
        .literal("setTargetAtTime")
        .describe(
          "From `time`, approaches `target` exponentially: v = target + (v0 - target) e^(-(t - time) / timeConstant).",
        ),
      target: z.number().describe("The value approached."),
      time: TimeSchema,
      timeConstant: z
        .number()
        .min(0)
        .describe("Seconds, on either timeline, to go 1 - 1/e of the way; 0 jumps to the target."),
    }),
    z.strictObject({
      type: z
        .literal("setValueCurveAtTime")
        .describe(
          "Linear interpolation through `values` over [time, time + duration); the last value holds after.",
        ),
      values: z
        .array(z.number())
        .min(2)
        .meta({ maxItems: LIMITS.automationPoints.value })
        .describe("At least 2 values, spread evenly over the duration."),
      time: TimeSchema,
      duration: z.number().gt(0).describe("Length of the curve on the automation's timeline (> 0)."),
    }),
    z.strictObject({
      type: z
        .literal("cancelScheduledValues")
        .describe("Removes the events at or after `cancelTime`, and a curve still running there."),
      cancelTime: CancelTimeSchema,
    }),
    z.strictObject({
      type: z
        .literal("cancelAndHoldAtTime")
        .describe("Removes the events after `cancelTime`, holding the value the schedule had there."),
      cancelTime: CancelTimeSchema,
    }),
  ])
  .describe("One AudioParam call, applied in list order.");

export const WebAudioAutomationSchema = z
  .strictObject({
    kind: z
      .literal("web_audio")
      .describe(
        "Web Audio AudioParam calls, with their exact semantics: a ramp shapes the segment that ends at its event.",
      ),
    timeline: z
      .enum(["seconds", "beats"])
      .default("seconds")
      .describe(
        "Time base of `time`, `duration` and `cancelTime`: seconds, or beats (quarter notes) on the tempo map. Default seconds.",
      ),
    events: z
      .array(WebAudioEventSchema)
      .min(1)
      .meta({ maxItems: LIMITS.automationPoints.value })
      .describe(
        "AudioParam calls in the order a page would make them; before the first event the parameter holds its own value (`params`, else its default).",
      ),
  })
  .superRefine((automation, ctx) => {
    // Over the limit, checkGraphLimits reports E_LIMIT; scheduling first would only cost time.
    if (automation.events.length > LIMITS.automationPoints.value) return;
    const result = scheduleWebAudio(automation.events as WebAudioCall[]);
    if ("issue" in result) {
      ctx.addIssue({ code: "custom", path: ["events", ...result.issue.path], message: result.issue.message });
    }
  });

export type WebAudioAutomation = z.output<typeof WebAudioAutomationSchema>;
