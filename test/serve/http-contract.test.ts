/**
 * RemoteHttpEngineClient against the EngineClient contract suite every host passes, through a real
 * `webdreamer serve` server on the loopback (a free port), whose sessions run the in-process host.
 */
import { afterAll, beforeAll } from "vitest";
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
