/**
 * The serve row of `npm run bench`: what HTTP adds to a render. The same 1 s stereo request
 * (oscillator, filter, reverb at 48 kHz) rendered and read back in-process (render, readBuffer,
 * releaseBuffer) and through `webdreamer serve` on the loopback (POST render, GET the buffer as raw
 * float32, DELETE it, with RemoteHttpEngineClient), interleaved A B A B, medians of the pairs.
 *
 * A pair's figure for each side is the mean of a batch of renders, each after a full collection
 * (bench/collect-garbage.ts, untimed): the server runs in this process, so a collection owed to the
 * HTTP side's buffers fell on either side's next render, and single renders' ratios scattered from
 * 0.12 to 1.05 (two runs of 30 pairs read 0.38 and 0.31).
 */

import type { EngineClient } from "../src/api/engine-client";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../src/hosts/in-process/in-process-client";
import { createEngineServer } from "../src/serve/engine-server";
import { RemoteHttpEngineClient } from "../src/serve/http-engine-client";
import { meanAfterCollections } from "./collect-garbage";
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

async function renderAndRead(engine: EngineClient): Promise<void> {
  const result = await engine.render(REQUEST);
  await engine.readBuffer(result.buffer_handle ?? "");
  await engine.releaseBuffer(result.buffer_handle ?? "");
}

/** `pairs` interleaved pairs of `batch` renders of each side, after two warm-ups of each side. */
export async function benchServeOverhead(pairs: number, batch = 5): Promise<ServeOverhead> {
  const module = await loadEngineModuleFromDisk();
  const local = new InProcessEngineClient({ module });
  const server = createEngineServer(async () => new InProcessEngineClient({ module }), { port: 0 });
  const url = await server.listen();
  const remote = await RemoteHttpEngineClient.connect({ url });
  try {
    for (let i = 0; i < 2; i++) {
      await renderAndRead(local);
      await renderAndRead(remote);
    }
    return await interleave(pairs, {
      inProcess: () => meanAfterCollections(batch, () => renderAndRead(local)),
      http: () => meanAfterCollections(batch, () => renderAndRead(remote)),
    });
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
