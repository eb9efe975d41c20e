/**
 * routeParameterSets (wam-parameter-route.ts): a plugin GUI's setParameterValues on its node goes
 * through the host (plain values of declared parameters) or, for what the host cannot record in plain
 * units, to the plugin as before.
 */
import { describe, expect, it } from "vitest";
import { type RoutedValue, routeParameterSets } from "../../../src/hosts/audioworklet/wam-parameter-route";
import type { WamNodeLike } from "../../../src/wam/wam-module";

function fakeNode() {
  const direct: unknown[] = [];
  const node = {
    async setParameterValues(values: unknown) {
      direct.push(values);
    },
  } as unknown as WamNodeLike;
  return { node, direct };
}

describe("routeParameterSets", () => {
  it("sends declared plain values to the host, in one call; normalized, undeclared and non-finite ones go to the plugin", async () => {
    const { node, direct } = fakeNode();
    const sent: RoutedValue[][] = [];
    routeParameterSets(node, ["gain", "mix"], (values) => sent.push(values));
    await node.setParameterValues({
      gain: { id: "gain", value: 0.5, normalized: false },
      mix: { id: "mix", value: 0.25, normalized: true },
      drive: { id: "drive", value: 3, normalized: false },
      bad: { id: "gain", value: Number.NaN, normalized: false },
    });
    expect(sent).toEqual([[{ id: "gain", value: 0.5 }]]);
    expect(direct).toEqual([
      {
        mix: { id: "mix", value: 0.25, normalized: true },
        drive: { id: "drive", value: 3, normalized: false },
        bad: { id: "gain", value: Number.NaN, normalized: false },
      },
    ]);
  });

  it("an entry without normalized is plain (as the WAM SDK takes it); its key names it when it has no id", async () => {
    const { node, direct } = fakeNode();
    const sent: RoutedValue[][] = [];
    routeParameterSets(node, ["gain"], (values) => sent.push(values));
    await node.setParameterValues({ gain: { value: 2 } } as never);
    expect(sent).toEqual([[{ id: "gain", value: 2 }]]);
    expect(direct).toEqual([]);
  });

  it("the undo gives the node its own method back", async () => {
    const { node, direct } = fakeNode();
    const sent: RoutedValue[][] = [];
    const undo = routeParameterSets(node, ["gain"], (values) => sent.push(values));
    undo();
    await node.setParameterValues({ gain: { id: "gain", value: 1, normalized: false } });
    expect(sent).toEqual([]);
    expect(direct).toHaveLength(1);
  });
});
