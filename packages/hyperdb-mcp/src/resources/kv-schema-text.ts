/**
 * The body of `hyper://schema/kv`: how the key-value scratchpad is stored, so a client can join
 * KV entries with its tables in plain SQL.
 *
 * @module
 */

/** The text/plain description of the KV backing table. */
export const KV_SCHEMA_TEXT = `KV scratchpad — backing table
==============================

Every database (local, persistent, each writable attachment) keeps its KV entries in one table:

  CREATE TABLE IF NOT EXISTS _hyperdb_kv_store(store_name TEXT NOT NULL, key TEXT NOT NULL, value TEXT);

- There is no primary key (Hyper has no unique indexes): the kv_* tools keep one row per
  (store_name, key) themselves. Rows you INSERT by hand can create duplicates; write through the
  kv_* tools instead.
- The table is created on first use of a store, also by tools that only read, so the kv_* tools
  need a database they may write to: local, persistent, or an attachment made with
  writable: true. A read-only attachment is refused.
- Durability: entries in the local database (the default) are lost when the session ends.
  Entries in "persistent" survive restarts and are shared by every session using that file.
  Each database has its own table; stores never mix across databases.
- The "_hyperdb_" prefix hides the table from describe, status and the resource lists, but SQL
  can read it directly.
- value is TEXT. Cast it before using JSON operators: value::json ->> 'field'. JSON_VALUE is not
  available, and a bare ::numeric cast has scale 0 (use ::numeric(18,4) or ::double precision).

Joining KV entries with a table — always filter on kv.store_name, or keys of other stores
match too:

  SELECT t.*, kv.value AS note
  FROM "orders" AS t
  LEFT JOIN _hyperdb_kv_store AS kv
    ON kv.store_name = 'order_notes'
   AND kv.key = CAST(t.id AS TEXT);

For a store in the persistent database, qualify the table:
"persistent"."public"."_hyperdb_kv_store".
`;
