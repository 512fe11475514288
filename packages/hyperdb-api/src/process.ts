/**
 * Starting and stopping hyperd on its own, without the rest of the client: `HyperProcess`, the
 * hyperd lookup and their errors. For a program that supervises hyperd and starts it before
 * anything else (a daemon): this entry loads no protocol or connection code. The same classes
 * are exported from the package root.
 *
 * @module
 */
export { HyperdNotFoundError, HyperdStartError, type HyperdStartErrorOptions } from "./process/errors.ts";
export { HyperProcess, type HyperProcessOptions } from "./process/hyper-process.ts";
export { HYPERD_LOGIN_USER, type HyperdParameterValue } from "./process/hyperd-arguments.ts";
export type { HyperdEndpoint } from "./process/hyperd-endpoint.ts";
export { type ResolveHyperdOptions, resolveHyperdPath } from "./process/resolve-hyperd.ts";
export type { HyperdExitStatus } from "./process/spawn-hyperd.ts";
