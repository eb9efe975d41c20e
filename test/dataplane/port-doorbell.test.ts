import { afterEach, describe, expect, it } from "vitest";
import { isEngineError } from "../../src/contracts/errors";
import { PortDoorbell } from "../../src/dataplane/port-doorbell";
import { channel, closeOpened, until } from "./support/ports";

afterEach(closeOpened);

describe("PortDoorbell", () => {
  it("wakes an async waiter with the ring count; a blocking wait throws a clear error", async () => {
    const { port1, port2 } = channel();
    const ringer = PortDoorbell.open(port1);
    const waiter = PortDoorbell.open(port2);
    const woke = waiter.waitForRingAsync(2000);
    ringer.ring();
    expect(await woke).toBe(1);
    ringer.ring();
    ringer.ring();
    await until(() => true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await waiter.waitForRingAsync(0)).toBe(2);
    expect(await waiter.waitForRingAsync(10)).toBe(0);
    let error: unknown;
    try {
      waiter.waitForRing(10);
    } catch (caught) {
      error = caught;
    }
    expect(isEngineError(error, "E_HOST_UNAVAILABLE")).toBe(true);
  });
});
