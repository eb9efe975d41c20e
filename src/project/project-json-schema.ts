/**
 * The project format as a JSON Schema (draft 2020-12), for tools outside TypeScript that read or write
 * project files. Generated from ProjectSchema, the one source; the committed file
 * src/project/schemas/webdreamer-project.schema.json must match it (test/project/project-json-schema.test.ts).
 * The schema states the shape; the rules across fields (project-invariants.ts) are checked by
 * parseProject only.
 */
import * as z from "zod";
import { PROJECT_FORMAT, PROJECT_FORMAT_VERSION, ProjectSchema } from "./project-schema";

/** `$id` of the project format's schema. */
export const PROJECT_SCHEMA_ID = `https://webdreamer.dev/schemas/${PROJECT_FORMAT}/${PROJECT_FORMAT_VERSION}.json`;

/**
 * The JSON Schema of the input a project file may hold (fields with a default are optional).
 * @example
 * const schema = buildProjectJsonSchema();
 * schema.title; // "webdreamer-project 1"
 */
export function buildProjectJsonSchema(): Record<string, unknown> {
  const { $schema, description, ...body } = z.toJSONSchema(ProjectSchema, {
    target: "draft-2020-12",
    io: "input",
  }) as Record<string, unknown>;
  return {
    $schema,
    $id: PROJECT_SCHEMA_ID,
    title: `${PROJECT_FORMAT} ${PROJECT_FORMAT_VERSION}`,
    description,
    ...body,
  };
}
