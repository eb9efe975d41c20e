/**
 * record_automation for an offline render of a graph with WAM nodes (docs/processors.md, "Recorded
 * automation"). Its stages and plugins run in engines that record nothing, and a parameter's values do
 * not depend on the audio, so:
 * - the engine nodes asked are rendered once more by the engine Worker, alone (inputs dropped), with
 *   record_automation: the values its processors are handed, frame for frame, as in any graph;
 * - a WAM node's parameters are the values the plugin is given: its initial values, then each
 *   wam-automation event from its frame on (wam-timeline.ts), which the WAM SDK applies on that frame.
 * A real-time render records a WAM node's parameters from what the audio thread handed its plugin
 * while it played (wam-event-lanes.ts): the graph's automation, scheduleAutomation's lanes and live
 * setParameter calls, each from the frame it landed on, after the value the graph gives frame 0.
 */
import type { RenderRequest, RenderRequestInput, RenderResult } from "../../contracts/render";
import { automationBlockFrames } from "../../engine/recorded-automation";
import { wamNodeTimeline } from "../../wam/wam-timeline";
import type { WamLiveParameterChange } from "./live-render-records";
import type { BuiltWam } from "./wam-graph";

/** The processing block a record's "block" resolution uses without block_size: a render quantum. */
const QUANTUM_FRAMES = 128;

export interface WamAutomationHost {
  /** An offline render by the engine (a graph without WAM nodes). */
  renderEngine(request: RenderRequestInput): Promise<RenderResult>;
  uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<string>;
  releaseBuffer(handle: string): Promise<void>;
}

/** extensions.automation and automation_block_frames, or null when record_automation is not asked. */
export async function wamGraphAutomation(
  request: RenderRequest,
  wams: readonly BuiltWam[],
  frames: number,
  host: WamAutomationHost,
): Promise<{ automation: Record<string, Record<string, string>>; automation_block_frames: number } | null> {
  const asked = request.options.record_automation;
  if (asked === undefined) return null;
  const blockFrames = automationBlockFrames(request, QUANTUM_FRAMES);
  const automation: Record<string, Record<string, string>> = {};
  const wamByName = new Map(wams.map((wam) => [wam.plan.node.name, wam]));
  const engineNodes = request.node_graph.nodes.filter(
    (node) => asked.nodes.includes(node.name) && !wamByName.has(node.name),
  );
  if (engineNodes.length > 0) {
    const result = await host.renderEngine({
      version: request.version,
      request_id: `${request.request_id}:automation`,
      node_graph: {
        ...request.node_graph,
        nodes: engineNodes.map((node) => ({ ...node, inputs: [], capture: false })),
        output: (engineNodes[0] as (typeof engineNodes)[number]).name,
        extensions: {},
      },
      duration_seconds: frames / request.sample_rate,
      sample_rate: request.sample_rate,
      channels: 1,
      options: {
        record_automation: { ...asked, nodes: engineNodes.map((node) => node.name) },
        ...(request.options.block_size === undefined ? {} : { block_size: request.options.block_size }),
      },
    });
    if (result.buffer_handle !== null) await host.releaseBuffer(result.buffer_handle);
    Object.assign(automation, result.extensions.automation ?? {});
  }
  Object.assign(automation, await wamParameterAutomation(request, wams, frames, host));
  // In the order asked, as the engine returns them.
  const ordered = Object.fromEntries(
    asked.nodes.filter((name) => automation[name] !== undefined).map((name) => [name, automation[name]]),
  ) as Record<string, Record<string, string>>;
  return { automation: ordered, automation_block_frames: blockFrames };
}

/** What a real-time render saw of its WAM nodes' parameters. */
export interface LiveWamParameters {
  /** The changes the audio thread handed the plugins while it played, each on its frame. */
  handed: readonly WamLiveParameterChange[];
  /**
   * Each recorded node's values as its plugin reported them when the render started (by node name,
   * then parameter id): set live before it, or moved in the plugin's own GUI, they hold until a change.
   */
  held: ReadonlyMap<string, Readonly<Record<string, number>>>;
}

