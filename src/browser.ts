/**
 * webdreamer in the browser: the entry point for pages and components.
 *
 * The bootstrapper picks the host from what the page can do: the real-time AudioWorklet host plays
 * in real time; the offline Worker host renders faster than real time off the main thread.
 *
 * @example
 * const engine = await createBrowserEngine({ mode: "offline" });
 * const result = await engine.render(request);
 */
export * from "./api/index";
export * from "./client/bootstrapper";
export * from "./contracts/index";
export * from "./create-browser-engine";
export {
  AudioWorkletEngineClient,
  type AudioWorkletEngineClientOptions,
} from "./hosts/audioworklet/audioworklet-client";
export { WorkerEngineClient, type WorkerEngineClientOptions } from "./hosts/worker/worker-client";
export * from "./project/index";
// Browser only (OPFS): projects saved in the origin private file system, with autosave.
export * from "./project/project-opfs";
// WAM 2.0 plugins: the one loader, host groups, descriptors, WAM discovery roots (docs/wam.md).
export * from "./wam/index";
export { DEFAULT_WAM_SCAN_TIMEOUT_MS, scanWamRoot, type WamScanOptions } from "./wam/wam-roots";
