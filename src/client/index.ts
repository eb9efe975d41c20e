/** The EngineClient API, host selection, and the test double. See docs/contracts.md. */
export * from "./bootstrapper";
export * from "./call-validation";
export * from "./clock";
export * from "./discovery-cache";
export * from "./engine-client";
export * from "./test-double";
export * from "./test-double-catalog";
