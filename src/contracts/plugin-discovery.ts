/**
 * PluginDiscoveryResult: the normalized outcome of one scan for node types (builtins, compiled Faust
 * DSP, WAM modules). Clients cache it with a TTL (discovery-cache.ts); a cached result is returned
 * unchanged, so the same `discovery_id` means "no new scan".
 */
import * as z from "zod";
import { namedExtensions, VersionSchema } from "./common";
import { NodeDescriptorSchema } from "./node-descriptor";

export const PluginDiscoveryResultSchema = z
  .strictObject({
    version: VersionSchema,
    discovery_id: z.string().min(1).describe("Identifies this scan; a new scan gets a new id."),
    nodes: z.array(NodeDescriptorSchema).describe("Every node type found, each once (node_id is unique)."),
    scanned_paths: z
      .array(z.string())
      .describe('Where the scan looked: "builtin", module URLs, Faust library paths.'),
    elapsed_ms: z.number().min(0).describe("How long the scan took, in milliseconds."),
    extensions: namedExtensions(
      {
        scanned_at_iso8601: z.iso
          .datetime({ offset: true })
          .describe("When the scan finished (ISO 8601 with time zone); a cache hit keeps the original time.")
          .optional(),
        failures: z
          .array(
            z.strictObject({
              path: z.string().describe("What failed to load."),
              error: z.string().describe("Why, as an EngineError message."),
            }),
          )
          .describe(
            "Candidates that were found but could not be described (a broken WAM, a Faust compile error).",
          )
          .optional(),
      },
      "Named extensions (scanned_at_iso8601, failures) and any other extension data.",
    ),
  })
  .superRefine((result, ctx) => {
    const seen = new Map<string, number>();
    result.nodes.forEach((node, index) => {
      const first = seen.get(node.node_id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["nodes", index, "node_id"],
          message: `duplicates nodes[${first}]`,
        });
      } else seen.set(node.node_id, index);
    });
  })
  .describe("The node types one scan found, where it looked and how long it took.");

export type PluginDiscoveryResult = z.output<typeof PluginDiscoveryResultSchema>;
export type PluginDiscoveryResultInput = z.input<typeof PluginDiscoveryResultSchema>;
