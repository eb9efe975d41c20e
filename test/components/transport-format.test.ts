import { describe, expect, it } from "vitest";
import {
  formatBarsBeats,
  formatClock,
  formatParameterValue,
  formatSecondsRange,
  formatTempo,
} from "../../src/components/transport-format";

describe("the player's readout wording", () => {
  it("formats the transport as musicians read it", () => {
    expect(formatBarsBeats(0, 4)).toBe("1:1");
    expect(formatBarsBeats(9.5, 4)).toBe("3:2");
    expect(formatBarsBeats(7.999999, 3)).toBe("3:2");
    expect(formatClock(0)).toBe("0:00.0");
    expect(formatClock(65.27)).toBe("1:05.2");
    expect(formatTempo(127.96)).toBe("128.0 bpm");
    expect(formatSecondsRange(0, 4)).toBe("0.00–4.00 s");
    expect(formatParameterValue(1234, { step: 1, unit: "Hz" })).toBe("1.23 kHz");
    expect(formatParameterValue(80, { step: 1, unit: "Hz" })).toBe("80 Hz");
    expect(formatParameterValue(0.4, { step: 0.01 })).toBe("0.40");
  });
});
