/**
 * EnginePool: the in-process host's engine instances. One WasmEngine at the client's own sample rate
 * and block size, never evicted; a request at another rate or with its own block size gets an engine
 * of its own, kept for later requests (the most recently used few). An engine whose instance trapped
 * is replaced by a fresh one (replace()).
 */

import { instantiateEngine } from "../../engine/engine-module";
import { WasmEngine } from "../../engine/wasm-engine";

export interface EnginePoolOptions {
  /** The client's own rate and block size: that engine is created at once and always kept. */
  sampleRate: number;
  blockSize: number;
  /** Engines kept for other rates and block sizes, besides the client's own. */
  maxExtraEngines: number;
  /** Called with an engine just before the pool destroys or drops it (to make room, or replaced). */
  onEvict?(engine: WasmEngine): void;
}

function engineKey(sampleRate: number, blockSize: number): string {
  return `${sampleRate}/${blockSize}`;
}

export class EnginePool {
  /** Engines by "<rate>/<block size>", least recently used first. */
  private readonly engines = new Map<string, WasmEngine>();
  private readonly ownKey: string;

  /**
   * @example
   * const pool = new EnginePool(module, { sampleRate: 48000, blockSize: 128, maxExtraEngines: 4 });
   */
  constructor(
    private readonly module: WebAssembly.Module,
    private readonly options: EnginePoolOptions,
  ) {
    this.ownKey = engineKey(options.sampleRate, options.blockSize);
    this.engineFor(options.sampleRate, options.blockSize);
  }

  /**
   * The engine at the client's own rate and block size.
   * @example
   * pool.own.types; // the engine's processor table
   */
  get own(): WasmEngine {
    return this.engines.get(this.ownKey) as WasmEngine;
  }

  /**
   * Drops an engine whose instance trapped, without calling into it again (its memory goes with the
   * instance), and returns a fresh engine at the same rate and block size in its place.
   * @example
   * const engine = pool.engineFor(44100, 128);
   * const fresh = pool.replace(engine); // after engine.wasm trapped in `engine`
   */
  replace(engine: WasmEngine): WasmEngine {
    const key = engineKey(engine.sampleRate, engine.blockSize);
    if (this.engines.get(key) === engine) {
      this.engines.delete(key);
      this.options.onEvict?.(engine);
    }
    return this.engineFor(engine.sampleRate, engine.blockSize);
  }

  /**
   * The engine for a rate and block size, created on first use; the least recently used extra
   * engines beyond `maxExtraEngines` are destroyed.
   * @example
   * const engine = pool.engineFor(44100, 128);
   */
  engineFor(sampleRate: number, blockSize: number): WasmEngine {
    const key = engineKey(sampleRate, blockSize);
    let engine = this.engines.get(key);
    if (engine !== undefined) {
      this.engines.delete(key);
    } else {
      engine = new WasmEngine(instantiateEngine(this.module), sampleRate, blockSize);
    }
    this.engines.set(key, engine);
    for (const [candidateKey, candidate] of this.engines) {
      if (this.engines.size <= this.options.maxExtraEngines + 1) break;
      if (candidateKey === this.ownKey || candidate === engine) continue;
      this.engines.delete(candidateKey);
      this.options.onEvict?.(candidate);
      candidate.destroy();
    }
    return engine;
  }

  /**
   * Destroys every engine (the client is closing).
   * @example
   * pool.destroyAll();
   */
  destroyAll(): void {
    for (const engine of this.engines.values()) engine.destroy();
    this.engines.clear();
  }
}
