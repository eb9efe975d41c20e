/**
 * The serve row of `npm run bench`: what HTTP adds to a render. The same 1 s stereo request
 * (oscillator, filter, reverb at 48 kHz) rendered and read back in-process (render, readBuffer,
 * releaseBuffer) and through `webdreamer serve` on the loopback (POST render, GET the buffer as raw
 * float32, DELETE it, with RemoteHttpEngineClient), interleaved A B A B, medians of the pairs.
 */

import type { EngineClient } from "../src/api/engine-client";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../src/hosts/in-process/in-process-client";
import { createEngineServer } from "../src/serve/engine-server";
import { RemoteHttpEngineClient } from "../src/serve/http-engine-client";
import { interleave } from "./pairs";
import { sawRoomRequest } from "./saw-room-request";
import { median } from "./workloads";

export interface ServeOverhead {
  /** ms per render and read back, over HTTP, each pair. */
  http: number[];
  /** ms per the same in-process, each pair. */
  inProcess: number[];
}

const REQUEST = sawRoomRequest("bench-serve", 220);

async function timeOne(engine: EngineClient): Promise<number> {
  const started = performance.now();
  const result = await engine.render(REQUEST);
  await engine.readBuffer(result.buffer_handle ?? "");
  await engine.releaseBuffer(result.buffer_handle ?? "");
  return performance.now() - started;
}

/** `pairs` interleaved pairs after two warm-ups of each side. */
export async function benchServeOverhead(pairs: number): Promise<ServeOverhead> {
  const module = await loadEngineModuleFromDisk();
  const local = new InProcessEngineClient({ module });
  const server = createEngineServer(async () => new InProcessEngineClient({ module }), { port: 0 });
  const url = await server.listen();
  const remote = await RemoteHttpEngineClient.connect({ url });
  try {
    for (let i = 0; i < 2; i++) {
      await timeOne(local);
      await timeOne(remote);
    }
    return await interleave(pairs, { inProcess: () => timeOne(local), http: () => timeOne(remote) });
  } finally {
    await remote.close();
    await local.close();
    await server.close();
  }
}

/** One line for the log. */
export function describeServeOverhead(figures: ServeOverhead): string {
  const http = median(figures.http);
  const local = median(figures.inProcess);
  return `serve: ${http.toFixed(2)} ms per 1 s render read back over HTTP, ${local.toFixed(2)} ms in-process (+${(http - local).toFixed(2)} ms)`;
}
