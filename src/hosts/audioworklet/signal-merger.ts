/**
 * Several Web Audio signals side by side on one connection (main thread): each signal takes `slots`
 * channels of a ChannelMergerNode, one signal after the other, its channel c on its slot c, with the
 * engine's channel mapping (render-job.ts): a mono signal fills every slot, a signal's channels beyond
 * its slots are dropped and slots beyond its channels stay silent. An offline WAM render sends it to
 * its context's destination (the request's channel count per signal: wam-offline-render.ts); a
 * real-time WAM graph to the primary's input 0, the output then its stems (wam-live-graph.ts).
 */

/** Channels a ChannelMergerNode (and an OfflineAudioContext) has at most. */
export const MAX_MERGED_CHANNELS = 32;

/** One signal to merge: a node's output, the channels it carries, the merger channels it takes. */
export interface MergeSource {
  node: AudioNode;
  index: number;
  /** Its own channels (a WAM graph's stage output or WAM output: WamGraphSignal.channels). */
  channels: number;
  /** Merger channels it takes. */
  slots: number;
}

export interface MergedSignals {
  merger: ChannelMergerNode;
  /** Disconnects the nodes made here (the merger's own output too). */
  dispose(): void;
}

/** Merges `sources` (at most 32 slots in all), in order. */
export function mergeSignals(context: BaseAudioContext, sources: readonly MergeSource[]): MergedSignals {
  const total = sources.reduce((sum, source) => sum + source.slots, 0);
  const merger = context.createChannelMerger(Math.max(1, total));
  const undo: (() => void)[] = [() => merger.disconnect()];
  let first = 0;
  for (const source of sources) {
    // The source's own channel count by the "speakers" rules first: a WAM whose output has fewer
    // channels than its node's channelCount (mono) is copied to both, as Web Audio mixes it into any
    // node (a splitter's own input is "discrete" and cannot be changed).
    const adapter = new GainNode(context, {
      channelCount: source.channels,
      channelCountMode: "explicit",
      channelInterpretation: "speakers",
    });
    const splitter = context.createChannelSplitter(source.channels);
    source.node.connect(adapter, source.index);
    adapter.connect(splitter);
    for (let slot = 0; slot < source.slots; slot++) {
      if (source.channels === 1) splitter.connect(merger, 0, first + slot);
      else if (slot < source.channels) splitter.connect(merger, slot, first + slot);
    }
    first += source.slots;
    // Only the source's connection to the adapter: the source may feed other nodes.
    undo.push(
      () => source.node.disconnect(adapter),
      () => adapter.disconnect(),
      () => splitter.disconnect(),
    );
  }
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
