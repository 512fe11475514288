/**
 * Attaching a database file on a pooled connection for one tool call, and detaching it after.
 *
 * Sessions take turns on a file (the attach lock: concurrent create-and-attach of one file can
 * wedge hyperd) and retry while another session holds it for a moment; both are bounded by one
 * deadline. Detaching after the call is what lets hyperd write the file to disk.
 *
 * @module
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Connection, CreateMode } from "@hyperdb-ts/hyperdb-api";
import { withAttachLock } from "./attach-lock.ts";
import { attachWithRetry } from "./attach-with-retry.ts";

/** How long attaching one database for a call may take, waiting for the attach lock included. */
export const ATTACH_DEADLINE_MS = 8_000;

/** What to attach. */
export interface AttachRequest {
  readonly alias: string;
  readonly path: string;
  /** @default "DoNotCreate" */
  readonly createMode?: CreateMode;
  /** @default false */
  readonly readOnly?: boolean;
}

/** Attaches `request.path` as `request.alias` on `connection` (creating its folder when asked to create). */
export async function attachForCall(connection: Connection, request: AttachRequest): Promise<void> {
  const createMode = request.createMode ?? "DoNotCreate";
  if (createMode !== "DoNotCreate") {
    // hyperd creates the file but not its folder (a fresh machine has no data folder yet).
    await mkdir(dirname(request.path), { recursive: true });
  }
  await withAttachLock(request.path, Date.now() + ATTACH_DEADLINE_MS, () =>
    attachWithRetry(connection, request.path, {
      alias: request.alias,
      createMode,
      readOnly: request.readOnly === true,
    }),
  );
}

/**
 * Detaches `alias` after a call. A connection where that fails (a transaction left open, a
 * broken socket) is closed: its session ends in hyperd, which releases the file too.
 */
export async function detachAfterCall(connection: Connection, alias: string): Promise<void> {
  if (!connection.isOpen) return;
  try {
    await connection.detachDatabase(alias);
  } catch {
    await connection.close().catch(() => undefined);
  }
}
