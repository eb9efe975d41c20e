/**
 * RealtimeEngineController, driven in Node through its injectable engine factory: a fake real-time engine
 * (the test double plus the real-time readings), a fake AudioContext and a hand-run animation frame
 * stand in for the browser, so the lifecycle (start, the generation counter, faults, restart,
 * closing, the frame loop) is checked without one.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ParameterReading, RealtimeEngineClient } from "../../src/api/realtime-client";
import {
  createMeterReading,
  createTransportSnapshot,
  type MeterReading,
  type TransportSnapshot,
} from "../../src/api/realtime-readings";
import {
  RealtimeEngineController,
  type RealtimeEngineFactory,
  type RealtimeEngineHooks,
} from "../../src/components/realtime-engine-controller";
import { createRealtimeEngine } from "../../src/create-browser-engine";
import { TestDoubleEngineClient } from "../../src/testing/index";

/**
 * The test double, made real-time: it reads a snapshot and meters it owns and can trap on demand
 * (live MIDI and its recording are the double's own).
 */
class FakeRealtimeEngine extends TestDoubleEngineClient implements RealtimeEngineClient {
  override readonly host = "audioworklet" as const;
  readonly dataPlane = "shared_memory" as const;
  readonly snapshot = createTransportSnapshot();
  restarts = 0;
  private readonly faultListeners = new Set<(message: string) => void>();

  constructor(readonly context: AudioContext) {
    super();
  }

  readTransport(): TransportSnapshot {
    return this.snapshot;
  }

  override async getParameter(): Promise<ParameterReading> {
    return { value: 0, frame: 0 };
  }

  readMeters(into: MeterReading): boolean {
    into.quantum++;
    return true;
  }

  createMeterReading(): MeterReading {
    return createMeterReading(2);
  }

  onFault(listener: (message: string) => void): () => void {
    this.faultListeners.add(listener);
    return () => this.faultListeners.delete(listener);
  }

  async restart(): Promise<void> {
    this.restarts++;
  }

  /** What the AudioWorklet host does when engine.wasm traps. */
  trap(message: string): void {
    for (const listener of this.faultListeners) listener(message);
  }
}

/** Every AudioContext the controller made, in order. */
let contexts: FakeAudioContext[] = [];

class FakeAudioContext {
  state: AudioContextState = "suspended";

  constructor(readonly options?: AudioContextOptions) {
    contexts.push(this);
  }

  async resume(): Promise<void> {
    this.state = "running";
  }

  async close(): Promise<void> {
    this.state = "closed";
  }
}

/** Animation frame callbacks waiting for the next frame. */
let frames = new Map<number, FrameRequestCallback>();
let nextFrame = 1;

function runFrame(now: number): void {
  const waiting = [...frames.values()];
  frames = new Map();
  for (const callback of waiting) callback(now);
}

class FakeHost implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

/** Hooks that log what they were told, with whether the controller still reported "starting". */
function recordingHooks(controller: () => RealtimeEngineController) {
  const log: string[] = [];
  const frameArgs: { state: TransportSnapshot; meters: MeterReading; now: number }[] = [];
  const hooks: RealtimeEngineHooks = {
    attach: () => log.push(`attach (engine ${controller().engine ? "set" : "unset"})`),
    load: async () => {
      log.push(`load (starting ${controller().starting})`);
    },
    ready: () => log.push(`ready (engine ${controller().engine ? "set" : "unset"})`),
    restarted: async () => {
      log.push(`restarted (starting ${controller().starting})`);
    },
    fault: (message) => log.push(`fault ${message}`),
    failed: (error, during) =>
      log.push(
        `failed ${during}: ${error instanceof Error ? error.message : String(error)} (starting ${controller().starting})`,
      ),
    frame: (state, meters, now) => frameArgs.push({ state, meters, now }),
  };
  return { log, frameArgs, hooks };
}

/** A controller on a fake host whose factory makes FakeRealtimeEngines. */
function setUp() {
  const host = new FakeHost();
  const engines: FakeRealtimeEngine[] = [];
  const { log, frameArgs, hooks } = recordingHooks(() => controller);
  const controller = new RealtimeEngineController(host, hooks, {
    createEngine: async ({ context }) => {
      const engine = new FakeRealtimeEngine(context);
      engines.push(engine);
      return engine;
    },
  });
  return { host, controller, engines, log, frameArgs };
}

