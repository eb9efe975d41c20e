/**
 * The committed JSON Schema of the project format matches ProjectSchema, and a JSON Schema validator
 * (ajv) accepts a project file and rejects a broken one as parseProject does. To regenerate:
 *
 *   UPDATE_SCHEMAS=1 npx vitest run test/project/project-json-schema.test.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { buildProjectJsonSchema } from "../../src/project/project-json-schema";
import { makeProject } from "./project-fixtures";

const SCHEMA_DIR = new URL("../../src/project/schemas/", import.meta.url);
const FILE = new URL("webdreamer-project.schema.json", SCHEMA_DIR);

describe("the project format's JSON Schema", () => {
  const schema = buildProjectJsonSchema();

  it("is committed as generated", () => {
    const expected = `${JSON.stringify(schema, null, 2)}\n`;
    if (process.env.UPDATE_SCHEMAS === "1") {
      mkdirSync(SCHEMA_DIR, { recursive: true });
      writeFileSync(FILE, expected);
    }
    const actual = existsSync(FILE) ? readFileSync(FILE, "utf8") : "(missing)";
    expect(actual, "run `UPDATE_SCHEMAS=1 npx vitest run test/project/project-json-schema.test.ts`").toBe(
      expected,
    );
  });

  it("accepts a project file and rejects what the schema refuses", () => {
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const project = makeProject({
      tempo: {
        map: [
          { beat: 0, bpm: 120 },
          { beat: 8, bpm: 90 },
        ],
      },
      audio: [{ content_id: "a", sample_rate: 48000, frames: 100, channels: 1 }],
      tracks: [
        { kind: "audio", id: "t", clips: [{ id: "c", start_beat: 0, length_beats: 1, content_id: "a" }] },
        { kind: "instrument", id: "k", instrument: { id: "s", node_id: "builtin:synth" } },
      ],
    });
    expect(validate(JSON.parse(JSON.stringify(project))), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ format: "webdreamer-project", format_version: 1 })).toBe(true);
    expect(validate({ format: "webdreamer-project", format_version: 2 })).toBe(false);
    expect(
      validate({ format: "webdreamer-project", format_version: 1, tracks: [{ kind: "audio", id: "a.b" }] }),
    ).toBe(false);
  });
});
