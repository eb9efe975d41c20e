import { describe, expect, it } from "vitest";
import type { HostCapabilities } from "../../src/api/index";
import { EngineBootstrapper, probeCapabilities, selectHost } from "../../src/client/bootstrapper";
import { EngineError } from "../../src/contracts";
import { TestDoubleEngineClient, testDoubleHostFactory } from "../../src/testing/index";

const BROWSER_ISOLATED: HostCapabilities = { audioWorklet: true, worker: true, crossOriginIsolated: true };
const BROWSER_EMBEDDED: HostCapabilities = { audioWorklet: true, worker: true, crossOriginIsolated: false };
const NODE: HostCapabilities = { audioWorklet: false, worker: false, crossOriginIsolated: false };

function hostUnavailable(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error("expected E_HOST_UNAVAILABLE");
}

describe("probeCapabilities", () => {
  it("reads AudioWorkletNode, Worker and crossOriginIsolated from the scope", () => {
    class Fake {}
    expect(probeCapabilities({ AudioWorkletNode: Fake, Worker: Fake, crossOriginIsolated: true })).toEqual(
      BROWSER_ISOLATED,
    );
    expect(probeCapabilities({ Worker: Fake, crossOriginIsolated: "yes" })).toEqual({
      audioWorklet: false,
      worker: true,
      crossOriginIsolated: false,
    });
  });

  it("finds neither AudioWorklet nor Worker in Node", () => {
    expect(probeCapabilities()).toEqual(NODE);
  });
});

describe("selectHost", () => {
  it.each([
    ["realtime", BROWSER_ISOLATED, "audioworklet", "shared_memory"],
    ["realtime", BROWSER_EMBEDDED, "audioworklet", "message_port"],
    ["offline", BROWSER_ISOLATED, "worker", "shared_memory"],
    ["offline", BROWSER_EMBEDDED, "worker", "message_port"],
    ["offline", NODE, "in-process", "in_process"],
    ["auto", BROWSER_ISOLATED, "audioworklet", "shared_memory"],
    ["auto", { ...NODE, worker: true }, "worker", "message_port"],
    ["auto", NODE, "in-process", "in_process"],
  ] as const)("%s with %o picks %s over %s", (mode, capabilities, host, dataPlane) => {
    expect(selectHost(capabilities, mode)).toMatchObject({ host, dataPlane });
  });

  it("says why, including the hosts it skipped", () => {
    expect(selectHost(NODE, "auto").reason).toBe(
      "auto: in-process over in-process buffers; skipped audioworklet: no AudioWorkletNode in this environment; worker: no Worker in this environment",
    );
    expect(selectHost(BROWSER_EMBEDDED, "realtime").reason).toBe(
      "realtime: audioworklet over MessagePort transfers (not cross-origin isolated)",
    );
  });

  it("refuses real time without AudioWorklet instead of falling back to a host that cannot play", () => {
    expect(hostUnavailable(() => selectHost(NODE, "realtime")).message).toBe(
      "E_HOST_UNAVAILABLE: realtime: no usable host (audioworklet: no AudioWorkletNode in this environment)",
    );
  });

  it("skips hosts without a registered factory", () => {
    expect(selectHost(BROWSER_ISOLATED, "auto", new Set(["in-process"])).host).toBe("in-process");
    expect(selectHost(BROWSER_ISOLATED, "offline", new Set(["in-process", "worker"])).host).toBe("worker");
  });

  it("honours an explicit host, and names it when it cannot run", () => {
    expect(selectHost(NODE, "auto", undefined, "test-double")).toMatchObject({
      host: "test-double",
      dataPlane: "in_process",
    });
    expect(hostUnavailable(() => selectHost(NODE, "auto", undefined, "worker")).message).toBe(
      "E_HOST_UNAVAILABLE: requested worker: no usable host (worker: no Worker in this environment)",
    );
  });
});

describe("EngineBootstrapper", () => {
  it("creates the selected host through its registered factory, passing hostOptions", async () => {
    const bootstrapper = new EngineBootstrapper().registerHost("test-double", testDoubleHostFactory);
    const client = await bootstrapper.createEngine({
      host: "test-double",
      probe: () => NODE,
      hostOptions: { sessionId: "from-options" },
    });
    expect(client).toBeInstanceOf(TestDoubleEngineClient);
    expect(client.host).toBe("test-double");
    expect((await client.getTransportState()).session_id).toBe("from-options");
    await client.close();
  });

  it("rejects an unregistered host with E_HOST_UNAVAILABLE naming it", async () => {
    const bootstrapper = new EngineBootstrapper().registerHost("test-double", testDoubleHostFactory);
    await expect(bootstrapper.createEngine({ host: "in-process", probe: () => NODE })).rejects.toThrow(
      "E_HOST_UNAVAILABLE: requested in-process: no usable host (in-process: no factory registered)",
    );
    expect(bootstrapper.registeredHosts()).toEqual(["test-double"]);
  });

  it("never picks the test double unless asked by name", async () => {
    const bootstrapper = new EngineBootstrapper().registerHost("test-double", testDoubleHostFactory);
    await expect(bootstrapper.createEngine({ probe: () => NODE })).rejects.toMatchObject({
      code: "E_HOST_UNAVAILABLE",
    });
  });

  it("reports the selection without creating anything", () => {
    const bootstrapper = new EngineBootstrapper()
      .registerHost("in-process", testDoubleHostFactory)
      .registerHost("worker", testDoubleHostFactory);
    expect(bootstrapper.select({ mode: "offline", probe: () => BROWSER_EMBEDDED }).host).toBe("worker");
  });
});
