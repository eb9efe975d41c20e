/**
 * The live automation call (EngineClient.scheduleAutomation, command `schedule_automation`): what a
 * parameter's automation lane becomes, the same in every host.
 *
 * - `replace` swaps the lane for the given automation, of any kind (audio_rate, ppqn, breakpoints,
 *   web_audio), exactly as if the graph had been loaded with it.
 * - `append` (web_audio only) adds the calls after the lane's own, as calling more methods on a Web
 *   Audio AudioParam does: the lane is the list of every call so far, scheduled in order with Web
 *   Audio's rules, so cancelScheduledValues and cancelAndHoldAtTime act on what was scheduled
 *   before, live. A parameter without automation starts a web_audio lane; one under another kind of
 *   automation cannot take Web Audio calls (E_SCHEMA at schedule_automation.mode: replace it).
 * - No mode: append for web_audio, replace for the other kinds.
 *
 * Bounds: a lane holds at most LIMITS.automationPoints points, the calls appended over a session
 * included (cancels too); beyond that the call is E_LIMIT and changes nothing. A replace (or
 * loading a graph) starts the lane afresh, so a long live session stays bounded; each call costs the
 * lane's size, never the session's.
 */
import { EngineError } from "./errors";
import type { Automation } from "./graph-descriptor";
import { automationSize } from "./graph-limits";
import { checkLimit } from "./limits";
import { formatPath } from "./validate";
import type { WebAudioAutomation } from "./web-audio-automation";
import { scheduleWebAudio, type WebAudioCall } from "./web-audio-schedule";

/** How a live automation call changes a parameter's lane. */
export type AutomationMode = "append" | "replace";

/**
 * The lane a parameter has after a schedule_automation call (validated: paths under `root`, which is
 * the command, e.g. "schedule_automation"). `existing` is the lane now (undefined: no automation).
 * Throws E_SCHEMA (mode, timeline, a call Web Audio would reject after the existing ones) or E_LIMIT
 * (automationPoints) and then changes nothing.
 * @example
 * const lane = automationAfter(undefined, {
 *   kind: "web_audio", timeline: "seconds", events: [{ type: "linearRampToValueAtTime", value: 0, time: 4 }],
 * }, null);
 */
export function automationAfter(
  existing: Automation | undefined,
  incoming: Automation,
  mode: AutomationMode | null,
  root = "schedule_automation",
): Automation {
  const [field, points] = automationSize(incoming);
  checkLimit("automationPoints", points, formatPath(["automation", field], root));
  const chosen = mode ?? (incoming.kind === "web_audio" ? "append" : "replace");
  if (chosen === "replace") return incoming;
  if (incoming.kind !== "web_audio") {
    throw new EngineError(
      "E_SCHEMA",
      `append takes web_audio automation (more AudioParam calls); ${incoming.kind} automation replaces the lane: use mode "replace"`,
      formatPath(["mode"], root),
    );
  }
  if (existing === undefined) return incoming;
  if (existing.kind !== "web_audio") {
    throw new EngineError(
      "E_SCHEMA",
      `the parameter follows ${existing.kind} automation, which takes no Web Audio calls: use mode "replace"`,
      formatPath(["mode"], root),
    );
  }
  if (existing.timeline !== incoming.timeline) {
    throw new EngineError(
      "E_SCHEMA",
      `must be "${existing.timeline}", the timeline of the parameter's web_audio lane (replace the lane to change it)`,
      formatPath(["automation", "timeline"], root),
    );
  }
  const merged: WebAudioAutomation = { ...existing, events: [...existing.events, ...incoming.events] };
  const held = automationSize(existing)[1];
  checkLimit(
    "automationPoints",
    held + points,
    formatPath(["automation", "events"], root),
    `${held} in the parameter's lane and ${points} appended now`,
  );
  // The lane's own calls were accepted: the first call Web Audio would reject is one of these.
  const scheduled = scheduleWebAudio(merged.events as WebAudioCall[]);
  if ("issue" in scheduled) {
    const [index, ...rest] = scheduled.issue.path;
    const path = ["automation", "events", (index as number) - existing.events.length, ...rest];
    throw new EngineError("E_SCHEMA", scheduled.issue.message, formatPath(path, root));
  }
  return merged;
}
