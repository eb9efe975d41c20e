/**
 * The descriptor.json of an exported graph: the WAM 2.0 WamDescriptor a host reads before it loads
 * the module. What the plugin does follows from the graph: it takes wam-midi when a node of the graph
 * plays MIDI, wam-automation when a parameter is exposed, audio when the export names an audio input
 * (an effect); it is an instrument when it takes MIDI and no audio; it sends nothing out but audio.
 *
 * WamDescriptor has no field for channel counts, so descriptor.json adds `audioInputChannels` and
 * `audioOutputChannels` (hosts ignore fields they do not know; describeWam reads the same counts
 * from the node's channelCount).
 */
import type { WamDescriptor } from "@webaudiomodules/api";

/**
 * The WAM API version the plugin implements: @webaudiomodules/sdk 0.0.12's `apiVersion` (its
 * package entry cannot be imported in Node.js, where the exporter runs: it extends AudioWorkletNode).
 */
export const WAM_API_VERSION = "2.0.0-alpha.6";

/** What the caller says about the plugin; the rest follows from the graph. */
export interface WamIdentity {
  /** Reverse-DNS id, unique per plugin: the processor is registered under it. */
  identifier: string;
  name: string;
  vendor: string;
  version: string;
  description?: string;
  keywords?: string[];
  website?: string;
  thumbnail?: string;
}

/** Facts of the graph the descriptor states. */
export interface GraphFacts {
  takesMidi: boolean;
  exposedParameters: number;
  /** Channels of the audio input (0: none, an instrument or a generator). */
  inputChannels: number;
  outputChannels: number;
}

/** The WamDescriptor as written to descriptor.json, with the channel counts. */
export type ExportedWamDescriptor = WamDescriptor & {
  audioInputChannels: number;
  audioOutputChannels: number;
};

/**
 * @example
 * wamDescriptor({ identifier: "com.example.pad", name: "Pad", vendor: "Example", version: "1.0.0" },
 *   { takesMidi: true, exposedParameters: 29, inputChannels: 0, outputChannels: 2 }).isInstrument; // true
 */
export function wamDescriptor(identity: WamIdentity, facts: GraphFacts): ExportedWamDescriptor {
  const effect = facts.inputChannels > 0;
  return {
    identifier: identity.identifier,
    name: identity.name,
    vendor: identity.vendor,
    version: identity.version,
    apiVersion: WAM_API_VERSION,
    description: identity.description ?? "",
    keywords: identity.keywords ?? ["webdreamer"],
    website: identity.website ?? "",
    thumbnail: identity.thumbnail ?? "",
    isInstrument: facts.takesMidi && !effect,
    hasAudioInput: effect,
    hasAudioOutput: true,
    hasAutomationInput: facts.exposedParameters > 0,
    hasAutomationOutput: false,
    hasMidiInput: facts.takesMidi,
    hasMidiOutput: false,
    hasMpeInput: false,
    hasMpeOutput: false,
    hasOscInput: false,
    hasOscOutput: false,
    hasSysexInput: false,
    hasSysexOutput: false,
    audioInputChannels: facts.inputChannels,
    audioOutputChannels: facts.outputChannels,
  };
}
