/**
 * routeParameterSets (wam-parameter-route.ts): a plugin GUI's setParameterValues on its node goes
 * through the host (declared parameters, in plain units) or, for what the host cannot record, to the
 * plugin as before.
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

const GAIN = { id: "gain", minValue: -8, maxValue: 8 };
const MIX = { id: "mix", minValue: 0, maxValue: 1 };
const CUTOFF = { id: "cutoff", minValue: 20, maxValue: 20000, exponent: 2 };

describe("routeParameterSets", () => {
  it("sends declared plain values to the host, in one call; undeclared and non-finite ones go to the plugin", async () => {
    const { node, direct } = fakeNode();
    const sent: RoutedValue[][] = [];
    routeParameterSets(node, [GAIN, MIX], (values) => sent.push(values));
    await node.setParameterValues({
      gain: { id: "gain", value: 0.5, normalized: false },
      mix: { id: "mix", value: 0.25, normalized: false },
      drive: { id: "drive", value: 3, normalized: false },
      bad: { id: "gain", value: Number.NaN, normalized: false },
    });
    expect(sent).toEqual([
      [
        { id: "gain", value: 0.5 },
        { id: "mix", value: 0.25 },
      ],
    ]);
    expect(direct).toEqual([
      {
        drive: { id: "drive", value: 3, normalized: false },
        bad: { id: "gain", value: Number.NaN, normalized: false },
      },
    ]);
  });

  it("sends normalized values in the parameter's units, by its declared range and exponent", async () => {
    const { node, direct } = fakeNode();
    const sent: RoutedValue[][] = [];
    routeParameterSets(node, [GAIN, CUTOFF], (values) => sent.push(values));
    await node.setParameterValues({
      gain: { id: "gain", value: 0.75, normalized: true },
      cutoff: { id: "cutoff", value: 0.5, normalized: true },
    });
    await node.setParameterValues({
      gain: { id: "gain", value: Number.POSITIVE_INFINITY, normalized: true },
    });
    // -8 + 0.75 * 16; 20 + 0.5 ** 2.25 * 19980.
    expect(sent).toEqual([
      [
        { id: "gain", value: 4 },
        { id: "cutoff", value: 4220.277594192305 },
      ],
    ]);
    expect(direct).toEqual([{ gain: { id: "gain", value: Number.POSITIVE_INFINITY, normalized: true } }]);
  });

  it("an entry without normalized is plain (as the WAM SDK takes it); its key names it when it has no id", async () => {
    const { node, direct } = fakeNode();
    const sent: RoutedValue[][] = [];
    routeParameterSets(node, [GAIN], (values) => sent.push(values));
    await node.setParameterValues({ gain: { value: 2 } } as never);
    expect(sent).toEqual([[{ id: "gain", value: 2 }]]);
    expect(direct).toEqual([]);
  });

  it("the undo gives the node its own method back", async () => {
    const { node, direct } = fakeNode();
    const sent: RoutedValue[][] = [];
    const undo = routeParameterSets(node, [GAIN], (values) => sent.push(values));
    undo();
    await node.setParameterValues({ gain: { id: "gain", value: 1, normalized: false } });
    expect(sent).toEqual([]);
    expect(direct).toHaveLength(1);
  });
});
