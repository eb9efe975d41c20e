/**
 * Web MIDI input: every input port's note on and off, CC, pitch bend and all-notes-off, read with
 * the engine's own byte reader (liveMidiMessageOf), handed to one callback. Ports plugged in later
 * are listened to as well. Browsers without Web MIDI, or a refused permission, give no input and say
 * why (`unavailable`); nothing else changes.
 */
import { type LiveMidiMessage, liveMidiMessageOf } from "../contracts/live-midi";

interface MidiPortLike {
  type: string;
  name?: string | null;
  onmidimessage: ((event: { data: Uint8Array | null }) => void) | null;
}

interface MidiAccessLike {
  inputs: { forEach(callback: (port: MidiPortLike) => void): void };
  onstatechange: ((event: { port: MidiPortLike | null }) => void) | null;
}

export interface MidiInputConnection {
  /** The names of the input ports listened to. */
  readonly inputs: string[];
  close(): void;
}

/**
 * Listens to every Web MIDI input; resolves with what is connected, or rejects saying why not.
 * @example
 * const connection = await connectMidiInputs((message) => console.log(message.type));
 */
export async function connectMidiInputs(
  onMessage: (message: LiveMidiMessage) => void,
): Promise<MidiInputConnection> {
  const request = (navigator as Navigator & { requestMIDIAccess?: () => Promise<unknown> }).requestMIDIAccess;
  if (typeof request !== "function")
    throw new Error("This browser has no Web MIDI (navigator.requestMIDIAccess)");
  const access = (await request.call(navigator)) as MidiAccessLike;
  const ports = new Set<MidiPortLike>();
  const inputs: string[] = [];
  const listen = (port: MidiPortLike) => {
    if (port.type !== "input" || ports.has(port)) return;
    ports.add(port);
    inputs.push(port.name || "MIDI input");
    port.onmidimessage = (event) => {
      const data = event.data;
      if (!data || data.length < 2) return;
      const message = liveMidiMessageOf(data[0] ?? 0, data[1] ?? 0, data[2] ?? 0);
      if (message) onMessage(message);
    };
  };
  access.inputs.forEach(listen);
  access.onstatechange = (event) => {
    if (event.port) listen(event.port);
  };
  return {
    inputs,
    close() {
      access.onstatechange = null;
      for (const port of ports) port.onmidimessage = null;
      ports.clear();
    },
  };
}
