/**
 * External nodes: DSP hosted outside engine.wasm (a Faust module, a WAM) but rendered inside the
 * engine's graph, on the same thread. The engine calls the "webdreamer" imports below once per
 * (sub-)block (wasm/src/processors/external.h); they dispatch to the ExternalProcessor registered
 * under the node's host id.
 *
 * Audio-path rule: process() must not allocate. The block hands out channel addresses in the
 * engine's memory; copy with index loops over the cached heap views (`heapF32`), not subarrays.
 */

/** One (sub-)block as the engine hands it to an external processor. */
export interface ExternalBlock {
  /** The engine's memory as floats; channel c's frame i is heapF32[(inputAddress(c) >> 2) + i]. */
  readonly heapF32: Float32Array;
  readonly numInputs: number;
  readonly numOutputs: number;
  readonly frames: number;
  /** Byte address of input channel c in the engine's memory. */
  inputAddress(channel: number): number;
  /** Byte address of output channel c in the engine's memory. */
  outputAddress(channel: number): number;
}

/** What a host object implements to run as a node in the engine's graph. */
export interface ExternalProcessor {
  /** Control: input channel count is known; take all memory now. */
  prepare(sampleRate: number, maxBlock: number, numInputs: number): void;
  /** Audio: clear all state. */
  reset(): void;
  /** Audio: parameter `index` (in the table given to addExternalNode) changed; value is clamped. */
  setParam(index: number, value: number): void;
  /** Audio: a MIDI message at the first frame of the next process() call. */
  midi(status: number, data1: number, data2: number): void;
  /** Audio: render block.frames frames. */
  process(block: ExternalBlock): void;
}

/**
 * The dispatch table behind the "webdreamer" imports of one engine.wasm instance. Its views of the
 * engine memory are rebuilt only when the memory grows, so dispatching allocates nothing.
 */
export class ExternalHost implements ExternalBlock {
  heapF32 = new Float32Array(0);
  numInputs = 0;
  numOutputs = 0;
  frames = 0;
  private heapU32 = new Uint32Array(0);
  private inputs = 0;
  private outputs = 0;
  private memory: WebAssembly.Memory | null = null;
  private readonly processors: (ExternalProcessor | undefined)[] = [];

  /** Connects the table to the engine's memory (once, after instantiation). */
  attach(memory: WebAssembly.Memory): void {
    this.memory = memory;
    this.refreshViews();
  }

  /** Control: registers a processor; returns its host id for wd_node_add_external. */
  register(processor: ExternalProcessor): number {
    const free = this.processors.indexOf(undefined);
    const id = free >= 0 ? free : this.processors.length;
    this.processors[id] = processor;
    return id;
  }

  /** Control: forgets a processor (its node must be gone from the graph). */
  unregister(id: number): void {
    this.processors[id] = undefined;
  }

  inputAddress(channel: number): number {
    return this.heapU32[(this.inputs >> 2) + channel] as number;
  }

  outputAddress(channel: number): number {
    return this.heapU32[(this.outputs >> 2) + channel] as number;
  }

  /** The functions engine.wasm imports from the "webdreamer" module. */
  imports(): Record<string, (...args: number[]) => void> {
    return {
      external_prepare: (id, sampleRate, maxBlock, numInputs) => {
        this.refreshViews();
        this.processor(id).prepare(sampleRate as number, maxBlock as number, numInputs as number);
      },
      external_reset: (id) => this.processor(id).reset(),
      external_param: (id, index, value) => this.processor(id).setParam(index as number, value as number),
      external_midi: (id, status, data1, data2) =>
        this.processor(id).midi(status as number, data1 as number, data2 as number),
      external_process: (id, inputs, numInputs, outputs, numOutputs, frames) => {
        if (this.memory && this.heapF32.buffer !== this.memory.buffer) this.refreshViews();
        this.inputs = inputs as number;
        this.numInputs = numInputs as number;
        this.outputs = outputs as number;
        this.numOutputs = numOutputs as number;
        this.frames = frames as number;
        this.processor(id).process(this);
      },
    };
  }

  private processor(id: number | undefined): ExternalProcessor {
    const processor = this.processors[id as number];
    // Reaching here means a graph kept a node whose host object was unregistered: a bug in the
    // host, reported loudly (the worklet host turns a throw into one error event).
    if (!processor) throw new Error(`no external processor registered as host id ${id}`);
    return processor;
  }

  private refreshViews(): void {
    if (!this.memory) return;
    this.heapF32 = new Float32Array(this.memory.buffer);
    this.heapU32 = new Uint32Array(this.memory.buffer);
  }
}
