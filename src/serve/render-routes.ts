/**
 * Render and cancel over HTTP. POST .../render takes a RenderRequest and answers its RenderResult as
 * JSON, or, with `Accept: text/event-stream`, as server-sent progress events ending with the result
 * (progress-events.ts). A render is known by its render id (?render_id=, default the request_id),
 * which POST .../renders/{render_id}/cancel stops (status "partial"). A client that goes away stops
 * its render too, and a render that outlives the time limit is cancelled and answered 408; the
 * audio of a result nobody receives is released.
 */
import type { RenderResult } from "../contracts/render";
import type { EngineSession } from "./engine-sessions";
import { sendJson } from "./http-errors";
import { ProgressEventStream } from "./progress-events";
import { parseJsonBody } from "./request-body";
import { type Route, sessionOf } from "./route";
import { EVENT_STREAM_TYPE } from "./wire";

function resultHandles(result: RenderResult): string[] {
  const handles = result.buffer_handle === null ? [] : [result.buffer_handle];
  return [...handles, ...Object.values(result.extensions.captures ?? {})];
}

async function releaseAll(session: EngineSession, handles: readonly string[]): Promise<void> {
  await Promise.allSettled(handles.map((handle) => session.engine.releaseBuffer(handle)));
}

function renderIdOf(query: URLSearchParams, body: unknown): string {
  const given = query.get("render_id");
  if (given !== null && given !== "") return given;
  const requestId = (body as { request_id?: unknown } | null | undefined)?.request_id;
  return typeof requestId === "string" && requestId !== "" ? requestId : "";
}

export const RENDER_ROUTES: readonly Route[] = [
  {
    method: "POST",
    path: "/sessions/{session}/render",
    admitted: true,
    summary:
      "Renders a RenderRequest and answers its RenderResult (JSON); with Accept: text/event-stream, progress events then the result. The result's handles are read with GET .../buffers/{handle}.",
    requestBody: { kind: "contract", contract: "render-request" },
    response: { status: 200, body: { kind: "contract", contract: "render-result" }, events: true },
    query: [
      {
        name: "render_id",
        description:
          "the id cancel names this render by (default: its request_id); make it unique to cancel safely",
        type: "string",
      },
    ],
    async handle(context) {
      const session = sessionOf(context);
      const request = parseJsonBody(context.body);
      const accept = context.request.headers.accept ?? "";
      const events = accept.includes(EVENT_STREAM_TYPE) ? new ProgressEventStream(context.response) : null;
      const controller = new AbortController();
      const stop = () => controller.abort();
      context.signal.addEventListener("abort", stop, { once: true });
      // The client went away before its answer: nobody will read the result.
      const gone = () => {
        if (!context.response.writableFinished) controller.abort();
      };
      context.response.on("close", gone);
      const unregister = session.startRender(renderIdOf(context.query, request), controller);
      try {
        const result = await session.engine.render(request as never, {
          signal: controller.signal,
          ...(events ? { onProgress: (progress) => events.progress(progress) } : {}),
        });
        const handles = resultHandles(result);
        if (context.signal.aborted || context.response.destroyed) {
          await releaseAll(session, handles);
          if (events?.open) events.error(context.signal.reason);
          return; // the time limit answered 408 already, or there is nobody to answer
        }
        session.noteHandles(handles, (request as { sample_rate: number }).sample_rate);
        if (events) events.result(result);
        else sendJson(context.response, result);
      } catch (error) {
        if (events?.open) events.error(error);
        else throw error;
      } finally {
        unregister();
        context.signal.removeEventListener("abort", stop);
        context.response.off("close", gone);
      }
    },
  },
  {
    method: "POST",
    path: "/sessions/{session}/renders/{render_id}/cancel",
    admitted: false,
    summary:
      'Cancels the session\'s renders in progress with this render id (they end with status "partial"); with none, the next render with this id within 30 s starts cancelled. Answers how many were running.',
    requestBody: { kind: "none" },
    response: { status: 200, body: { kind: "schema", name: "Cancelled" } },
    async handle(context) {
      const cancelled = sessionOf(context).cancel(context.params.render_id as string);
      sendJson(context.response, { cancelled });
    },
  },
];
