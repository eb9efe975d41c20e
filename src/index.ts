/**
 * webdreamer for Node: render audio graphs from scripts, as DawDreamer does from Python.
 *
 * The contracts (schemas, types, EngineError, parseContract) and the EngineClient API are re-exported
 * from here, so one import serves a whole script.
 *
 * @example
 * const engine = await createEngine({ host: "in-process", sampleRate: 48000 });
 * const result = await engine.render(request);
 * const channels = await engine.readBuffer(result.buffer_handle!);
 * await engine.close();
 */
export * from "./api/index";
export * from "./client/bootstrapper";
export * from "./contracts/index";
export * from "./create-engine";
export { builtinDescriptors } from "./engine/builtin-descriptors";
export { loadEngineModuleFromDisk } from "./hosts/in-process/engine-file";
export { InProcessEngineClient, inProcessHostFactory } from "./hosts/in-process/in-process-client";
export type { InProcessClientOptions } from "./hosts/in-process/in-process-options";
