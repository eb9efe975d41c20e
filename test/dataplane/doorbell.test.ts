import { afterEach, describe, expect, it, vi } from "vitest";

import { isEngineError } from "../../src/contracts/errors";
import { Doorbell } from "../../src/dataplane/doorbell";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Doorbell in one thread", () => {
  it("counts rings, and a wait returns at once with the rings since the previous one", () => {
    const bell = Doorbell.create();
    expect(bell.sequence()).toBe(0);
    bell.ring();
    bell.ring();
    expect(bell.sequence()).toBe(2);
    expect(bell.waitForRing(0)).toBe(2);
    expect(bell.waitForRing(0)).toBe(0);
    bell.ring();
    expect(bell.waitForRing(1000)).toBe(1);
  });

  it("times out with 0 when nothing rings", () => {
    const bell = Doorbell.create();
    const start = performance.now();
    expect(bell.waitForRing(30)).toBe(0);
    expect(performance.now() - start).toBeGreaterThanOrEqual(25);
  });

  it("a second object on the same memory keeps its own place (one waiter per object)", () => {
    const bell = Doorbell.create();
    bell.ring();
    const other = Doorbell.attach(bell.sab);
    expect(other.waitForRing(0)).toBe(0); // attached after that ring
    bell.ring();
    expect(other.waitForRing(0)).toBe(1);
    expect(bell.waitForRing(0)).toBe(2);
  });

  it("ring() skips Atomics.notify when nobody waits", () => {
    const notify = vi.spyOn(Atomics, "notify");
    Doorbell.create().ring();
    expect(notify).not.toHaveBeenCalled();
  });

  it("explains where Atomics.wait is refused (browser main thread, AudioWorklet)", () => {
    vi.spyOn(Atomics, "wait").mockImplementation(() => {
      throw new TypeError("Atomics.wait cannot be called in this context");
    });
    let error: unknown;
    try {
      Doorbell.create().waitForRing(10);
    } catch (caught) {
      error = caught;
    }
    expect(isEngineError(error, "E_HOST_UNAVAILABLE")).toBe(true);
    expect(String((error as Error).message)).toMatch(/not allowed on this thread.*Worker.*waitForRingAsync/);
  });

  it("refuses to block on a doorbell in a plain ArrayBuffer (nothing else could ring it)", () => {
    const bell = Doorbell.create({ shared: false });
    bell.ring();
    expect(bell.waitForRing(10)).toBe(1); // a ring already there is fine
    let error: unknown;
    try {
      bell.waitForRing(10);
    } catch (caught) {
      error = caught;
    }
    expect(isEngineError(error, "E_HOST_UNAVAILABLE")).toBe(true);
  });

  it("waitForRingAsync resolves on a ring and times out with 0", async () => {
    const bell = Doorbell.create();
    const woke = bell.waitForRingAsync(2000);
    setTimeout(() => bell.ring(), 5);
    expect(await woke).toBe(1);
    expect(await bell.waitForRingAsync(20)).toBe(0);
  });

  it("rejects a misplaced attachment", () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
        return "no error";
      } catch (error) {
        return isEngineError(error) ? error.code : String(error);
      }
    };
    expect(code(() => Doorbell.attach(new SharedArrayBuffer(8), 2))).toBe("E_INTERNAL");
    expect(code(() => Doorbell.attach(new SharedArrayBuffer(8), 4))).toBe("E_INTERNAL");
  });
});
