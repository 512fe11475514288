import { HyperDbError } from "@hyperdb-ts/hyperdb-api-core/errors";

/** `ConnectionPool.acquire` waited longer than `acquireTimeoutMs` for a free connection. */
export class PoolTimeoutError extends HyperDbError {
  readonly code = "POOL_TIMEOUT" as const;
}
