/**
 * record_midi for a graph with WAM nodes (offline and real time; docs/processors.md, "The MIDI a
 * render played"). Its nodes play in stages and plugins no single engine runs, so the record is made
 * from the graph: each named node's MIDI compiled by the engine's own graph compiler
 * (wamNodeTimeline), on the frames a WAM is given its wam-midi events and an engine stage plays its
 * timeline, which are the same frames a graph without WAM nodes plays them on.
 */
import type { RenderRequest } from "../../contracts/render";
import { formatPath } from "../../contracts/validate";
import { wamNodeTimeline } from "../../wam/wam-timeline";
import { messagesInWindow, type PlayedMidiExtensions, playedMidiResult } from "../in-process/played-midi";

/** A message on its frame (the midi writer's type, which this folder reaches through played-midi.ts). */
type FramedMidiMessage = PlayedMidiExtensions["midi"][string][number];

/** The node type a node's MIDI is compiled under (any id but a builtin's). */
const MIDI_ONLY_NODE_ID = "webdreamer:midi-only";

/**
 * extensions.midi and midi_file for the nodes options.record_midi names (names checked by
 * checkRenderRequest), on transport frames [startFrame, startFrame + frames); null when not asked.
 * @example
 * wamGraphPlayedMidi(request, 0, 48000)?.midi.fx; // [{ frame: 4800, status: 144, data1: 60, data2: 100 }, ...]
 */
export function wamGraphPlayedMidi(
  request: RenderRequest,
  startFrame: number,
  frames: number,
): PlayedMidiExtensions | null {
  const names = request.options.record_midi?.nodes;
  if (names === undefined) return null;
  const played = wamGraphTimelineMidi(request, names, startFrame, frames);
  return playedMidiResult(request, played, request.start_position_seconds ?? 0, frames);
}

/**
 * The messages the graph's timeline plays to each of `names` on transport frames [startFrame,
 * startFrame + frames), frames relative to startFrame (a real-time render merges the live ones in).
 */
export function wamGraphTimelineMidi(
  request: RenderRequest,
  names: readonly string[],
  startFrame: number,
  frames: number,
): Map<string, FramedMidiMessage[]> {
  const graph = request.node_graph;
  const played = new Map<string, FramedMidiMessage[]>();
  for (const name of names) {
    const index = graph.nodes.findIndex((node) => node.name === name);
    const node = graph.nodes[index];
    const messages: FramedMidiMessage[] = [];
    if (node !== undefined) {
      // Only its MIDI, under a type the compile stands in for (a builtin id would be looked up in an
      // empty catalog); its parameters are not compiled.
      const only = { ...node, node_id: MIDI_ONLY_NODE_ID, params: {}, automation: {} };
      const path = formatPath(["nodes", index], "node_graph");
      for (const event of wamNodeTimeline(graph, only, [], request.sample_rate, path).events) {
        if (event.type !== "wam-midi") continue;
        const [status, data1, data2] = event.data.bytes;
        messages.push({ frame: event.frame, status, data1, data2 });
      }
    }
    played.set(name, messagesInWindow(messages, startFrame, frames));
  }
  return played;
}