/**
 * The recorded parameters of the WAM nodes options.record_automation names (offline and real time):
 * each parameter's values as the plugin is given them, per frame or per block, under a handle.
 * `live`: what a real-time render saw. Each node's record then starts with the value its plugin held
 * as the render started, or the graph's value on frame 0 when the graph's automation sets one there
 * (or the plugin did not report it), and follows the handed changes alone (the graph's own
 * automation is among them).
 */
export async function wamParameterAutomation(
  request: RenderRequest,
  wams: readonly BuiltWam[],
  frames: number,
  host: Pick<WamAutomationHost, "uploadBuffer">,
  live?: LiveWamParameters,
): Promise<Record<string, Record<string, string>>> {
  const asked = request.options.record_automation;
  const automation: Record<string, Record<string, string>> = {};
  if (asked === undefined) return automation;
  const blockFrames = automationBlockFrames(request, QUANTUM_FRAMES);
  const wamByName = new Map(wams.map((wam) => [wam.plan.node.name, wam]));
  for (const name of asked.nodes) {
    const wam = wamByName.get(name);
    if (wam === undefined) continue;
    const index = request.node_graph.nodes.findIndex((node) => node.name === name);
    const { initial } = wamNodeTimeline(
      request.node_graph,
      wam.plan.node,
      wam.params,
      request.sample_rate,
      `node_graph.nodes[${index}]`,
    );
    const lanes: Record<string, string> = {};
    for (const [p, param] of wam.params.entries()) {
      const graphEvents = wamAutomationOf(wam, param.id);
      const start = initial[param.id] ?? param.defaultValue ?? 0;
      const values =
        live === undefined
          ? givenValues(start, graphEvents, frames, blockFrames)
          : givenValues(
              liveStart(start, graphEvents, live.held.get(name)?.[param.id]),
              // Stable: changes on one frame keep the order they were handed over in.
              live.handed
                .filter((change) => change.node === name && change.param === p)
                .sort((a, b) => a.frame - b.frame),
              frames,
              blockFrames,
            );
      lanes[param.id] = await host.uploadBuffer([values], request.sample_rate);
    }
    automation[name] = lanes;
  }
  return automation;
}

/**
 * A live record's first value: the graph's on frame 0 when its automation sets one there (the audio
 * thread hands that event on frame 0 of every play), else what the plugin held as the render started.
 */
function liveStart(
  initial: number,
  graphEvents: readonly { frame: number; value: number }[],
  held: number | undefined,
): number {
  const setOnFrameZero = graphEvents.length > 0 && (graphEvents[0] as { frame: number }).frame <= 0;
  if (setOnFrameZero || held === undefined || !Number.isFinite(held))
    return givenValues(initial, graphEvents, 1, 1)[0] as number;
  return held;
}

/** The graph's wam-automation events of parameter `id` of `wam`, in frame order. */
function wamAutomationOf(wam: BuiltWam, id: string): { frame: number; value: number }[] {
  const changes: { frame: number; value: number }[] = [];
  for (const event of wam.events) {
    if (event.type === "wam-automation" && event.data.id === id)
      changes.push({ frame: event.frame, value: event.data.value });
  }
  return changes;
}

/**
 * The value a parameter is given on each frame (each block's first frame when blocks are longer
 * than 1): `initial`, then each change's value from its frame on (`changes` in frame order; on one
 * frame the last wins, as the plugin takes them in that order).
 */
function givenValues(
  initial: number,
  changes: readonly { frame: number; value: number }[],
  frames: number,
  blockFrames: number,
): Float32Array {
  const values = new Float32Array(Math.ceil(frames / blockFrames));
  let value = initial;
  let next = 0;
  for (let i = 0; i < values.length; i++) {
    const frame = i * blockFrames;
    while (next < changes.length && (changes[next] as (typeof changes)[number]).frame <= frame) {
      value = (changes[next++] as (typeof changes)[number]).value;
    }
    values[i] = value;
  }
  return values;
}
