/**
 * webdreamer/testing: the EngineClient test double (no engine, no threads, deterministic audio) and
 * a hand-driven clock, for testing applications without WASM or audio hardware.
 */
export { ManualClock } from "../api/clock";
export * from "./test-double";
export * from "./test-double-catalog";
