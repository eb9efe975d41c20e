/**
 * The audio-thread half of an exported plugin, bundled into webdreamer-wam-processor.js (the same
 * file in every export). The plugin's processor.js calls registerWebdreamerWamProcessor with its
 * identifier, after WamNode.addModules has put the SDK's WamProcessor in that identifier's module
 * scope.
 *
 * The processor is a WamProcessor that plays the graph in an EngineSlot (the AudioWorklet host's own
 * engine instance and graph loader) through a RealtimeEngine (its transport and command
 * application). WAM events land on their frame: each quantum is split where an event falls, as the
 * SDK's WamProcessor splits it, the event is applied (a wam-automation as an engine parameter step,
 * a wam-midi message to every node of the graph that takes MIDI) and the piece up to the next event
 * is rendered. So the plugin renders what webdreamer renders for the same graph with the same MIDI
 * and steps on the same frames.
 *
 * An effect's program holds a stage-input port where its audio input node was (src/wam/stage-ports.ts):
 * the processor points the port at its input 0 each quantum, and the port copies each rendered piece
 * from there, at its own offset in the quantum.
 *
 * Audio path: process() replaces the SDK's (which builds slice objects and key lists every quantum)
 * with an index walk over the SDK's sorted event queue; nothing here allocates per quantum. Each
 * event is still answered as the SDK does (one port message per event, the protocol's "add/event"
 * response), never per quantum.
 */
import type {
  WamMidiData,
  WamParameterData,
  WamParameterInfo,
  WamParameterInfoMap,
} from "@webaudiomodules/api";
import type { PendingWamEvent, WamProcessor as SdkWamProcessor } from "@webaudiomodules/sdk";
import { stagePortOutputs } from "../../engine/graph-program";
import { RealtimeEngine } from "../../engine/realtime-engine";
import { externalFaustNode } from "../../faust/cloned-node";
import { EngineSlot } from "../../hosts/audioworklet/engine-slot";
import { createStageIo, StageInputPort } from "../../wam/stage-ports";
import type { ExposedParameter, WamProcessorSetup } from "../plugin-format";

// The AudioWorkletGlobalScope's names this module uses, declared here (module-scoped, resolved to
// the scope's globals at run time) so that it type-checks wherever it is imported: the Node tests
// drive it in a stand-in scope (test/wam-export/wam-processor.test.ts).
declare const sampleRate: number;
declare const currentTime: number;
declare function registerProcessor(name: string, processorClass: unknown): void;

/** The SDK's classes a plugin's module scope holds once WamNode.addModules ran. */
interface SdkModuleScope {
  WamProcessor: typeof SdkWamProcessor;
  WamParameterInfo: new (id: string, config: ExposedParameter["info"]) => WamParameterInfo;
  webdreamerRegistered?: boolean;
}

interface WamEnvironment {
  getModuleScope(moduleId: string): SdkModuleScope;
}

/** Where an exposed parameter goes in the engine. */
interface Binding {
  node: number;
  param: number;
  min: number;
  max: number;
}

const byTime = (a: PendingWamEvent, b: PendingWamEvent) => (a.event.time ?? 0) - (b.event.time ?? 0);

/**
 * Registers the plugin's processor under `moduleId` (once per AudioWorklet global scope). An
 * exported plugin's processor.js is `registerWebdreamerWamProcessor("com.example.pad")`, imported
 * from "./webdreamer-wam-processor.js".
 */
