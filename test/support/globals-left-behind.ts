/**
 * Setup for the "untimed" files, which share their worker's globals (isolate: false): a file that
 * leaves a global behind fails here, naming it, rather than changing what a later file sees (a
 * stand-in AudioWorkletProcessor left by one file once made the WAM SDK's modules, imported by
 * another, register into a module scope that was not there). Stub globals with vi.stubGlobal and
 * undo them with vi.unstubAllGlobals.
 */
import { afterAll, beforeAll } from "vitest";

let before: Set<string>;

beforeAll(() => {
  before = new Set(Object.getOwnPropertyNames(globalThis));
});

afterAll(() => {
  const left = Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name));
  if (left.length > 0) throw new Error(`this file left globals behind: ${left.join(", ")}`);
});
