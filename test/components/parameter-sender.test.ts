import { describe, expect, it } from "vitest";
import { ParameterSender } from "../../src/components/parameter-sender";

describe("ParameterSender", () => {
  it("sends one value at a time per parameter during a slider drag, and the last one always", async () => {
    const sent: number[] = [];
    const applied: number[] = [];
    let release = () => {};
    const sender = new ParameterSender(
      async (_node, _param, value) => {
        sent.push(value);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      { applied: (_node, _param, value) => applied.push(value) },
    );
    for (let value = 1; value <= 50; value++) sender.send("filter", "frequency", value);
    expect(sent).toEqual([1]); // one call in flight
    release();
    await expect.poll(() => sent).toEqual([1, 50]); // then only the newest value that waited
    release();
    await expect.poll(() => applied).toEqual([1, 50]);
  });
});