export function registerWebdreamerWamProcessor(moduleId: string): void {
  const env = (globalThis as unknown as { webAudioModules: WamEnvironment }).webAudioModules;
  const scope = env.getModuleScope(moduleId);
  if (scope.webdreamerRegistered) return;
  const { WamProcessor, WamParameterInfo } = scope;

  class WebdreamerWamProcessor extends WamProcessor {
    private readonly realtime: RealtimeEngine | null = null;
    private readonly setup: WamProcessorSetup;
    private readonly bindings = new Map<string, Binding>();
    /** The audio input as the graph's input port reads it (an effect; unread otherwise). */
    private readonly io = createStageIo();
    private faulted = false;
    /** The SDK's flag (not in its types): the event queue took events since it was last sorted. */
    declare _eventQueueRequiresSort: boolean;

    constructor(options: { processorOptions?: unknown }) {
      super(options as ConstructorParameters<typeof WamProcessor>[0]);
      this.setup = (options.processorOptions as { setup: WamProcessorSetup }).setup;
      for (const parameter of this.setup.parameters) {
        const { info } = parameter;
        const choices = info.choices?.length ?? 0;
        this.bindings.set(parameter.id, {
          node: parameter.node,
          param: parameter.param,
          min: info.type === "choice" ? 0 : (info.minValue ?? 0),
          max: info.type === "choice" ? choices - 1 : (info.maxValue ?? 1),
        });
      }
      try {
        const io = this.io;
        const slot = new EngineSlot(
          this.setup.engineModule,
          sampleRate,
          this.setup.blockSize,
          externalFaustNode,
          (port) => ({
            nodeId: `audio-input:${port.index}`,
            numOutputs: stagePortOutputs(port),
            params: [],
            create: () => new StageInputPort(io, port.index),
          }),
        );
        slot.start(this.setup.program, this.setup.buffers);
        const realtime = new RealtimeEngine(slot.engine, sampleRate);
        realtime.attach(slot.engine, slot.nodeCount);
        realtime.play(-1);
        this.realtime = realtime;
      } catch (error) {
        this.fault(error);
      }
    }

    override _generateWamParameterInfo(): WamParameterInfoMap {
      const infos: WamParameterInfoMap = {};
      for (const parameter of this.setup.parameters) {
        infos[parameter.id] = new WamParameterInfo(parameter.id, parameter.info);
      }
      return infos;
    }

    /**
     * A parameter takes its value now (on the frame the event fell on): an engine step, clamped to
     * the range as the engine clamps automation. The SDK would ramp it over 256 samples instead,
     * which no webdreamer render does.
     */
    override _setParameterValue(update: WamParameterData): void {
      const parameter = this._parameterState[update.id];
      const binding = this.bindings.get(update.id);
      if (parameter === undefined || binding === undefined) return;
      if (update.normalized) parameter.normalizedValue = update.value;
      else parameter.value = update.value;
      parameter.value = Math.min(binding.max, Math.max(binding.min, parameter.value));
      this.realtime?.setParameter(binding.node, binding.param, parameter.value, -1);
    }

    /** Parameters step (see _setParameterValue): the SDK's interpolators are not used. */
    override _interpolateParameterValues(): void {}

    /** Note on/off, CC, pitch bend...: to every node of the graph that takes MIDI, on this frame. */
    override _onMidi(midi: WamMidiData): void {
      const realtime = this.realtime;
      if (realtime === null) return;
      // Indexed reads and an index loop: array destructuring and for-of would make iterators.
      const { bytes } = midi;
      const nodes = this.setup.midiNodes;
      for (let i = 0; i < nodes.length; i++) {
        realtime.midi(nodes[i] as number, bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0, -1);
      }
    }

    /** The graph has no tempo-driven part a host transport could move. */
    override _onTransport(): void {}

    /**
     * Not declared in the descriptor, but a host may send them anyway: ignored without a word (the
     * SDK's defaults log an error for each, on the audio thread).
     */
    override _onSysex(): void {}
    override _onMpe(): void {}
    override _onOsc(): void {}

    override process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
      if (!this._initialized) return true;
      if (this._destroyed) return false;
      if (this._eventSabReady && this._eventReader) this.scheduleEvents(...this._eventReader.read());
      const frames = outputs[0]?.[0]?.length ?? this._samplesPerQuantum;
      // A new quantum for the input port: it reads this quantum's input from frame 0 on.
      this.io.inputs = inputs;
      this.io.quantum++;
      const queue = this._eventQueue;
      if (this._eventQueueRequiresSort) {
        queue.sort(byTime);
        this._eventQueueRequiresSort = false;
      }
      let start = 0;
      while (start < frames) {
        while (queue.length > 0 && this.frameOf(queue[0] as PendingWamEvent) <= start) {
          const pending = queue.shift() as PendingWamEvent;
          this.acknowledge(pending);
          this._processEvent(pending.event);
        }
        const next = queue.length > 0 ? this.frameOf(queue[0] as PendingWamEvent) : frames;
        const end = Math.min(next, frames);
        this._process(start, end, inputs, outputs);
        start = end;
      }
      return true;
    }

    override _process(
      start: number,
      end: number,
      _inputs: Float32Array[][],
      outputs: Float32Array[][],
    ): void {
      const output = outputs[0];
      if (output === undefined || output.length === 0) return;
      if (this.faulted || this.realtime === null) {
        for (let c = 0; c < output.length; c++) (output[c] as Float32Array).fill(0, start, end);
        return;
      }
      try {
        this.realtime.renderRange(output, start, end);
      } catch (error) {
        for (let c = 0; c < output.length; c++) (output[c] as Float32Array).fill(0, start, end);
        this.fault(error);
      }
    }

    /** The frame of this quantum an event falls on, as the SDK computes it (past or untimed: 0). */
    private frameOf(pending: PendingWamEvent): number {
      const offset = (pending.event.time ?? 0) - currentTime;
      return offset > 0 ? Math.round(offset * sampleRate) : 0;
    }

    /** The SDK's answer to a processed event: the port response, or the event ring, or the event. */
    private acknowledge(pending: PendingWamEvent): void {
      if (pending.id) this.port.postMessage({ id: pending.id, response: "add/event" });
      else if (this._eventSabReady && this._eventWriter) this._eventWriter.write(pending.event);
      else this.port.postMessage({ event: pending.event });
    }

    /** One message naming the failure; the plugin outputs silence from then on. */
    private fault(error: unknown): void {
      if (this.faulted) return;
      this.faulted = true;
      const message = error instanceof Error ? error.message : String(error);
      this.port.postMessage({ webdreamerFault: `${moduleId}: ${message}` });
    }
  }

  registerProcessor(moduleId, WebdreamerWamProcessor);
  scope.webdreamerRegistered = true;
}
