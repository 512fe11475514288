// Public API of @hyperdb-ts/hyperdb-api-core, listed by name.

export { ByteWriter } from "./buffers/byte-writer.ts";
export {
  type CommandResult,
  Connection,
  type ConnectionOptions,
  DEFAULT_SILENCE_TIMEOUT_MS,
  DEFAULT_USER,
  type QueryOptions,
  type TransactionStatus,
} from "./connection/connection.ts";
export { CopyInWriter, MAX_COPY_DATA_BYTES } from "./connection/copy-in.ts";
export type { CopyOutStream } from "./connection/copy-out.ts";
export { type EncodedParameters, encodeParameters, type ParameterValue } from "./connection/parameters.ts";
export { PreparedStatement, type StatementDescription } from "./connection/prepared-statement.ts";
export { type QueryOutcome, QueryResult, type ResultFormat, type Row } from "./connection/query-result.ts";
export type { TextResult } from "./connection/simple-query.ts";
export {
  AlreadyExistsError,
  AuthenticationError,
  ConnectionClosedError,
  ConnectionFailedError,
  ConnectionLostError,
  ErrorField,
  HyperDbError,
  type HyperDbErrorCode,
  HyperError,
  InvalidArgumentError,
  type KnownSqlState,
  NoRowsError,
  NotFoundError,
  ProtocolError,
  type ServerMessageFields,
  type ServerNotice,
  SqlState,
  TimeoutError,
  UsageError,
} from "./errors/index.ts";
export type { BackendKeyData, ColumnDescription, Notification } from "./protocol/backend-messages.ts";
export {
  connectSocket,
  DEFAULT_SOCKET_OPTIONS,
  enableKeepAlive,
  type SocketOptions,
} from "./transport/connect-socket.ts";
export { type Endpoint, formatEndpoint, parseEndpoint } from "./transport/endpoint.ts";
export {
  type CopyColumn,
  type CopyValueEncoder,
  type DecimalParts,
  type FieldDecoder,
  fieldDecoder,
  formatDecimal,
  HyperBinaryRowEncoder,
  HyperDate,
  HyperInterval,
  HyperTime,
  HyperTimestamp,
  type HyperType,
  hyperBinaryCopyEncoder,
  type IntervalParts,
  MAX_NUMERIC_PRECISION,
  numericPrecision,
  numericScale,
  numericTypmod,
  type ParamEncoder,
  parseDecimal,
  pgBinaryParamEncoder,
  type TextParamEncoder,
  TypeOid,
  textParamEncoder,
  typeName,
  type ValueFormat,
} from "./values/index.ts";
