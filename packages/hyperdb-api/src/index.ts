export { HyperdNotFoundError, HyperdStartError, type HyperdStartErrorOptions } from "./process/errors.ts";
export { HyperProcess, type HyperProcessOptions } from "./process/hyper-process.ts";
export type { HyperdParameterValue } from "./process/hyperd-arguments.ts";
export type { HyperdEndpoint } from "./process/hyperd-endpoint.ts";
export { type ResolveHyperdOptions, resolveHyperdPath } from "./process/resolve-hyperd.ts";
export type { HyperdExitStatus } from "./process/spawn-hyperd.ts";
