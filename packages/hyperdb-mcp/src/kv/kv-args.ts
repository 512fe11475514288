/**
 * Argument schemas the KV tools share: the store, a key, and the `database`/`persist` routing.
 *
 * @module
 */
import * as z from "zod";
import { lazy } from "../tools/lazy-schema.ts";

/** The `store` argument. */
export const storeArg = lazy(() =>
  z
    .string()
    .describe(
      "Name of the store (a namespace of keys), 1-512 bytes of A-Z a-z 0-9 _ . -. A store appears with its first key; there is nothing to create.",
    ),
);

/** The `key` argument. */
export const keyArg = lazy(() => z.string().describe("The key, 1-512 bytes of A-Z a-z 0-9 _ . -."));

/** The `database` and `persist` arguments. */
export const routingArgs = lazy(() => ({
  database: z
    .string()
    .nullish()
    .describe(
      'Database of the store: "local" (default; lost when the session ends), "persistent" (survives restarts) or the alias of a database attached with writable:true. Each database has its own stores.',
    ),
  persist: z
    .boolean()
    .nullish()
    .describe('Shorthand for database: "persistent"; database wins when both are given.'),
}));
