/** controls() flattens a Faust JSON UI of any nesting depth in UI order, without recursion. */
import { describe, expect, it } from "vitest";
import { controls, type FaustUiItem } from "../../src/faust/layout";

function slider(label: string): FaustUiItem {
  return { type: "hslider", label, address: `/${label}`, index: 0, init: 0, min: 0, max: 1, step: 0.1 };
}

describe("controls", () => {
  it("lists controls in UI order, groups flattened", () => {
    const ui: FaustUiItem[] = [
      slider("a"),
      {
        type: "hgroup",
        label: "g",
        items: [slider("b"), { type: "vgroup", label: "h", items: [slider("c")] }],
      },
      slider("d"),
    ];
    expect(controls(ui).map((item) => item.label)).toEqual(["a", "b", "c", "d"]);
  });

  it("walks groups nested 100,000 deep", () => {
    let ui: FaustUiItem[] = [slider("deepest")];
    for (let depth = 0; depth < 100_000; depth++)
      ui = [{ type: "vgroup", label: `g${depth}`, items: ui }, slider(`s${depth}`)];
    const found = controls(ui);
    expect(found.length).toBe(100_001);
    expect(found[0]?.label).toBe("deepest");
    expect(found.at(-1)?.label).toBe("s99999");
  });
});
