/**
 * `node:crypto`, loaded when a password exchange first needs it.
 *
 * Importing it costs a Node process about 4 ms at start-up (it builds the WebCrypto algorithm
 * tables), and connections to a local hyperd started with `--no-password` never authenticate.
 * A short-lived client, such as a tool server answering its first call, would pay that on its
 * critical path for nothing.
 *
 * @module
 */

/** The `node:crypto` module. */
export type NodeCrypto = typeof import("node:crypto");

/** Returns `node:crypto`, loading it on the first call. */
export function nodeCrypto(): NodeCrypto {
  return process.getBuiltinModule("node:crypto");
}
