/**
 * The MIDI a render played (RenderRequest.options.record_midi): the messages the graph's timeline
 * delivered to each named node on the frames kept, as events and as one Standard MIDI File with a
 * track per node. The engine delivers a timeline's MIDI on exactly its frames (NodeTimeline), so these
 * are the messages each processor received; nothing before the render's start is replayed by a seek.
 */
import type { GraphDescriptor } from "../../contracts/graph-descriptor";
import type { CompiledGraph } from "../../engine/graph-compiler";
import { bytesToBase64, type FramedMidiMessage, writeMidiFile } from "../../midi/midi-file-writer";

/** What the result's extensions gain. */
export interface PlayedMidiExtensions {
  /** Per node name, its messages in the order played, frames counted from the render's first frame. */
  midi: Record<string, FramedMidiMessage[]>;
  /** The same as a type 1 Standard MIDI File (a track per node and channel), base64. */
  midi_file: string;
}

/**
 * The messages the timeline delivers to each of `nodes` on transport frames [startFrame,
 * startFrame + frames), with frames made relative to startFrame.
 * @example
 * playedMidi(compiled, ["synth"], 48000, 96000).get("synth"); // [{ frame: 0, status: 144, data1: 60, data2: 100 }, ...]
 */
export function playedMidi(
  compiled: { nodeIndex: ReadonlyMap<string, number>; program: Pick<CompiledGraph["program"], "nodes"> },
  nodes: readonly string[],
  startFrame: number,
  frames: number,
): Map<string, FramedMidiMessage[]> {
  const played = new Map<string, FramedMidiMessage[]>();
  for (const name of nodes) {
    const index = compiled.nodeIndex.get(name);
    const timeline = index === undefined ? undefined : compiled.program.nodes[index]?.timeline;
    const messages: FramedMidiMessage[] = [];
    for (const entry of timeline ?? []) {
      if (entry.type !== "midi") continue;
      messages.push({ frame: entry.frame, status: entry.status, data1: entry.data1, data2: entry.data2 });
    }
    played.set(name, messagesInWindow(messages, startFrame, frames));
  }
  return played;
}

/**
 * The messages on transport frames [startFrame, startFrame + frames), frames made relative to
 * startFrame, in frame order (a stable sort: same-frame messages keep the order they were applied in).
 * @example
 * messagesInWindow([{ frame: 48100, status: 144, data1: 60, data2: 100 }], 48000, 960); // [{ frame: 100, ... }]
 */
export function messagesInWindow(
  messages: readonly FramedMidiMessage[],
  startFrame: number,
  frames: number,
): FramedMidiMessage[] {
  return messages
    .filter((message) => message.frame >= startFrame && message.frame < startFrame + frames)
    .map((message) => ({ ...message, frame: message.frame - startFrame }))
    .sort((a, b) => a.frame - b.frame);
}

/**
 * The result extensions for record_midi, or null when it was not asked for.
 * @example
 * playedMidiExtensions(request, compiled, 0, 0, 48000);
 */
export function playedMidiExtensions(
  request: {
    options: { record_midi?: { nodes: string[] } };
    node_graph: GraphDescriptor;
    sample_rate: number;
  },
  compiled: CompiledGraph,
  startSeconds: number,
  startFrame: number,
  frames: number,
): PlayedMidiExtensions | null {
  const nodes = request.options.record_midi?.nodes;
  if (nodes === undefined) return null;
  return playedMidiResult(request, playedMidi(compiled, nodes, startFrame, frames), startSeconds, frames);
}

/**
 * The result extensions for the messages each node played on a render's `frames` kept frames (frames
 * relative to its start, at `startSeconds` on the timeline): the events and the file that holds them.
 * @example
 * playedMidiResult(request, new Map([["synth", []]]), 0, 48000); // { midi: { synth: [] }, midi_file: "TVRoZA..." }
 */
export function playedMidiResult(
  request: { node_graph: GraphDescriptor; sample_rate: number },
  played: ReadonlyMap<string, FramedMidiMessage[]>,
  startSeconds: number,
  frames: number,
): PlayedMidiExtensions {
  const file = writeMidiFile(
    [...played].map(([name, messages]) => ({ name, messages })),
    { sampleRate: request.sample_rate, tempo: request.node_graph.tempo, startSeconds, endFrame: frames },
  );
  return { midi: Object.fromEntries(played), midi_file: bytesToBase64(file) };
}
