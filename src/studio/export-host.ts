/**
 * Which engine renders the studio's export. The Worker engine renders off the main thread and
 * faster than real time, but it has no AudioWorkletGlobalScope, so it cannot host WAM plugins
 * (docs/wam.md): a project with a WAM instrument or device is rendered by the live AudioWorklet host
 * instead, which renders WAMs offline in an OfflineAudioContext (exportProject on it, as
 * e2e/project-export.spec.ts proves for a WAM device).
 */
import type { Project } from "../project/project-schema";

/** Whether the project plays a WAM (an instrument or a device anywhere): the Worker cannot render it. */
export function playsWam(project: Project): boolean {
  const devices = [
    ...project.master.devices,
    ...project.tracks.flatMap((track) => [
      ...(track.kind === "instrument" ? [track.instrument] : []),
      ...track.devices,
    ]),
  ];
  return devices.some((device) => device.node_id.startsWith("wam:"));
}
