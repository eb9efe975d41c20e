/**
 * What a page must offer before the live engine can start, checked once when the player connects,
 * so a visitor reads what is missing instead of a stack trace after pressing Play. Cross-origin
 * isolation is reported, never required: without it the engine plays over MessagePorts.
 */

/**
 * A tiny module using one SIMD instruction (from wasm-feature-detect): engine.wasm is built with
 * -msimd128 and does not compile where this does not validate.
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98,
  11,
]);

export interface EngineCapabilities {
  /** Human-readable names of what is missing; empty when the engine can run. */
  missing: string[];
  /** True when SharedArrayBuffer is available: the "shared_memory" data plane. */
  isolated: boolean;
}

/**
 * Checks this page for AudioWorklet, Workers and WebAssembly with SIMD.
 * @example
 * const { missing, isolated } = checkCapabilities();
 * if (missing.length > 0) notice.textContent = `This browser lacks ${missing.join(", ")}.`;
 */
export function checkCapabilities(scope: typeof globalThis = globalThis): EngineCapabilities {
  const missing: string[] = [];
  if (typeof scope.AudioContext !== "function") missing.push("Web Audio (AudioContext)");
  else if (typeof scope.AudioWorkletNode !== "function") {
    // Browsers expose AudioWorklet only in secure contexts: say so, it is the usual cause.
    missing.push(scope.isSecureContext ? "AudioWorklet" : "AudioWorklet (it needs https or localhost)");
  }
  if (typeof scope.Worker !== "function") missing.push("Web Workers");
  if (typeof scope.WebAssembly !== "object") missing.push("WebAssembly");
  else if (!scope.WebAssembly.validate(SIMD_PROBE)) missing.push("WebAssembly SIMD");
  return { missing, isolated: scope.crossOriginIsolated === true };
}
