/**
 * Several Web Audio signals side by side on one connection (main thread): signal i takes channels
 * [i × channels, (i + 1) × channels) of a ChannelMergerNode, channel c to channel c, with the engine's
 * channel mapping (render-job.ts): a mono signal copied to both of the two a stage crossing carries,
 * channels beyond those two silent. An offline WAM render sends it to its context's destination
 * (wam-offline-render.ts); a real-time WAM graph to the primary's input 0, the output then its stems
 * (wam-live-graph.ts).
 */
import { STAGE_CHANNELS } from "../../wam/partition";

/** Channels a ChannelMergerNode (and an OfflineAudioContext) has at most. */
export const MAX_MERGED_CHANNELS = 32;

export interface MergedSignals {
  merger: ChannelMergerNode;
  /** Disconnects the nodes made here (the merger's own output too). */
  dispose(): void;
}

/** Merges `sources` (node and output index), `channels` channels each (at most 32 in all). */
export function mergeSignals(
  context: BaseAudioContext,
  sources: readonly { node: AudioNode; index: number }[],
  channels: number,
): MergedSignals {
  const merger = context.createChannelMerger(sources.length * channels);
  const undo: (() => void)[] = [() => merger.disconnect()];
  sources.forEach((source, i) => {
    // Two channels by the "speakers" rules first: a mono WAM output copied to both, as a stage tap
    // copies a mono node (a splitter's own input is "discrete" and cannot be changed).
    const stereo = new GainNode(context, {
      channelCount: STAGE_CHANNELS,
      channelCountMode: "explicit",
      channelInterpretation: "speakers",
    });
    const splitter = context.createChannelSplitter(STAGE_CHANNELS);
    source.node.connect(stereo, source.index);
    stereo.connect(splitter);
    for (let c = 0; c < Math.min(STAGE_CHANNELS, channels); c++)
      splitter.connect(merger, c, i * channels + c);
    // Only the source's connection to the adapter: the source may feed other nodes.
    undo.push(
      () => source.node.disconnect(stereo),
      () => stereo.disconnect(),
      () => splitter.disconnect(),
    );
  });
  return {
    merger,
    dispose: () => {
      for (const step of undo) {
        try {
          step();
        } catch {
          // Already disconnected (the source's owner disconnected it).
        }
      }
    },
  };
}
