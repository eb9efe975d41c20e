/**
 * Reading a project document of any format version this webdreamer knows: the version is read
 * first; a newer one is refused before anything else (never half-read); an older one goes through the
 * migrations in order, each taking version n to n + 1 as plain JSON, and the result is parsed against
 * the current schema and rules (parseProject). Format 1 is the first version, so the table is empty
 * today; every load still goes through this path, so the first format change adds one entry and a
 * test, nothing else.
 */
import { EngineError } from "../contracts/errors";
import { parseProject } from "./project-invariants";
import { PROJECT_FORMAT, PROJECT_FORMAT_VERSION, type Project } from "./project-schema";

/** One step of the format: a document of version `from` rewritten as version `from + 1`. */
export interface ProjectMigration {
  from: number;
  /** What changed, for the error that names a step that failed. */
  describe: string;
  /** Takes the parsed JSON of a `from` document (never changed in place) to a `from + 1` one. */
  migrate(document: Record<string, unknown>): Record<string, unknown>;
}

/** The migrations of the format, oldest first. Empty while format 1 is the only version. */
export const PROJECT_MIGRATIONS: readonly ProjectMigration[] = [];

export interface MigrationOptions {
  /** The migrations to run (default PROJECT_MIGRATIONS). */
  migrations?: readonly ProjectMigration[];
  /** The version they lead to (default PROJECT_FORMAT_VERSION). */
  current?: number;
}

/**
 * The JSON of `value` at version `current`: unchanged when it is already, else migrated step by step.
 * Throws E_SCHEMA naming the field: not a project document, a version that is not a whole number, a
 * newer version, an older one with no migration, or a migration that failed.
 * @example
 * const json = migrateProjectDocument(JSON.parse(text)); // format_version 1: the same object
 */
export function migrateProjectDocument(value: unknown, options: MigrationOptions = {}): unknown {
  const migrations = options.migrations ?? PROJECT_MIGRATIONS;
  const current = options.current ?? PROJECT_FORMAT_VERSION;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EngineError("E_SCHEMA", "must be a project: a JSON object", "project");
  }
  const document = value as Record<string, unknown>;
  if (document.format !== PROJECT_FORMAT) {
    throw new EngineError(
      "E_SCHEMA",
      `must be "${PROJECT_FORMAT}": this is not a webdreamer project`,
      "project.format",
    );
  }
  const version = document.format_version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 0) {
    throw new EngineError("E_SCHEMA", "must be a whole number", "project.format_version");
  }
  if (version > current) {
    throw new EngineError(
      "E_SCHEMA",
      `is ${version}, newer than this webdreamer reads (${current}): open it with a later version`,
      "project.format_version",
    );
  }
  let migrated = document;
  for (let at = version; at < current; at++) {
    const step = migrations.find((migration) => migration.from === at);
    if (step === undefined) {
      throw new EngineError(
        "E_SCHEMA",
        `is ${version}, and no migration leads from format ${at} to ${at + 1}`,
        "project.format_version",
      );
    }
    try {
      migrated = { ...step.migrate(structuredClone(migrated)), format_version: at + 1 };
    } catch (cause) {
      const detail = cause instanceof EngineError ? cause.message : String(cause);
      throw new EngineError(
        "E_SCHEMA",
        `could not migrate from format ${at} to ${at + 1} (${step.describe}): ${detail}`,
        "project.format_version",
      );
    }
  }
  return migrated;
}

/**
 * A project from the JSON of a saved document of any known version: migrated, then parsed and
 * checked (parseProject). Throws E_SCHEMA with the path of the first thing wrong.
 * @example
 * const project = readProjectDocument(JSON.parse(await file.text()));
 */
export function readProjectDocument(value: unknown, options: MigrationOptions = {}): Project {
  return parseProject(migrateProjectDocument(value, options));
}
