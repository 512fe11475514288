// Public API of @hyperdb-ts/hyperdb-api, listed by name.

// From the wire layer: errors and value types that appear in this API
export {
  AlreadyExistsError,
  AuthenticationError,
  ConnectionClosedError,
  ConnectionFailedError,
  ConnectionLostError,
  HyperDate,
  HyperDbError,
  type HyperDbErrorCode,
  HyperError,
  HyperInterval,
  HyperTime,
  HyperTimestamp,
  InvalidArgumentError,
  NoRowsError,
  NotFoundError,
  type ParameterValue,
  ProtocolError,
  type ServerNotice,
  SqlState,
  TimeoutError,
  TypeOid,
  UsageError,
} from "@hyperdb-ts/hyperdb-api-core";
// Catalog and names
export {
  Catalog,
  type CreateObjectOptions,
  type DropSchemaOptions,
  type DropTableOptions,
} from "./catalog/catalog.ts";
export { escapeIdentifier, escapeStringLiteral } from "./catalog/escape.ts";
export { SchemaName, TableName } from "./catalog/names.ts";
export { SqlType } from "./catalog/sql-type.ts";
export {
  type AddColumnOptions,
  type ColumnDefinition,
  TableDefinition,
  type TableDefinitionOptions,
} from "./catalog/table-definition.ts";
// Connections and queries
export {
  type AttachOptions,
  Connection,
  type ConnectOptions,
  defaultAlias,
  type QueryOptions,
  type Statement,
} from "./connection/connection.ts";
export type { CreateMode } from "./connection/create-mode.ts";
// Bulk insert
export { Inserter, type InserterOptions, type InsertSource } from "./insert/inserter.ts";
export type { InsertRow } from "./insert/row-shape.ts";
// Key-value store
export { KV_NAME_MAX_BYTES, type KvNameKind, validateKvName } from "./kv/kv-names.ts";
export {
  KV_STORE_TABLE,
  type KvEntries,
  type KvEntry,
  type KvSetManyIfAbsentResult,
  type KvSetManyResult,
  type KvSetResult,
  KvStore,
  type KvStoreOptions,
} from "./kv/kv-store.ts";
// Connection pool
export { ConnectionPool, type ConnectionPoolOptions, PooledConnection } from "./pool/connection-pool.ts";
export { PoolTimeoutError } from "./pool/pool-timeout-error.ts";
// hyperd processes: the names of the light `process` entry
export * from "./process.ts";
export { PreparedQuery } from "./query/prepared-query.ts";
export { type ColumnInfo, type RowMode, RowStream } from "./query/row-stream.ts";
export { SqlQuery, sql } from "./query/sql.ts";