beforeEach(() => {
  contexts = [];
  frames = new Map();
  vi.stubGlobal("AudioContext", FakeAudioContext);
  vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => {
    const id = nextFrame++;
    frames.set(id, callback);
    return id;
  });
  vi.stubGlobal("cancelAnimationFrame", (id: number) => frames.delete(id));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("RealtimeEngineController", () => {
  it("defaults to the browser's composition root and registers with its host", () => {
    const host = new FakeHost();
    const { hooks } = recordingHooks(() => controller);
    const controller = new RealtimeEngineController(host, hooks);
    expect(controller.createEngine).toBe(createRealtimeEngine);
    expect(host.controllers).toEqual([controller]);
  });

  it("starts through the injected factory in an AudioContext it made before its first await", async () => {
    const { controller, engines, log, host } = setUp();
    const started = controller.start();
    // Synchronously, inside the caller's gesture: the context exists and the controller is starting.
    expect(contexts).toHaveLength(1);
    expect(contexts[0]?.options).toEqual({ latencyHint: "interactive" });
    expect(controller.starting).toBe(true);
    expect(host.updates).toBe(1);

    const engine = await started;
    expect(engine).toBe(engines[0]);
    expect(engine?.context.state).toBe("running");
    expect(controller.engine).toBe(engine);
    expect(controller.starting).toBe(false);
    expect(log).toEqual(["attach (engine unset)", "load (starting true)", "ready (engine set)"]);
  });

  it("hands start()'s options to the factory beside the context it made", async () => {
    const seen: Parameters<RealtimeEngineFactory>[0][] = [];
    const { hooks } = recordingHooks(() => controller);
    const controller = new RealtimeEngineController(new FakeHost(), hooks, {
      createEngine: async (options) => {
        seen.push(options);
        return new FakeRealtimeEngine(options.context);
      },
    });
    await controller.start({ baseUrl: "https://cdn.example/webdreamer/" });
    expect(seen).toEqual([{ baseUrl: "https://cdn.example/webdreamer/", context: contexts[0] }]);
  });

  it("starts once while a start is under way", async () => {
    const { controller, engines } = setUp();
    const first = controller.start();
    expect(await controller.start()).toBeNull();
    await first;
    expect(engines).toHaveLength(1);
  });

  it("closes the engine and its AudioContext when the host disconnects", async () => {
    const { controller } = setUp();
    const engine = await controller.start();
    controller.hostDisconnected();
    expect(controller.engine).toBeNull();
    await vi.waitFor(() => expect(contexts[0]?.state).toBe("closed"));
    await expect(engine?.getTransportState()).rejects.toMatchObject({ code: "E_CLOSED" });
  });

  it("closes an engine that finishes starting after the host disconnected", async () => {
    const { controller, engines, log } = setUp();
    const started = controller.start();
    controller.hostDisconnected();
    expect(await started).toBeNull();
    expect(controller.engine).toBeNull();
    expect(contexts[0]?.state).toBe("closed");
    await expect(engines[0]?.getTransportState()).rejects.toMatchObject({ code: "E_CLOSED" });
    expect(log).toEqual([]);
  });

  it("closes an engine whose host disconnected while it loaded, and runs no frame for it", async () => {
    const host = new FakeHost();
    const engines: FakeRealtimeEngine[] = [];
    const { log, hooks } = recordingHooks(() => controller);
    const controller = new RealtimeEngineController(
      host,
      {
        ...hooks,
        load: async () => {
          log.push("load");
          controller.hostDisconnected();
        },
      },
      {
        createEngine: async ({ context }) => {
          const engine = new FakeRealtimeEngine(context);
          engines.push(engine);
          return engine;
        },
      },
    );
    expect(await controller.start()).toBeNull();
    expect(controller.engine).toBeNull();
    expect(frames.size).toBe(0);
    expect(contexts[0]?.state).toBe("closed");
    await expect(engines[0]?.getTransportState()).rejects.toMatchObject({ code: "E_CLOSED" });
    engines[0]?.trap("after close");
    expect(log).toEqual(["attach (engine unset)", "load"]);
  });

  it("tells a failed start while still starting, then closes the context", async () => {
    const { hooks, log } = recordingHooks(() => controller);
    const controller = new RealtimeEngineController(new FakeHost(), hooks, {
      createEngine: async () => {
        throw new Error("no AudioWorklet");
      },
    });
    expect(await controller.start()).toBeNull();
    expect(log).toEqual(["failed start: no AudioWorklet (starting true)"]);
    expect(controller.starting).toBe(false);
    expect(controller.engine).toBeNull();
    expect(contexts[0]?.state).toBe("closed");
  });

  it("passes faults on, and restarts with hooks.restarted inside the starting window", async () => {
    const { controller, engines, log } = setUp();
    await controller.start();
    engines[0]?.trap("unreachable");
    await controller.restart();
    expect(engines[0]?.restarts).toBe(1);
    expect(log.slice(3)).toEqual(["fault unreachable", "restarted (starting true)"]);
    expect(controller.starting).toBe(false);

    controller.hostDisconnected();
    engines[0]?.trap("after close");
    expect(log.at(-1)).toBe("restarted (starting true)");
  });

  it("hands every animation frame the engine's snapshot and one reused meter reading", async () => {
    const { controller, engines, frameArgs } = setUp();
    await controller.start();
    runFrame(16);
    runFrame(32);
    expect(frameArgs.map((frame) => frame.now)).toEqual([16, 32]);
    expect(frameArgs[0]?.state).toBe(engines[0]?.snapshot);
    expect(frameArgs[1]?.meters).toBe(frameArgs[0]?.meters);
    expect(frameArgs[1]?.meters.quantum).toBe(2);

    controller.hostDisconnected();
    expect(frames.size).toBe(0);
    runFrame(48);
    expect(frameArgs).toHaveLength(2);
  });
});
