/**
 * The v1alpha NodeDescriptor of a compiled Faust DSP (format "faust"), from libfaust's JSON and the
 * host layout (layout.ts), as docs/contracts.md maps it: sliders and nentries are "float" or "int"
 * parameters with `units` and `scale` from their metadata, menu and radio styles are "choice"
 * parameters, checkboxes and buttons "boolean" (a button is `momentary`); bargraphs are read-only
 * meters in `extensions.meters`, soundfiles buffer slots in `extensions.buffer_slots`.
 */
import { CONTRACT_VERSION } from "../contracts/common";
import type { NodeDescriptorInput, ParameterDescriptorInput } from "../contracts/node-descriptor";
import {
  controls,
  type FaustJson,
  type FaustLayout,
  metaValue,
  type ParameterShape,
  parameterShape,
  soundfileSlotNames,
} from "./layout";

/** The descriptor's identity fields, decided by the compiler. */
export interface FaustDescriptorIdentity {
  nodeId: string;
  voices: number;
  groupVoices: boolean;
  /** Poly options (compiler.ts); absent: the defaults, 0 s and true. */
  releaseLength?: number;
  dynamicVoices?: boolean;
}

/**
 * The NodeDescriptor of a compiled DSP (format "faust"). Channel counts, meters, soundfile slots and
 * the DSP's global metadata go in `extensions`.
 * @example
 * faustNodeDescriptor(json, null, layout, { nodeId: "faust:3f9a…", voices: 0, groupVoices: true }).parameters?.[0]?.id;
 */
export function faustNodeDescriptor(
  dsp: FaustJson,
  effect: FaustJson | null,
  layout: FaustLayout,
  identity: FaustDescriptorIdentity,
): NodeDescriptorInput {
  const global = (key: string) => dsp.meta.find((entry) => entry[key] !== undefined)?.[key];
  const shapes = new Map<string, ParameterShape>();
  const meterInfo: { id: string; name: string; range: [number, number]; units?: string }[] = [];
  for (const json of effect === null ? [dsp] : [dsp, effect]) {
    for (const item of controls(json.ui)) {
      if (item.type === "hbargraph" || item.type === "vbargraph") {
        const units = metaValue(item, "unit");
        meterInfo.push({
          id: item.address,
          name: item.label,
          range: [item.min ?? 0, item.max ?? 1],
          ...(units === undefined ? {} : { units }),
        });
      } else if (item.type !== "soundfile") shapes.set(item.address, parameterShape(item));
    }
  }
  const parameters: ParameterDescriptorInput[] = layout.params.map((binding) => {
    const address = binding.target >= 0 ? binding.id.slice(binding.id.indexOf("/", 1)) : binding.id;
    const shape = shapes.get(address) as ParameterShape;
    const name =
      binding.target >= 0 ? `${shape.descriptor.name} (voice ${binding.target + 1})` : shape.descriptor.name;
    return { ...shape.descriptor, id: binding.id, name };
  });
  const latency = Number(global("latency_samples") ?? global("latency") ?? 0);
  const description = global("description");
  return {
    version: CONTRACT_VERSION,
    node_id: identity.nodeId,
    name: dsp.name || "faust",
    vendor: global("author") ?? null,
    format: "faust",
    supported_sample_rates: [],
    latency_samples: Number.isInteger(latency) && latency > 0 ? latency : 0,
    parameters,
    resource_estimate: null,
    extensions: {
      input_channels: layout.numInputs,
      output_channels: layout.numOutputs,
      is_instrument: identity.voices > 0 || global("isInstrument") === "true",
      buffer_slots: layout.soundfiles.flatMap(soundfileSlotNames),
      ...(description === undefined ? {} : { description }),
      meters: meterInfo,
      faust: {
        voices: identity.voices,
        group_voices: identity.groupVoices,
        ...(identity.voices > 0
          ? { release_length: identity.releaseLength ?? 0, dynamic_voices: identity.dynamicVoices ?? true }
          : {}),
        effect: effect !== null,
        compile_options: dsp.compile_options,
      },
    },
  };
}
