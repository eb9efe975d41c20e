/**
 * A WAM node's recorded parameters (wam-recorded-automation.ts): offline, its initial value and the
 * graph's wam-automation events; in real time, the value the plugin held when the render started (the
 * graph's on frame 0 where its automation sets one), then the changes the audio thread handed the
 * plugin, each from the frame it landed on, per frame or per block.
 */
import { describe, expect, it } from "vitest";
import { type RenderRequestInput, RenderRequestSchema } from "../../../src/contracts/render";
import { parseContract } from "../../../src/contracts/validate";
import type { WamLiveParameterChange } from "../../../src/hosts/audioworklet/live-render-records";
import type { BuiltWam } from "../../../src/hosts/audioworklet/wam-graph";
import { wamParameterAutomation } from "../../../src/hosts/audioworklet/wam-recorded-automation";
import { wamNodeTimeline } from "../../../src/wam/wam-timeline";

const PARAMS = [
  { id: "mix", type: "float" as const, defaultValue: 1, minValue: 0, maxValue: 1 },
  { id: "gain", type: "float" as const, defaultValue: 1, minValue: -8, maxValue: 8 },
];

/** A 1200-frame render recording "fx": its gain 0.25, stepping to 0.5 on frame 1000. */
function setup(resolution: "frame" | "block") {
  const input: RenderRequestInput = {
    version: "v1alpha",
    request_id: "r",
    node_graph: {
      version: "v1alpha",
      nodes: [
        {
          name: "fx",
          node_id: "wam:fixture",
          params: { gain: 0.25 },
          automation: {
            gain: {
              kind: "breakpoints",
              points: [
                { time: 0, value: 0.25, curve: "step" },
                { time: 1000 / 48000, value: 0.5, curve: "step" },
              ],
            },
          },
        },
      ],
      output: "fx",
    },
    duration_seconds: 1200 / 48000,
    sample_rate: 48000,
    channels: 1,
    options: { record_automation: { nodes: ["fx"], resolution } },
  };
  const request = parseContract(RenderRequestSchema, input);
  const node = request.node_graph.nodes[0] as (typeof request.node_graph.nodes)[number];
  const { events } = wamNodeTimeline(request.node_graph, node, PARAMS, 48000, "node_graph.nodes[0]");
  const wam = { plan: { node }, params: PARAMS, events } as unknown as BuiltWam;
  const uploaded = new Map<string, Float32Array>();
  const host = {
    uploadBuffer: async (channels: Float32Array[]) => {
      const handle = `h${uploaded.size}`;
      uploaded.set(handle, channels[0] as Float32Array);
      return handle;
    },
  };
  const record = async (handed?: WamLiveParameterChange[], held: Record<string, number> = {}) => {
    const live = handed === undefined ? undefined : { handed, held: new Map([["fx", held]]) };
    const automation = await wamParameterAutomation(request, [wam], 1200, host, live);
    const lanes = automation.fx as Record<string, string>;
    return {
      gain: Array.from(uploaded.get(lanes.gain as string) as Float32Array),
      mix: Array.from(uploaded.get(lanes.mix as string) as Float32Array),
    };
  };
  return { record };
}

/** Values in runs: each [value, until] repeats value up to frame `until` (exclusive). */
function runs(...parts: [number, number][]): number[] {
  const values: number[] = [];
  for (const [value, until] of parts) while (values.length < until) values.push(value);
  return values;
}

describe("wamParameterAutomation", () => {
  it("offline: the initial value, then the graph's events from their frames", async () => {
    const { gain, mix } = await setup("frame").record();
    expect(gain).toEqual(runs([0.25, 1000], [0.5, 1200]));
    expect(mix).toEqual(runs([1, 1200]));
  });

  it("live: the graph's value on frame 0, then the changes handed over, from their frames (the last on a frame wins; one in the preroll from frame 0)", async () => {
    const changes: WamLiveParameterChange[] = [
      { node: "fx", param: 1, value: 0.75, frame: -10 },
      { node: "fx", param: 1, value: 2, frame: 500 },
      { node: "fx", param: 1, value: 3, frame: 500 },
      { node: "fx", param: 1, value: 0.5, frame: 1000 }, // the graph's own step, as handed over
      { node: "fx", param: 1, value: 4, frame: 1100 },
      { node: "other", param: 1, value: 9, frame: 0 },
    ];
    const { gain, mix } = await setup("frame").record(changes);
    expect(gain).toEqual(runs([0.75, 500], [3, 1000], [0.5, 1100], [4, 1200]));
    expect(mix).toEqual(runs([1, 1200]));
    // Without changes handed over (say, the transport never reached them): the graph's frame-0 value.
    expect((await setup("frame").record([])).gain).toEqual(runs([0.25, 1200]));
  });

  it("live: what the plugin held when the render started (set live before it, or in its GUI) is the first value, until a change is handed over", async () => {
    // mix: held 0.375, then a change on frame 600. gain: held 3, but the render's start was a jump
    // (a seek to its start), where the audio thread hands each automated parameter the graph's value.
    const handed: WamLiveParameterChange[] = [
      { node: "fx", param: 1, value: 0.25, frame: 0 },
      { node: "fx", param: 0, value: 0.875, frame: 600 },
    ];
    const { gain, mix } = await setup("frame").record(handed, { mix: 0.375, gain: 3 });
    expect(mix).toEqual(runs([0.375, 600], [0.875, 1200]));
    expect(gain).toEqual(runs([0.25, 1200]));
    // Nothing handed over: the held values throughout (the graph's own step was not played).
    expect((await setup("frame").record([], { mix: 0.375, gain: 3 })).gain).toEqual(runs([3, 1200]));
    // A parameter the plugin did not report, or reported as no number: the graph's value on frame 0.
    expect((await setup("frame").record([], { mix: Number.NaN })).mix).toEqual(runs([1, 1200]));
    expect((await setup("frame").record([], { mix: Number.NaN })).gain).toEqual(runs([0.25, 1200]));
  });

  it("live per block: one value per 128 frames, the block's first frame's", async () => {
    const changes: WamLiveParameterChange[] = [
      { node: "fx", param: 1, value: 2, frame: 256 },
      { node: "fx", param: 1, value: 3, frame: 257 },
      { node: "fx", param: 1, value: 0.5, frame: 1000 },
    ];
    const { gain } = await setup("block").record(changes);
    // Blocks start at 0, 128, 256, ..., 1152: 10 of them.
    expect(gain).toEqual([0.25, 0.25, 2, 3, 3, 3, 3, 3, 0.5, 0.5]);
  });
});
