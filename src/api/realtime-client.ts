/**
 * RealtimeEngineClient: what an EngineClient that plays in real time adds to the contract (the AudioWorklet
 * host implements it). Everything a UI reads once per animation frame is here and allocation-free, so
 * a component reaches the engine through this interface alone: it never imports the data plane or a
 * concrete client class.
 */
import type { EngineClient } from "./engine-client";
import type { LiveAudioInput } from "./live-input";
import type { LiveMidiRecorder } from "./midi-recording";
import type { DataPlaneTransport, MeterReading, TransportSnapshot } from "./realtime-readings";

/** A parameter's value read from the playing engine (RealtimeEngineClient.getParameter). */
export interface ParameterReading {
  /** The value the node had on the last frame the engine rendered (a choice: its index). */
  value: number;
  /** The transport frame the engine plays next: `value` is the parameter's value at `frame - 1`. */
  frame: number;
}

/** A client that reads a parameter's current value (the real-time, in-process and Worker hosts). */
export interface ParameterReader {
  getParameter(node: string, parameterId: string): Promise<ParameterReading>;
}

/** The whole EngineClient contract, what a UI reads per frame, and live MIDI recording (LiveMidiRecorder). */
export interface RealtimeEngineClient extends EngineClient, LiveMidiRecorder {
  readonly host: "audioworklet";
  /**
   * How state, meters and commands move: "shared_memory" (cross-origin isolated) or "message_port".
   * @example
   * badge.textContent = engine.dataPlane === "shared_memory" ? "shared memory" : "message-port fallback";
   */
  readonly dataPlane: DataPlaneTransport;
  /**
   * The AudioContext the engine plays in.
   * @example
   * if (engine.context.state !== "running") await engine.context.resume();
   */
  readonly context: AudioContext;
  /**
   * The engine node's live audio input (docs/realtime.md, "Live audio input"); absent where the
   * engine has none (the test double).
   * @example
   * engine.liveInput?.connectLiveInput(await navigator.mediaDevices.getUserMedia({ audio: true }));
   */
  readonly liveInput?: LiveAudioInput;
  /**
   * The latest transport snapshot, read from shared memory without a message (microseconds): for a
   * UI's animation frame. Returns the same object each time; copy what you keep.
   * @example
   * const { positionSeconds, tempoBpm, lateCommands } = engine.readTransport();
   */
  readTransport(): TransportSnapshot;
  /**
   * The value a node's parameter has now in the playing engine (DawDreamer's get_parameter): what its
   * automation lanes, timed commands and live sets made it, read on the audio thread once between two
   * quanta (one message each way; nothing per quantum). E_UNKNOWN_NODE at get_parameter.node, E_SCHEMA
   * at get_parameter.parameter_id naming the node's parameters.
   * @example
   * const { value, frame } = await engine.getParameter("filter", "frequency");
   */
  getParameter(node: string, parameterId: string): Promise<ParameterReading>;
  /**
   * Fills `into` with the latest level meters (peak and RMS per channel, newest quantum and a short
   * window). False when no consistent copy could be had; `into` then keeps the previous reading.
   * @example
   * const reading = engine.createMeterReading();
   * requestAnimationFrame(function draw() { engine.readMeters(reading); requestAnimationFrame(draw); });
   */
  readMeters(into: MeterReading): boolean;
  /**
   * A reusable reading for readMeters(), sized for the engine's output.
   * @example
   * const reading = engine.createMeterReading();
   */
  createMeterReading(): MeterReading;
  /**
   * Meters of the nodes the playing graph names in its `extensions.meters` (a mixer's strips), two
   * channels a node in that order, read like readMeters. Optional: hosts without it meter the output only.
   * @example
   * const reading = engine.createNodeMeterReading?.();
   */
  readNodeMeters?(into: MeterReading): boolean;
  /** A reusable reading for readNodeMeters(). @example const reading = engine.createNodeMeterReading?.(); */
  createNodeMeterReading?(): MeterReading;
  /**
   * Calls `listener` once per engine fault (a trap inside engine.wasm): the engine then outputs
   * silence until restart(). Returns a function that removes the listener.
   * @example
   * const off = engine.onFault((message) => { console.warn(message); void engine.restart(); });
   */
  onFault(listener: (message: string) => void): () => void;
  /**
   * Monitoring while the transport is stopped (off when the engine starts): on, a stopped transport
   * renders the graph with the timeline held, so live MIDI sounds and effect tails ring out while
   * the position, timeline MIDI, automation and clips stand still; off, it outputs silence. A DAW
   * view turns it on; a player of a fixed graph leaves it off, so stop means silence. Resolves once
   * the audio thread has taken it (`readTransport().monitoring` then says so). docs/realtime.md,
   * "Monitoring while stopped".
   * @example
   * await engine.setMonitoring(true);
   * await engine.sendMidi("keys", { type: "note_on", note: 60, velocity: 100 }); // heard while stopped
   */
  setMonitoring(on: boolean): Promise<void>;
  /**
   * Restarts the engine after a fault with the same graph and buffers; the transport keeps its position.
   * @example
   * await engine.restart();
   */
  restart(): Promise<void>;
}

/**
 * True when a client plays in real time (its host is the AudioWorklet).
 * @example
 * if (isRealtimeEngineClient(engine)) engine.readTransport();
 */
export function isRealtimeEngineClient(client: EngineClient): client is RealtimeEngineClient {
  return client.host === "audioworklet";
}
