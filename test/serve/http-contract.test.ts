/**
 * RemoteHttpEngineClient against the EngineClient contract suite every host passes, through a real
 * `webdreamer serve` server on the loopback (a free port), whose sessions run the in-process host.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../src/hosts/in-process/in-process-client";
import { createEngineServer, type EngineServer } from "../../src/serve/engine-server";
import { RemoteHttpEngineClient } from "../../src/serve/http-engine-client";
import { describeEngineClientContract, playingNonFinite } from "../api/engine-client-suite";

let server: EngineServer;
let url = "";

beforeAll(async () => {
  const module = await loadEngineModuleFromDisk();
  server = createEngineServer(
    async ({ sampleRate }) => new InProcessEngineClient({ module, ...(sampleRate ? { sampleRate } : {}) }),
    { port: 0, maxSessions: 64 },
  );
  url = await server.listen();
});

afterAll(async () => {
  await server.close();
});

describeEngineClientContract(
  "remote over HTTP (webdreamer serve)",
  ({ clock }) => RemoteHttpEngineClient.connect({ url, clock }),
  { nonFiniteRenderRequest: playingNonFinite },
);

describe("RemoteHttpEngineClient.getParameter (GET /graph/parameters)", () => {
  it("reads a lane's value before the transport position, and names an unknown node or parameter", async () => {
    const engine = await RemoteHttpEngineClient.connect({ url });
    try {
      await engine.loadGraph({
        version: "v1alpha",
        nodes: [
          {
            name: "amp",
            node_id: "builtin:gain",
            automation: {
              gain: {
                kind: "breakpoints",
                points: [
                  { time: 0, value: 0 },
                  { time: 2, value: 1 },
                ],
              },
            },
          },
        ],
        output: "amp",
      });
      await engine.seek(1);
      const { value, frame } = await engine.getParameter("amp", "gain");
      const rate = (await engine.getTransportState()).sample_rate;
      expect(frame).toBe(rate);
      // The lane's value on frame - 1, as the in-process host reads it.
      expect(Math.abs(value - (frame - 1) / (2 * rate))).toBeLessThan(1e-6);
      await expect(engine.getParameter("nope", "gain")).rejects.toThrow(
        'E_UNKNOWN_NODE at get_parameter.node: no node named "nope" in the loaded graph',
      );
      await expect(engine.getParameter("amp", "volume")).rejects.toThrow(
        'E_SCHEMA at get_parameter.parameter_id: unknown parameter "volume" of builtin:gain (known: gain)',
      );
    } finally {
      await engine.close();
    }
  });
});
