/** The player's header: its name, the status line, and the badge naming the data plane. */
import { html } from "lit";

import type { DataPlaneTransport } from "../api/realtime-readings";

/** What the player is doing, as its status line says it. */
export type PlayerStatus =
  | "unsupported" // the browser lacks something the engine needs (see the notice)
  | "idle" // the engine has not started: the first Play starts it
  | "starting"
  | "playing"
  | "paused"
  | "stopped"
  | "fault" // the engine trapped; "Restart engine" brings it back
  | "error"; // the engine could not start or a call failed (see the notice)

const STATUS_TEXT: Record<PlayerStatus, string> = {
  unsupported: "Unsupported",
  idle: "Ready",
  starting: "Starting engine…",
  playing: "Playing",
  paused: "Paused",
  stopped: "Stopped",
  fault: "Engine fault",
  error: "Error",
};

const DATA_PLANE_TEXT: Record<DataPlaneTransport, string> = {
  shared_memory: "shared memory",
  message_port: "message-port fallback",
};

export interface PlayerHeaderView {
  label: string;
  status: PlayerStatus;
  /** The engine's data plane, or the one it will use once started. */
  plane: DataPlaneTransport;
}

/**
 * @example
 * import { html } from "lit";
 * html`${playerHeader({ label: "Bass patch", status: "idle", plane: "shared_memory" })}`;
 */
export function playerHeader({ label, status, plane }: PlayerHeaderView) {
  return html`
    <header class="head" part="header">
      <div class="identity">
        <span class="name">${label}</span>
        <span class="status" data-status=${status} role="status">${STATUS_TEXT[status]}</span>
      </div>
      <span
        class="badge"
        data-plane=${plane}
        title=${
          plane === "shared_memory"
            ? "Cross-origin isolated: state and meters are read from SharedArrayBuffers"
            : "Not cross-origin isolated: the engine plays over MessagePorts"
        }
        ><span class="visually-hidden">Data plane: </span>${DATA_PLANE_TEXT[plane]}</span
      >
    </header>
  `;
}
