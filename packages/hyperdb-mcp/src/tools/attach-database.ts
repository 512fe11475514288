/**
 * The `attach_database` tool: makes a `.hyper` file available to the session's tools under an
 * alias (`database: "<alias>"`, or `"<alias>"."public"."t"` in SQL).
 *
 * - Read-only by default, and then attached read-only in hyperd as well, so even SQL that names
 *   the alias cannot write to it. `writable: true` allows writes; `on_missing: "create"` (with
 *   `writable`) creates a missing file. Under `--read-only` only read-only attachments are allowed.
 * - The file is attached once on the spot (to check it is a Hyper database and count its
 *   tables), then only for the calls that use it (see `Engine.attachments`).
 *
 * @module
 */

import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Catalog, type Connection } from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { attachForCall, detachAfterCall } from "../engine/attach-for-call.ts";
import { type Attachment, aliasProblem } from "../engine/attachments.ts";
import { pathShapeProblem } from "../ingest/input-path.ts";
import { isListedTable } from "./describe.ts";
import { lazy } from "./lazy-schema.ts";
import { errorResult } from "./map-error.ts";
import { registerTool } from "./register-tool.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** The `attach_database` arguments. */
export const attachDatabaseInputSchema = lazy(() =>
  z.object({
    alias: z
      .string()
      .describe(
        'Name to use for the database: a letter or underscore, then letters, digits or underscores (at most 63); stored lower-case. Not "local" or "persistent".',
      ),
    path: z.string().describe("Absolute path of the .hyper file."),
    kind: z.string().nullish().describe('Only "local_file" (the default) is supported.'),
    writable: z
      .boolean()
      .nullish()
      .describe("Allow tools and SQL to write to it (default false: attached read-only)."),
    on_missing: z
      .string()
      .nullish()
      .describe(
        '"error" (default) or "create": create an empty database when the file does not exist (needs writable: true).',
      ),
  }),
);

/** The attachment as tools report it. */
export const attachmentSchema = lazy(() =>
  z.object({
    alias: z.string(),
    kind: z.literal("local_file"),
    source: z.object({ kind: z.literal("local_file"), path: z.string() }),
    writable: z.boolean(),
    tables_visible: z.number().int().nullable(),
  }),
);

/** The `attach_database` result. */
export const attachDatabaseOutputSchema = attachmentSchema;

/** Registers `attach_database` on `server`. */
export function registerAttachDatabaseTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "attach_database",
    {
      title: "Attach a .hyper database file",
      description:
        'Attaches an existing .hyper file under an alias for this session. Then pass database: "<alias>" to query, describe, sample, export, chart, execute, load_* and kv_* tools, or name "<alias>"."public"."table" in SQL (for example to join with local tables). Read-only unless writable: true; on_missing: "create" creates a new empty database. Attachments last until detach_database or the end of the session.',
      inputSchema: attachDatabaseInputSchema,
      outputSchema: attachDatabaseOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    (args) => runAttachDatabase(context, args),
  );
}

