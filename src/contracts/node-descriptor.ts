/**
 * NodeDescriptor: what a node type is and how to drive it. Used both by discovery (the plugin list) and
 * at instantiation (a graph node names its descriptor's `node_id`). Parameter fields beyond the seed's
 * four follow WAM 2.0's WamParameterInfo (snake_case), so a WAM maps onto it one to one and Faust's JSON
 * UI maps onto it as described in docs/contracts.md.
 */
import * as z from "zod";
import { NodeIdSchema, namedExtensions, notReservedKey, VersionSchema } from "./common";

export const NODE_FORMATS = ["builtin", "faust", "wam", "vst3", "au", "lv2"] as const;

export const NodeFormatSchema = z.enum(NODE_FORMATS);

export const ParameterDescriptorSchema = z
  .strictObject({
    name: z.string().min(1).describe('Human name, e.g. "Cutoff".'),
    id: notReservedKey(z.string().min(1), "it is reserved (graphs key params and automation by id)").describe(
      'Stable id used in graphs and automation: "frequency" (builtin), "/synth/freq" (Faust address).',
    ),
    default: z.number().describe("Default value, in the parameter's natural units; within range."),
    range: z
      .tuple([z.number(), z.number()])
      .describe("[min, max] in natural units; min < max. Values outside are clamped by the engine."),
    extensions: namedExtensions(
      {
        type: z
          .enum(["float", "int", "boolean", "choice"])
          .describe("WAM parameter type; float when absent. boolean and choice are discrete, step 1.")
          .optional(),
        units: z.string().describe('Display units, e.g. "Hz", "dB", "ms".').optional(),
        choices: z
          .array(z.string())
          .min(1)
          .describe("Labels of a choice parameter; value i selects choices[i]. A graph may use the label.")
          .optional(),
        discrete_step: z
          .number()
          .min(0)
          .describe("Step between allowed values (0 = continuous), as WAM discreteStep.")
          .optional(),
        exponent: z
          .number()
          .describe("WAM normalization exponent: n = ((x - min) / (max - min)) ** (1.5 ** -exponent).")
          .optional(),
        scale: z
          .enum(["linear", "log", "exp"])
          .describe("Faust UI scale hint for sliders (log or exp); linear when absent.")
          .optional(),
        automatable: z
          .boolean()
          .describe("False for settings fixed at creation; true when absent.")
          .optional(),
      },
      "Named WAM-style extensions (type, units, choices, discrete_step, exponent, scale, automatable).",
    ),
  })
  .superRefine((parameter, ctx) => {
    const [min, max] = parameter.range;
    if (!(min < max)) {
      ctx.addIssue({ code: "custom", path: ["range"], message: "min must be < max" });
      return;
    }
    if (parameter.default < min || parameter.default > max) {
      ctx.addIssue({ code: "custom", path: ["default"], message: `must be within range [${min}, ${max}]` });
    }
    const { type, choices } = parameter.extensions;
    if (type === "choice") {
      if (choices === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["extensions", "choices"],
          message: "is required for a choice",
        });
      } else if (min !== 0 || max !== choices.length - 1) {
        ctx.addIssue({
          code: "custom",
          path: ["range"],
          message: `must be [0, ${choices.length - 1}] for ${choices.length} choices`,
        });
      }
    }
  })
  .describe("One parameter of a node.");

export type ParameterDescriptor = z.output<typeof ParameterDescriptorSchema>;
export type ParameterDescriptorInput = z.input<typeof ParameterDescriptorSchema>;

export const ResourceEstimateSchema = z
  .strictObject({
    memory_mb: z
      .number()
      .min(0)
      .nullable()
      .describe(
        "Memory one more instance takes at the engine's rate and block size, in MiB (2^20 bytes); null when the host cannot know it (a WAM plugin's own heaps), with the reason in extensions.resource_notes.",
      ),
    cpu_units: z
      .number()
      .min(0)
      .describe(
        "Relative CPU cost per block; 1 = one builtin:gain on a stereo signal at the engine's block size (processors.md, Resource estimates).",
      ),
  })
  .describe("Estimated cost of one instance.");

