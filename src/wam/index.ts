/**
 * WAM 2.0 plugins (Web Audio Modules): loading them safely, describing them as NodeDescriptors and
 * finding them under discovery roots. docs/wam.md.
 *
 * - load-wam.ts: loadWamModule(url, policy) -> the plugin class; THE loader everybody uses.
 * - origin-policy.ts / import-map.ts: the two halves of WamLoadPolicy.
 * - wam-host-group.ts: createWamHostGroup(context): initializeWamHost once per context.
 * - describe-wam.ts / wam-parameters.ts: the NodeDescriptor of a plugin, from a fresh instance.
 */
export {
  describeWam,
  SDK_DEFAULT_IDENTIFIER,
  WAM_PREFIX,
  type WamDescriptorFallback,
  wamChannels,
  wamIsInstrument,
  wamLatencySamples,
  wamNodeId,
} from "./describe-wam";
export { applyImportMap } from "./import-map";
export { loadWamModule, resolveModuleUrl, type WamConstructor, type WamLoadPolicy } from "./load-wam";
export { checkOrigin, DEFAULT_ALLOWED_ORIGINS } from "./origin-policy";
export { createWamHostGroup, type WamHostGroup } from "./wam-host-group";
export {
  type NormalizedParameters,
  normalizeWamParameter,
  normalizeWamParameters,
  type OmittedParameter,
  type WamParameterInfoLike,
} from "./wam-parameters";
