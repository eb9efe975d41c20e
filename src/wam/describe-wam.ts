/**
 * describeWam: a WAM plugin class -> its v1alpha NodeDescriptor, from a fresh instance (created,
 * asked, destroyed). Rules (docs/wam.md, "Discovery"):
 *
 * - node_id "wam:<identifier>": the instance's descriptor identifier; when the plugin reports none
 *   (or the SDK's placeholder "com.webaudiomodule.default", which it reports when it never loads its
 *   descriptor.json), the identifier its descriptor.json or index entry gave (`fallback`), else the
 *   module URL ("wam:https://.../index.js"), so the id stays stable and unique.
 * - name, vendor, description from the descriptor (fallbacks likewise); format "wam".
 * - parameters from getParameterInfo (wam-parameters.ts).
 * - latency_samples: getCompensationDelay() read as samples at the context's rate (the WamNode type
 *   and the api README say samples; the SDK's processor JSDoc says seconds; every corpus plugin
 *   answers 0), rounded, never below 0.
 * - extensions.is_instrument: descriptor isInstrument, or MIDI in and no audio in.
 * - extensions.input_channels: 0 without an audio input (numberOfInputs 0 or hasAudioInput false),
 *   else the node's channelCount; output_channels: 0 without an output (numberOfOutputs 0 or
 *   hasAudioOutput false), else channelCount too: Web Audio exposes no output channel count of an
 *   AudioWorkletNode, and a plugin node mixes its output to channelCount as the SDK sets it.
 */
import type { WamDescriptor, WamNode, WebAudioModule } from "@webaudiomodules/api";
import { CONTRACT_VERSION } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import { type NodeDescriptor, NodeDescriptorSchema } from "../contracts/node-descriptor";
import { parseContract } from "../contracts/validate";
import type { WamConstructor } from "./load-wam";
import { normalizeWamParameters, type WamParameterInfoLike } from "./wam-parameters";

/** The node_id prefix of WAM plugins. */
export const WAM_PREFIX = "wam:";

/** The identifier the SDK reports for a plugin that never loaded its descriptor.json. */
export const SDK_DEFAULT_IDENTIFIER = "com.webaudiomodule.default";

/** What descriptor.json (or an index entry) says, used where the instance says nothing. */
export interface WamDescriptorFallback {
  identifier?: string;
  name?: string;
  vendor?: string;
  description?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * The node id of a plugin: "wam:" + its identifier (see the module comment for the fallbacks).
 * @example
 * wamNodeId({ identifier: "com.wimmics.pingpongdelay" }, {}, url); // "wam:com.wimmics.pingpongdelay"
 */
export function wamNodeId(
  descriptor: Partial<WamDescriptor>,
  fallback: WamDescriptorFallback,
  moduleUrl: string,
): string {
  const own = text(descriptor.identifier);
  const identifier =
    (own !== SDK_DEFAULT_IDENTIFIER ? own : undefined) ?? text(fallback.identifier) ?? moduleUrl;
  return `${WAM_PREFIX}${identifier}`;
}

/** Audio channel counts of a plugin's node (the rule in the module comment). */
export function wamChannels(
  node: Pick<AudioNode, "numberOfInputs" | "numberOfOutputs" | "channelCount">,
  descriptor: Partial<WamDescriptor>,
): { input_channels: number; output_channels: number } {
  const hasInput = node.numberOfInputs > 0 && descriptor.hasAudioInput !== false;
  const hasOutput = node.numberOfOutputs > 0 && descriptor.hasAudioOutput !== false;
  return {
    input_channels: hasInput ? node.channelCount : 0,
    output_channels: hasOutput ? node.channelCount : 0,
  };
}

/** True for a plugin that plays MIDI (the rule in the module comment). */
export function wamIsInstrument(descriptor: Partial<WamDescriptor>): boolean {
  return (
    descriptor.isInstrument === true ||
    (descriptor.hasMidiInput === true && descriptor.hasAudioInput === false)
  );
}

/** A latency answer as whole samples (the rule in the module comment). */
export function wamLatencySamples(delay: unknown): number {
  return typeof delay === "number" && Number.isFinite(delay) ? Math.max(0, Math.round(delay)) : 0;
}

/**
 * The NodeDescriptor of `Plugin`, from an instance created in `context` (in host group `groupId`) and
 * destroyed before returning. Throws E_PLUGIN_LOAD naming `moduleUrl` when the plugin cannot be
 * created or answered nonsense the contract refuses.
 * @example
 * const Plugin = await loadWamModule(url, policy);
 * const [groupId] = await createWamHostGroup(context);
 * const descriptor = await describeWam(Plugin, context, groupId, url);
 */
export async function describeWam(
  Plugin: WamConstructor,
  context: BaseAudioContext,
  groupId: string,
  moduleUrl: string,
  fallback: WamDescriptorFallback = {},
  path = "url",
): Promise<NodeDescriptor> {
  let plugin: WebAudioModule | undefined;
  try {
    plugin = await Plugin.createInstance(groupId, context);
    const descriptor: Partial<WamDescriptor> = plugin.descriptor ?? {};
    const node: WamNode = plugin.audioNode;
    const infos = (await node.getParameterInfo()) as Record<string, WamParameterInfoLike>;
    const delay = await node.getCompensationDelay();
    const { parameters, omitted } = normalizeWamParameters(infos);
    const description = text(descriptor.description) ?? text(fallback.description);
    return parseContract(
      NodeDescriptorSchema,
      {
        version: CONTRACT_VERSION,
        node_id: wamNodeId(descriptor, fallback, moduleUrl),
        name: text(descriptor.name) ?? text(fallback.name) ?? moduleUrl,
        vendor: text(descriptor.vendor) ?? text(fallback.vendor) ?? null,
        format: "wam",
        supported_sample_rates: [],
        latency_samples: wamLatencySamples(delay),
        parameters,
        extensions: {
          ...wamChannels(node, descriptor),
          is_instrument: wamIsInstrument(descriptor),
          ...(description === undefined ? {} : { description }),
          module_url: moduleUrl,
          ...(omitted.length === 0 ? {} : { omitted_parameters: omitted }),
        },
      },
      path,
    );
  } catch (error) {
    if (error instanceof EngineError) {
      // The schema's code and path go into the detail as words: one code per message.
      const field = error.path === "" ? "" : `${error.path}: `;
      throw new EngineError(
        "E_PLUGIN_LOAD",
        `${moduleUrl}: its descriptor is not valid: ${field}${error.detail}`,
        path,
      );
    }
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new EngineError(
      "E_PLUGIN_LOAD",
      `${moduleUrl}: creating or asking an instance failed: ${reason}`,
      path,
    );
  } finally {
    destroy(plugin);
  }
}

/** Frees an instance: its node's processor stops, its group entry goes. A throwing destroy is ignored. */
function destroy(plugin: WebAudioModule | undefined): void {
  try {
    plugin?.audioNode?.disconnect();
    plugin?.audioNode?.destroy();
  } catch {
    // A plugin that fails to clean up must not fail discovery; the instance is unreferenced now.
  }
}
