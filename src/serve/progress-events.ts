/**
 * A render's progress as server-sent events (text/event-stream). The stream opens at the first
 * progress report, so a request that is refused before it renders is still a plain JSON error with
 * its status. Events, each `data` one JSON line:
 *
 *   event: progress   {"request_id", "frames_rendered", "frames_total"}
 *   event: result     the RenderResult (the last event)
 *   event: error      {"error": {code, path, message, ...}} (the last event: the time limit, or a
 *                     failure after the stream opened)
 */
import type { ServerResponse } from "node:http";
import type { RenderProgress } from "../api/engine-client";
import { EngineError } from "../contracts/errors";
import { EVENT_STREAM_TYPE } from "./wire";

export class ProgressEventStream {
  constructor(private readonly response: ServerResponse) {}

  /** True once the stream has opened (the status line is sent). */
  get open(): boolean {
    return this.response.headersSent;
  }

  /** Sends a progress event, opening the stream on the first. */
  progress(progress: RenderProgress): void {
    this.send("progress", progress);
  }

  /** Sends the result and ends the stream. */
  result(result: unknown): void {
    this.send("result", result);
    this.response.end();
  }

  /** Sends the error and ends the stream. */
  error(error: unknown): void {
    this.send("error", { error: EngineError.fromWire(error).toWire() });
    this.response.end();
  }

  private send(event: string, data: unknown): void {
    if (this.response.destroyed || this.response.writableEnded) return;
    if (!this.response.headersSent) {
      this.response.writeHead(200, {
        "content-type": EVENT_STREAM_TYPE,
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
      });
    }
    this.response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}
