export {
  AlreadyExistsError,
  AuthenticationError,
  ConnectionClosedError,
  ConnectionFailedError,
  ConnectionLostError,
  HyperDbError,
  type HyperDbErrorCode,
  InvalidArgumentError,
  NoRowsError,
  NotFoundError,
  ProtocolError,
  TimeoutError,
  UsageError,
} from "./hyper-db-error.ts";
export {
  ErrorField,
  HyperError,
  type ServerMessageFields,
  type ServerNotice,
  toServerNotice,
} from "./hyper-error.ts";
export { type KnownSqlState, SqlState } from "./sqlstate.ts";
