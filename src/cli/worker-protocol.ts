/** Messages between the CLI's main thread and its render workers (plain data, structured-cloned). */
import type { SessionRenderJob, SessionRenderOutcome } from "./session-render";

/** Main thread to worker: render one session. A worker gets its next job only after answering. */
export interface RenderJobMessage {
  type: "render";
  id: number;
  job: SessionRenderJob;
}

/** Worker to main thread. */
export type WorkerReport =
  | { type: "progress"; id: number; framesRendered: number; framesTotal: number; sampleRate: number }
  | { type: "done"; id: number; outcome: SessionRenderOutcome }
  | { type: "failed"; id: number; message: string };
