/**
 * Our build's stand-in for the MCP SDK's internal `@modelcontextprotocol/server/_shims` module
 * (the bundler substitutes it, see tsup.config.ts).
 *
 * The SDK's Node shim exports `process` and a JSON Schema validator built on ajv. Importing it
 * evaluates ajv's whole module graph (about a hundred files, several milliseconds of every
 * start-up) although this server never validates a JSON Schema: the SDK validates with it only
 * the answers to form elicitations, which this server does not send, and tool arguments and
 * results are checked with their zod schemas. A schema it is nevertheless asked to validate is
 * reported invalid, with the reason, instead of passing unchecked.
 *
 * @module
 */
import type { JsonSchemaValidator, jsonSchemaValidator } from "@modelcontextprotocol/server";

/** Validates nothing: every input is refused with an explanation. */
export class DefaultJsonSchemaValidator implements jsonSchemaValidator {
  getValidator<T>(): JsonSchemaValidator<T> {
    return () => ({
      valid: false,
      data: undefined,
      errorMessage: "JSON Schema validation is not part of the hyperdb-mcp server",
    });
  }
}

/** The same object as the SDK's shim exports: Node's `process`. */
const sdkProcess: NodeJS.Process = process;

export { sdkProcess as process };
