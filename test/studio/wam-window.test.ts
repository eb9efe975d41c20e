import { describe, expect, it } from "vitest";

import { pluginMoves } from "../../src/studio/wam-window";

describe("pluginMoves: what a plugin window writes back", () => {
  it("keeps a value the plugin moved since the last read that the project lacks", () => {
    expect(pluginMoves({ gain: 0.5, dc: 0 }, { gain: 0.35, dc: 0 }, { gain: 0.35 })).toEqual({ gain: 0.5 });
  });

  it("skips a value the plugin took from the project (undo, a generated control)", () => {
    expect(pluginMoves({ gain: 0.35 }, { gain: 0.5 }, { gain: 0.35 })).toEqual({});
  });

  it("skips a value unchanged since the last read, even when the project differs (undo not yet applied)", () => {
    expect(pluginMoves({ gain: 0.5 }, { gain: 0.5 }, { gain: 0.35 })).toEqual({});
  });

  it("compares float32 reports to 1e-6 relative", () => {
    expect(pluginMoves({ gain: Math.fround(0.1) }, { gain: 1 }, { gain: 0.1 })).toEqual({});
    expect(pluginMoves({ gain: 0.1001 }, { gain: 1 }, { gain: 0.1 })).toEqual({ gain: 0.1001 });
  });

  it("keeps a moved parameter the device never stored", () => {
    expect(pluginMoves({ mix: 0.2 }, { mix: 0.5 }, {})).toEqual({ mix: 0.2 });
  });
});
