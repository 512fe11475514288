const marker = Symbol.for("@hyperdb-ts/hyperdb-api-core/HyperDbError");

/**
 * String codes of every error this toolkit raises. Callers branch on `error.code`, never on the
 * message text.
 */
export type HyperDbErrorCode =
  | "HYPER_ERROR"
  | "CONNECTION_FAILED"
  | "CONNECTION_LOST"
  | "CONNECTION_CLOSED"
  | "PROTOCOL_ERROR"
  | "TIMEOUT"
  | "AUTHENTICATION_FAILED"
  | "INVALID_ARGUMENT"
  | "USAGE_ERROR"
  | "NO_ROWS"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "POOL_TIMEOUT"
  | "HYPERD_NOT_FOUND"
  | "HYPERD_START_FAILED";

/**
 * Base class of all errors raised by the hyperdb-ts packages.
 *
 * `HyperDbError.isInstance(e)` also recognises errors created by another copy of the package
 * (two versions installed side by side), where `instanceof` would say no.
 */
export abstract class HyperDbError extends Error {
  /** Machine-readable category; stable across releases. */
  abstract readonly code: HyperDbErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    Object.defineProperty(this, marker, { value: true, enumerable: false });
  }

  override get name(): string {
    return this.constructor.name;
  }

  static isInstance(value: unknown): value is HyperDbError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

/** A connection could not be established (refused, unreachable, bad endpoint). */
export class ConnectionFailedError extends HyperDbError {
  readonly code = "CONNECTION_FAILED" as const;
}

/**
 * The socket broke (reset, closed by the peer, or found dead by TCP keepalive) while the
 * connection was open. The connection is unusable afterwards; open a new one.
 */
export class ConnectionLostError extends HyperDbError {
  readonly code = "CONNECTION_LOST" as const;
}

/** The connection was closed by this side (`close()` or an earlier fatal error) and was used again. */
export class ConnectionClosedError extends HyperDbError {
  readonly code = "CONNECTION_CLOSED" as const;
}

/** The server sent something this client does not understand; the connection is closed. */
export class ProtocolError extends HyperDbError {
  readonly code = "PROTOCOL_ERROR" as const;
}

/** An operation did not finish within its deadline (connect timeout, startup timeout, …). */
export class TimeoutError extends HyperDbError {
  readonly code = "TIMEOUT" as const;
}

/** Login failed on the client side: unsupported method, missing password, bad server proof. */
export class AuthenticationError extends HyperDbError {
  readonly code = "AUTHENTICATION_FAILED" as const;
}

/**
 * A value or argument given by the caller cannot be used: a JS value that does not fit the
 * column type, a row with the wrong number of values, an unknown option. Nothing was sent.
 */
export class InvalidArgumentError extends HyperDbError {
  readonly code = "INVALID_ARGUMENT" as const;
}

/** The API was used in a way that is not allowed in the current state (e.g. a second `execute()`). */
export class UsageError extends HyperDbError {
  readonly code = "USAGE_ERROR" as const;
}

/** A query that had to return a row (`fetchOne`, `fetchScalar`) returned none. */
export class NoRowsError extends HyperDbError {
  readonly code = "NO_ROWS" as const;
}

/** A named thing (table, schema, database file, column) does not exist. */
export class NotFoundError extends HyperDbError {
  readonly code = "NOT_FOUND" as const;
}

/** Something that was to be created exists already. */
export class AlreadyExistsError extends HyperDbError {
  readonly code = "ALREADY_EXISTS" as const;
}
