/**
 * A WAM node's events as the real-time host sends them to the audio thread once per graph load
 * (hosts/audioworklet/wam-event-lanes.ts hands them to the plugin's processor as the transport plays).
 */
import type { FramedWamEvent } from "./wam-timeline";

/** One WAM's events: transport frames (ascending) and what to send at each. */
export interface WamLaneData {
  instanceId: string;
  frames: number[];
  events: { type: string; data: unknown }[];
  /**
   * The plugin's parameter ids: a live render's record numbers a parameter by its place here (the
   * audio thread's records carry numbers, not strings). None: its parameters are not recorded.
   */
  params?: string[];
  /**
   * The value the graph gives each of its automated parameters before their first event (by id): a
   * jump (seek, loop wrap, play) hands the value in effect where it lands, this one before the first.
   */
  initial?: Record<string, number>;
}

/**
 * The lane of WAM instance `instanceId` from its framed events (already in frame order); `params`:
 * its parameter ids, in the order a live render's record numbers them; `initial`: the graph's values
 * before the events (wamNodeTimeline's).
 * @example
 * const lane = wamLaneData("com.webdreamer.fixture123.4", [{ frame: 48000, type: "wam-midi", data: { bytes: [0x90, 60, 100] } }]);
 */
export function wamLaneData(
  instanceId: string,
  events: readonly FramedWamEvent[],
  params: readonly string[] = [],
  initial: Readonly<Record<string, number>> = {},
): WamLaneData {
  return {
    instanceId,
    params: [...params],
    initial: { ...initial },
    frames: events.map((event) => event.frame),
    events: events.map((event) => ({ type: event.type, data: event.data })),
  };
}