export const NodeDescriptorSchema = z
  .strictObject({
    version: VersionSchema,
    node_id: NodeIdSchema.describe(
      'Stable id, any non-empty string; webdreamer\'s own are "<format>:<identifier>": "builtin:filter", "faust:<hash of the DSP>".',
    ),
    name: z.string().min(1).describe('Human name, e.g. "Filter".'),
    vendor: z.string().nullable().default(null).describe("Vendor or author, or null."),
    format: NodeFormatSchema.describe("Node format (the prefix of webdreamer's own node ids)."),
    supported_sample_rates: z
      .array(z.int().min(1))
      .describe("Sample rates (Hz) the node runs at; an empty list means any rate."),
    latency_samples: z
      .int()
      .min(0)
      .describe("Latency the node adds, in samples at the engine rate (for latency compensation)."),
    parameters: z
      .array(ParameterDescriptorSchema)
      .describe("The node's parameters; may be omitted to keep discovery results small.")
      .optional(),
    resource_estimate: ResourceEstimateSchema.nullable()
      .default(null)
      .describe("Estimated cost, or null if unknown."),
    extensions: namedExtensions(
      {
        input_channels: z.int().min(0).describe("Audio input channels the node consumes.").optional(),
        output_channels: z.int().min(0).describe("Audio output channels the node produces.").optional(),
        is_instrument: z.boolean().describe("True when the node plays MIDI (a synth or sampler).").optional(),
        buffer_slots: z
          .array(z.string().min(1))
          .describe('Names of the buffers the node reads, e.g. ["data"] for builtin:playback.')
          .optional(),
        description: z.string().describe("One-line description.").optional(),
        resource_notes: z
          .string()
          .describe(
            "How resource_estimate was measured, and what it could not know (a WAM's memory_mb null and why).",
          )
          .optional(),
        module_url: z
          .string()
          .min(1)
          .describe(
            "Where the node's code loads from: a WAM's module URL (absolute), a Faust .dsp file's URL or path.",
          )
          .optional(),
        omitted_parameters: z
          .array(
            z.strictObject({
              id: z.string().describe("The parameter's id as the plugin reports it."),
              reason: z
                .string()
                .describe('Why it is not in `parameters`, e.g. "its range [0, 0] is one value".'),
            }),
          )
          .describe(
            "Parameters the plugin reports that cannot be ParameterDescriptors (a range of one value, non-finite bounds, a duplicate id); docs/wam.md.",
          )
          .optional(),
        presets: z
          .array(
            z.strictObject({
              name: z.string().min(1).describe('Preset name, e.g. "Bass".'),
              params: z
                .record(z.string().min(1), z.number())
                .describe(
                  "The parameters the preset sets, by id, in natural units (a choice as its index); the others keep their defaults.",
                ),
            }),
          )
          .describe(
            "Named presets. A graph selects one by copying its params onto the node (presetParams in builtin-descriptors.ts).",
          )
          .optional(),
      },
      "Named extensions (input_channels, output_channels, is_instrument, buffer_slots, description, resource_notes, module_url, omitted_parameters, presets) and others.",
    ),
  })
  .superRefine((descriptor, ctx) => {
    const seen = new Map<string, number>();
    descriptor.parameters?.forEach((parameter, index) => {
      const first = seen.get(parameter.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["parameters", index, "id"],
          message: `duplicates parameters[${first}]`,
        });
      } else seen.set(parameter.id, index);
    });
    // A preset names each preset once and sets only parameters the node has, within their ranges.
    const names = new Set<string>();
    descriptor.extensions.presets?.forEach((preset, index) => {
      if (names.has(preset.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["extensions", "presets", index, "name"],
          message: "duplicates a preset",
        });
      }
      names.add(preset.name);
      for (const [id, value] of Object.entries(preset.params)) {
        const parameter = descriptor.parameters?.find((p) => p.id === id);
        const path = ["extensions", "presets", index, "params", id];
        if (!parameter) ctx.addIssue({ code: "custom", path, message: "is not a parameter of this node" });
        else if (value < parameter.range[0] || value > parameter.range[1]) {
          ctx.addIssue({
            code: "custom",
            path,
            message: `must be within range [${parameter.range.join(", ")}]`,
          });
        }
      }
    });
  })
  .describe("A node type the engine can instantiate: identity, format, latency and parameters.");

export type NodeDescriptor = z.output<typeof NodeDescriptorSchema>;
export type NodeDescriptorInput = z.input<typeof NodeDescriptorSchema>;
