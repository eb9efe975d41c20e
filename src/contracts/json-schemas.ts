/**
 * The contract registry and the JSON Schema (draft 2020-12) build. The zod schemas are the one source of
 * truth: TypeScript types come from z.infer, and the committed files in src/contracts/schemas/ come from
 * here (test/contracts/schema-drift.test.ts fails when they differ).
 */
import * as z from "zod";
import { CONTRACT_VERSION } from "./common";
import { EngineCommandSchema } from "./engine-command";
import { GraphDescriptorSchema } from "./graph-descriptor";
import { NodeDescriptorSchema } from "./node-descriptor";
import { PluginDiscoveryResultSchema } from "./plugin-discovery";
import { RenderRequestSchema, RenderResultSchema } from "./render";
import { TransportStateSchema } from "./transport-state";

/** Every contract by its file name (kebab-case) with its title (the TypeScript type name). */
export const CONTRACTS = {
  "transport-state": { title: "TransportState", schema: TransportStateSchema },
  "node-descriptor": { title: "NodeDescriptor", schema: NodeDescriptorSchema },
  "graph-descriptor": { title: "GraphDescriptor", schema: GraphDescriptorSchema },
  "render-request": { title: "RenderRequest", schema: RenderRequestSchema },
  "render-result": { title: "RenderResult", schema: RenderResultSchema },
  "plugin-discovery-result": { title: "PluginDiscoveryResult", schema: PluginDiscoveryResultSchema },
  "engine-command": { title: "EngineCommand", schema: EngineCommandSchema },
} as const satisfies Record<string, { title: string; schema: z.ZodType }>;

export type ContractName = keyof typeof CONTRACTS;

export const CONTRACT_NAMES = Object.keys(CONTRACTS) as ContractName[];

export const SCHEMA_BASE_URL = `https://webdreamer.dev/schemas/${CONTRACT_VERSION}/`;

/**
 * `$id` of a contract's schema.
 * @example
 * schemaId("render-request"); // "https://webdreamer.dev/schemas/v1alpha/render-request.json"
 */
export function schemaId(name: ContractName): string {
  return `${SCHEMA_BASE_URL}${name}.json`;
}

/**
 * One JSON Schema per contract, keyed by contract name. A contract nested in another (the graph inside a
 * RenderRequest, descriptors inside a PluginDiscoveryResult) is a `$ref` to its own file's `$id`, so a
 * validator loads all the files together. Schemas describe the wire input: fields with a default are
 * optional and carry a `default`.
 * @example
 * const schemas = buildJsonSchemas();
 * schemas["render-result"].title; // "RenderResult"
 */
export function buildJsonSchemas(): Record<ContractName, Record<string, unknown>> {
  const registry = z.registry<{ id: string }>();
  for (const name of CONTRACT_NAMES) registry.add(CONTRACTS[name].schema, { id: name });
  const { schemas: generated } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "input",
    uri: (id) => schemaId(id as ContractName),
  });
  const schemas = {} as Record<ContractName, Record<string, unknown>>;
  for (const name of CONTRACT_NAMES) {
    const { $schema, $id, description, ...body } = generated[name] as Record<string, unknown>;
    // Header keys first so the committed files read well.
    schemas[name] = { $schema, $id, title: CONTRACTS[name].title, description, ...body };
  }
  return schemas;
}
