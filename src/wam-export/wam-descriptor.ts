/**
 * The descriptor.json of an exported graph: the WAM 2.0 WamDescriptor a host reads before it loads
 * the module. What the plugin does follows from the graph: it takes wam-midi when a node of the graph
 * plays MIDI (and is then an instrument), wam-automation when a parameter is exposed; it has no audio
 * input, because a webdreamer graph has no node that takes audio from outside the engine (an effect
 * export waits for one); it sends nothing out but audio.
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
}

/**
 * @example
 * wamDescriptor({ identifier: "com.example.pad", name: "Pad", vendor: "Example", version: "1.0.0" },
 *   { takesMidi: true, exposedParameters: 29 }).isInstrument; // true
 */
export function wamDescriptor(identity: WamIdentity, facts: GraphFacts): WamDescriptor {
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
    isInstrument: facts.takesMidi,
    hasAudioInput: false,
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
  };
}