/** Runs `attach_database`; exported for tests. */
export async function runAttachDatabase(
  context: ToolContext,
  args: z.infer<ReturnType<typeof attachDatabaseInputSchema>>,
): Promise<CallToolResult> {
  const writable = args.writable === true;
  const onMissing = args.on_missing ?? "error";
  if (context.config.readOnly && (writable || onMissing === "create")) {
    return toolError(
      "READ_ONLY_VIOLATION",
      "Operation 'attach_database(writable)' is not permitted in read-only mode",
      "The server runs with --read-only: attach without writable and on_missing, or restart the server without --read-only.",
    );
  }
  const problem = aliasProblem(args.alias);
  if (problem !== undefined) return toolError("INVALID_ARGUMENT", problem);
  const alias = args.alias.toLowerCase();
  const kind = args.kind ?? "local_file";
  if (kind !== "local_file") {
    return toolError(
      "INVALID_ARGUMENT",
      `unsupported attachment kind '${kind}': only "local_file" is supported`,
    );
  }
  if (onMissing !== "error" && onMissing !== "create") {
    return toolError("INVALID_ARGUMENT", `on_missing must be "error" or "create", not '${onMissing}'`);
  }
  if (onMissing === "create" && !writable) {
    return toolError(
      "INVALID_ARGUMENT",
      'on_missing: "create" needs writable: true (a new database that cannot be written would stay empty)',
    );
  }
  const existing = context.engine.attachments.get(alias);
  if (existing !== undefined) {
    return toolError(
      "INVALID_ARGUMENT",
      `alias '${alias}' is already attached (${existing.path})`,
      "Use another alias, or call detach_database first.",
    );
  }
  const pathProblem = pathShapeProblem(args.path, "Database");
  if (pathProblem !== undefined) {
    return toolError(
      "INVALID_ARGUMENT",
      pathProblem,
      "Pass an absolute path without '..' segments, e.g. /home/me/sales.hyper.",
    );
  }
  const located = await locate(args.path);
  if (located.kind === "directory") {
    return toolError("INVALID_ARGUMENT", `'${args.path}' is a directory, not a .hyper file`);
  }
  if (located.kind === "missing" && onMissing === "error") {
    return toolError(
      "FILE_NOT_FOUND",
      `Cannot resolve '${args.path}': no such file`,
      'Check the path, or pass on_missing: "create" with writable: true to create a new database there.',
    );
  }
  const path = located.path;
  const clash = clashingDatabase(context, path);
  if (clash !== undefined) return toolError("INVALID_ARGUMENT", clash);
  let tablesVisible: number;
  try {
    tablesVisible = await context.engine.use(async (connection) => {
      await attachForCall(connection, {
        alias,
        path,
        createMode: located.kind === "missing" ? "CreateIfNotExists" : "DoNotCreate",
        readOnly: !writable,
      });
      try {
        return await countUserTables(connection, alias);
      } finally {
        await detachAfterCall(connection, alias);
      }
    });
  } catch (error) {
    return errorResult(error);
  }
  // A call racing this one may have taken the alias meanwhile.
  if (context.engine.attachments.get(alias) !== undefined) {
    return toolError("INVALID_ARGUMENT", `alias '${alias}' is already attached`);
  }
  const attachment: Attachment = {
    alias,
    kind: "local_file",
    path,
    writable,
    attachedAt: new Date().toISOString(),
  };
  context.engine.attachments.add(attachment);
  context.log(`attached ${path} as ${alias} (${writable ? "writable" : "read-only"})`);
  return toolResult({ ...describeAttachment(attachment), tables_visible: tablesVisible });
}

/** The reported form of an attachment (without `tables_visible`). */
export function describeAttachment(
  attachment: Attachment,
): Omit<z.infer<ReturnType<typeof attachmentSchema>>, "tables_visible"> {
  return {
    alias: attachment.alias,
    kind: attachment.kind,
    source: { kind: attachment.kind, path: attachment.path },
    writable: attachment.writable,
  };
}

/** How many user tables (not the server's own ones) the database attached as `alias` has. */
export async function countUserTables(connection: Connection, alias: string): Promise<number> {
  const names = await new Catalog(connection).tableNames("public", alias);
  return names.filter((name) => isListedTable(name.table)).length;
}

type Located =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "missing"; readonly path: string }
  | { readonly kind: "directory" };

/** The canonical path of `path` (of its folder when the file does not exist yet). */
async function locate(path: string): Promise<Located> {
  try {
    const canonical = await realpath(path);
    return (await stat(canonical)).isDirectory() ? { kind: "directory" } : { kind: "file", path: canonical };
  } catch {
    const folder = await realpath(dirname(path)).catch(() => dirname(path));
    return { kind: "missing", path: join(folder, basename(path)) };
  }
}

/** Why `path` cannot be attached again (it is the persistent database or attached already). */
function clashingDatabase(context: ToolContext, path: string): string | undefined {
  if (context.engine.persistentPath !== null && path === context.engine.persistentPath) {
    return `'${path}' is the persistent database; use database: "persistent" instead of attaching it`;
  }
  const twin = context.engine.attachments.list().find((attachment) => attachment.path === path);
  if (twin !== undefined) {
    return `'${path}' is already attached as '${twin.alias}'`;
  }
  return undefined;
}
