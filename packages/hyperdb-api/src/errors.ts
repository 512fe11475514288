/**
 * Every error class of the package, without the rest of it: for code that only classifies
 * errors. The same classes are exported from the package root (`instanceof` holds across both).
 *
 * @module
 */
export * from "@hyperdb-ts/hyperdb-api-core/errors";
export { PoolTimeoutError } from "./pool/pool-timeout-error.ts";
export { HyperdNotFoundError, HyperdStartError, type HyperdStartErrorOptions } from "./process/errors.ts";
