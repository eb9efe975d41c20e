/**
 * Globals that Workers, main threads and Node have but the AudioWorklet scope does not (no
 * performance, setTimeout or MessageChannel there). Data-plane modules are imported by the worklet,
 * so they reach these through `globalThis` and check before use, instead of assuming a DOM.
 */

// Methods, not function-typed properties: their parameters compare both ways, so the host's own
// clearTimeout (which takes its timer type) fits one that takes the `unknown` hostSetTimeout returns.
interface HostGlobals {
  performance?: { now(): number };
  setTimeout?(callback: () => void, ms: number): unknown;
  clearTimeout?(timer: unknown): void;
  MessageChannel?: new () => { port1: MessagePort; port2: MessagePort };
}

// globalThis, typed as possibly having each of them: the worklet's type library declares none of
// them, the app's declares all of them (so every use checks for undefined, whatever the scope).
const host: typeof globalThis & HostGlobals = globalThis;

/** Milliseconds from a monotonic clock where there is one (performance.now), else Date.now. */
export function nowMs(): number {
  return host.performance === undefined ? Date.now() : host.performance.now();
}

/** setTimeout where it exists; undefined in an AudioWorklet. */
export function hostSetTimeout(callback: () => void, ms: number): unknown {
  return host.setTimeout?.(callback, ms);
}

/** clearTimeout where it exists. */
export function hostClearTimeout(timer: unknown): void {
  host.clearTimeout?.(timer);
}

/** The MessageChannel constructor, or undefined in an AudioWorklet. */
export function hostMessageChannel(): (new () => { port1: MessagePort; port2: MessagePort }) | undefined {
  return host.MessageChannel;
}
