import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import { escapeIdentifier } from "../catalog/escape.ts";

/**
 * What to do with a database file when connecting or attaching:
 * - `DoNotCreate`: it must exist;
 * - `Create`: create it; fails if it exists;
 * - `CreateIfNotExists`: create it unless it exists;
 * - `CreateAndReplace`: delete any existing file and create a new, empty one.
 */
export type CreateMode = "DoNotCreate" | "Create" | "CreateIfNotExists" | "CreateAndReplace";

const CREATE_MODES: readonly CreateMode[] = [
  "DoNotCreate",
  "Create",
  "CreateIfNotExists",
  "CreateAndReplace",
];

/** The SQL that prepares `path` for attaching under `mode`. */
export function createDatabaseStatements(path: string, mode: CreateMode): string[] {
  const file = escapeIdentifier(path);
  switch (mode) {
    case "DoNotCreate":
      return [];
    case "Create":
      return [`CREATE DATABASE ${file}`];
    case "CreateIfNotExists":
      return [`CREATE DATABASE IF NOT EXISTS ${file}`];
    case "CreateAndReplace":
      return [`DROP DATABASE IF EXISTS ${file}`, `CREATE DATABASE ${file}`];
    default:
      throw new InvalidArgumentError(
        `unknown create mode ${JSON.stringify(mode)}; use one of ${CREATE_MODES.join(", ")}`,
      );
  }
}
