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
}

/**
 * The lane of WAM instance `instanceId` from its framed events (already in frame order).
 * @example
 * const lane = wamLaneData("com.webdreamer.fixture123.4", [{ frame: 48000, type: "wam-midi", data: { bytes: [0x90, 60, 100] } }]);
 */
export function wamLaneData(instanceId: string, events: readonly FramedWamEvent[]): WamLaneData {
  return {
    instanceId,
    frames: events.map((event) => event.frame),
    events: events.map((event) => ({ type: event.type, data: event.data })),
  };
}
