/**
 * Routing of the `database` argument of SQL tools.
 *
 * This first version has only the per-session scratch database, named `"local"`: an omitted,
 * empty or `"local"` (any case) `database` resolves to it. Any other name is an
 * `INVALID_ARGUMENT` until attachments and the persistent database exist.
 *
 * @module
 */

/** The outcome of {@link resolveDatabase}. */
export type ResolvedDatabase =
  | { readonly ok: true; readonly name: "local" }
  | { readonly ok: false; readonly message: string };

/** Resolves a tool's `database` argument. */
export function resolveDatabase(database: string | null | undefined): ResolvedDatabase {
  if (
    database === undefined ||
    database === null ||
    database.trim() === "" ||
    database.trim().toLowerCase() === "local"
  ) {
    return { ok: true, name: "local" };
  }
  return {
    ok: false,
    message: `database '${database}' is not attached. Only "local" (the session's scratch database) is available in this version.`,
  };
}
