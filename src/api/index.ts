/** The EngineClient API: what every host implements and every application calls. See docs/architecture.md. */
export * from "./call-validation";
export * from "./clock";
export * from "./discovery-cache";
export * from "./discovery-merge";
export * from "./discovery-roots";
export * from "./engine-client";
export * from "./engine-client-base";
export * from "./host-factory";
export * from "./midi-recording";
export * from "./realtime-client";
export * from "./realtime-readings";
export * from "./wam-load-policy";
