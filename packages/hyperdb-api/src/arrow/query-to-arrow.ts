import { ProtocolError } from "@hyperdb-ts/hyperdb-api-core";
import { type RecordBatch, RecordBatchReader, type Schema, Table } from "apache-arrow";
import { TableName } from "../catalog/names.ts";
import type { Connection } from "../connection/connection.ts";

/** Options of {@link queryToArrow} and {@link streamArrowBatches}. */
export interface ArrowQueryOptions {
  /** Cancels the query on the server when aborted; the call then rejects with its HyperError (57014). */
  readonly signal?: AbortSignal;
}

/**
 * Runs a query and returns its whole result as an Arrow table, through `COPY (<sql>) TO STDOUT
 * WITH (FORMAT arrowstream)`: hyperd builds the Arrow data itself, so this is the fastest way
 * to read many rows. The types are those listed in the module documentation (e.g. DATE as
 * Date64, NUMERIC as Decimal128, TIMESTAMP WITH TIME ZONE as Timestamp(µs) in time zone `Utc`); an empty
 * result still has its schema.
 *
 * The query must be a single SELECT-like statement without bound parameters (COPY takes none);
 * a trailing semicolon is ignored.
 * @throws HyperError when the query fails.
 */
export async function queryToArrow(
  connection: Connection,
  sql: string,
  options: ArrowQueryOptions = {},
): Promise<Table> {
  const stream = connection.core.copyOut(copyToArrowSql(sql), signalOption(options));
  const reader = await (await RecordBatchReader.from(stream)).open();
  // Read now: the reader forgets its schema once it reached the end of the stream.
  const schema = reader.schema as Schema | null | undefined;
  const batches: RecordBatch[] = [];
  for await (const batch of reader) batches.push(batch);
  if (schema === null || schema === undefined) {
    throw new ProtocolError("hyperd sent an Arrow stream without schema");
  }
  return new Table(schema, batches);
}

/**
 * The rows of a table as an Arrow table (`SELECT * FROM <table>` through {@link queryToArrow}).
 * @param table - `"schema.table"` (parsed like SQL) or a TableName
 */
export function tableToArrow(
  connection: Connection,
  table: string | TableName,
  options: ArrowQueryOptions = {},
): Promise<Table> {
  return queryToArrow(connection, `SELECT * FROM ${TableName.from(table).toString()}`, options);
}

/**
 * Runs a query and yields its result as Arrow record batches while hyperd produces them (hyperd
 * sends batches of about 10 000 rows). Reading is paced by the consumer: the socket is not read
 * further while a few MiB wait, so memory stays flat for any result size. Leaving the loop early
 * cancels the query and frees the connection. The query starts when iteration starts.
 *
 * ```ts
 * for await (const batch of streamArrowBatches(connection, "SELECT * FROM trips")) process(batch);
 * ```
 * @throws HyperError (from the iteration) when the query fails.
 */
export async function* streamArrowBatches(
  connection: Connection,
  sql: string,
  options: ArrowQueryOptions = {},
): AsyncGenerator<RecordBatch, void, undefined> {
  const stream = connection.core.copyOut(copyToArrowSql(sql), signalOption(options));
  let finished = false;
  try {
    const reader = await RecordBatchReader.from(stream);
    for await (const batch of reader) yield batch;
    finished = true;
  } finally {
    if (!finished) await stream.cancel();
  }
}

/** `COPY (<sql>) TO STDOUT WITH (FORMAT arrowstream)`, without the query's trailing semicolons. */
export function copyToArrowSql(sql: string): string {
  const query = sql.trim().replace(/[\s;]+$/, "");
  return `COPY (${query}) TO STDOUT WITH (FORMAT arrowstream)`;
}

function signalOption(options: ArrowQueryOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}
