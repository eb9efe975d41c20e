/**
 * Reads server-sent events from a fetch body: each event's name and its `data` lines joined. Enough
 * of the text/event-stream format for the server's own streams (progress-events.ts); comments and
 * `id`/`retry` fields are skipped.
 */

export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * @example
 * const body = (await fetch("http://127.0.0.1:7341/v1alpha/health")).body;
 * if (body) for await (const { event, data } of readEventStream(body)) console.log(event, data);
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      pending += done ? decoder.decode() : decoder.decode(value, { stream: true });
      pending = pending.replace(/\r\n?/g, "\n");
      let end = pending.indexOf("\n\n");
      while (end >= 0) {
        const block = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const parsed = parseBlock(block);
        if (parsed !== null) yield parsed;
        end = pending.indexOf("\n\n");
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

function parseBlock(block: string): ServerSentEvent | null {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length === 0 ? null : { event, data: data.join("\n") };
}
