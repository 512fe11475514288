/**
 * The optional per-call time limit of the `query` tool, read from `HYPERDB_QUERY_TIMEOUT_MS`.
 *
 * Off by default: an analytical query may legitimately run for minutes, and an MCP client can
 * always cancel a call. A deployment that wants a hard bound (a shared hyperd, a client that
 * never cancels) sets a positive number of milliseconds; the query is then cancelled on the
 * server when the limit passes and the call returns an error saying so.
 *
 * @module
 */

/** The environment variable holding the limit in milliseconds. */
export const QUERY_TIMEOUT_ENV = "HYPERDB_QUERY_TIMEOUT_MS";

/** The limit as read: `timeoutMs` is undefined when off; `warning` explains an ignored value. */
export interface QueryTimeoutSetting {
  readonly timeoutMs: number | undefined;
  readonly warning?: string;
}

/** Reads the limit: unset, empty or `0` is off; a positive integer is the limit in ms. */
export function readQueryTimeout(env: NodeJS.ProcessEnv = process.env): QueryTimeoutSetting {
  const raw = env[QUERY_TIMEOUT_ENV]?.trim() ?? "";
  if (raw === "" || raw === "0") {
    return { timeoutMs: undefined };
  }
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    return {
      timeoutMs: undefined,
      warning: `ignoring ${QUERY_TIMEOUT_ENV}='${raw}': expected a whole number of milliseconds (0 = no limit)`,
    };
  }
  return { timeoutMs: value };
}
