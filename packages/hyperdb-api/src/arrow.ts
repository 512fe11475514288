/**
 * Apache Arrow in and out of Hyper: `ArrowInserter` loads Arrow tables, record batches or IPC
 * streams through `COPY … FROM STDIN WITH (FORMAT arrowstream)`; `queryToArrow`,
 * `tableToArrow` and `streamArrowBatches` read query results through `COPY (…) TO STDOUT WITH
 * (FORMAT arrowstream)`. Needs the `apache-arrow` package (an optional peer dependency).
 *
 * Types, as hyperd produces them and as it accepts them (checked against hyperd; hyperd wants
 * the exact Arrow type, it does not cast):
 *
 * | Hyper type | hyperd produces | hyperd also accepts |
 * |---|---|---|
 * | BOOLEAN | Bool | |
 * | SMALLINT | Int16 | Int8, Uint8 |
 * | INTEGER | Int32 | Uint16 |
 * | BIGINT | Int64 | Uint32 |
 * | OID | Uint32, `hyper:type=Oid` | |
 * | REAL | Float32 | |
 * | DOUBLE PRECISION | Float64 | |
 * | NUMERIC(p,s) | Decimal128(p,s) | Decimal256(p,s) (precision and scale must be the column's) |
 * | TEXT | Utf8 | (LargeUtf8, Utf8View: converted by ArrowInserter) |
 * | VARCHAR(n) | Utf8, `hyper:max_string_length=n` | |
 * | CHARACTER(n) | Utf8, `hyper:type=Char`, `hyper:max_string_length=n` (blank-padded) | |
 * | CHARACTER(1) | Utf8, `hyper:type=Char1` | |
 * | JSON | Utf8, `hyper:type=JSON` (validated on insert) | |
 * | BYTEA | Binary | (LargeBinary, BinaryView: converted by ArrowInserter) |
 * | GEOGRAPHY | Binary, `hyper:type=Geography` (Hyper's own encoding) | |
 * | DATE | Date64 (ms) | Date32 (days) |
 * | TIME | Time64(µs) | Time32(s, ms), Time64(ns) |
 * | TIMESTAMP | Timestamp(µs), no time zone | Timestamp(s, ms) (ns: converted by ArrowInserter) |
 * | TIMESTAMP WITH TIME ZONE | Timestamp(µs, "Utc") | Timestamp(s, ms, µs) with any time zone (ns: converted) |
 * | INTERVAL | Interval(MonthDayNano) | Interval(DayTime), Interval(YearMonth) |
 *
 * hyperd refuses: dictionary-encoded columns (ArrowInserter decodes them; `tableFromArrays`
 * makes every string column one), LargeUtf8 / LargeBinary / views, nanosecond timestamps
 * (those three are converted by ArrowInserter), Float16, FixedSizeBinary, Decimal64, Duration,
 * nested types, a nullable field for a NOT NULL column (ArrowInserter sets each field's
 * nullability to its column's), and Utf8 without the metadata above for VARCHAR, CHARACTER and
 * JSON columns (ArrowInserter adds it). hyperd does not check VARCHAR(n) / CHARACTER(n) lengths
 * of Arrow data (ArrowInserter does). Fields are matched to columns by name; a table column
 * missing from the data must be left out of the COPY's column list (ArrowInserter lists the
 * fields it sends). Within one COPY, anything after the stream's end-of-stream marker is
 * silently ignored by hyperd and a second schema is an error, so ArrowInserter sends one schema
 * and never an end marker.
 *
 * @module
 */
export { ArrowInserter, type ArrowInserterOptions } from "./arrow/arrow-inserter.ts";
export { arrowFieldFor, arrowSchemaFor, arrowTypeFor } from "./arrow/hyper-arrow-types.ts";
export {
  type ArrowQueryOptions,
  queryToArrow,
  streamArrowBatches,
  tableToArrow,
} from "./arrow/query-to-arrow.ts";
