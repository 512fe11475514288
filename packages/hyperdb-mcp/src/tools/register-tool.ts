/**
 * Registers a tool with zod input and output schemas, as `McpServer.registerTool` does, with two
 * differences that keep start-up cheap:
 *
 * - the schemas may be given as functions that build them (see lazy-schema.ts): they are built
 *   on the first call of the tool, or when the SDK needs their JSON Schema and the build shipped
 *   none;
 * - the SDK gets the schemas' JSON Schema from the build's `tool-schemas.json` when it has the
 *   tool (see tool-schemas-file.ts), so listing the tools converts nothing.
 *
 * Validation stays with zod.
 *
 * @module
 */

import type {
  McpServer,
  RegisteredTool,
  StandardSchemaWithJSON,
  ToolAnnotations,
  ToolCallback,
} from "@modelcontextprotocol/server";
import type * as z from "zod";
import type { JsonRecord } from "../json-record.ts";
import { lazy } from "./lazy-schema.ts";
import { shippedToolSchemas, TOOL_SCHEMA_TARGET } from "./tool-schemas-file.ts";

/** A zod schema as the SDK takes it. */
type ToolSchema<S extends z.ZodType> = StandardSchemaWithJSON<z.input<S>, z.output<S>>;

/** A zod schema, or a function that builds it (called once, when first needed). */
export type SchemaSource<S extends z.ZodType> = S | (() => S);

/** What a tool is registered with. */
export interface ToolConfig<I extends z.ZodType, O extends z.ZodType> {
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: SchemaSource<I>;
  readonly outputSchema?: SchemaSource<O>;
  readonly annotations?: ToolAnnotations;
}

/** Registers tool `name` on `server`; `handler` gets the arguments as `inputSchema` parses them. */
export function registerTool<I extends z.ZodType, O extends z.ZodType = z.ZodType>(
  server: McpServer,
  name: string,
  config: ToolConfig<I, O>,
  handler: ToolCallback<ToolSchema<I>>,
): RegisteredTool {
  const listed = shippedToolSchemas()?.[name];
  const { inputSchema, outputSchema, ...rest } = config;
  return server.registerTool<ToolSchema<O>, ToolSchema<I>>(
    name,
    {
      ...rest,
      inputSchema: withJsonSchema(inputSchema, "input", listed?.input),
      ...(outputSchema === undefined
        ? {}
        : { outputSchema: withJsonSchema(outputSchema, "output", listed?.output) }),
    },
    handler,
  );
}

/**
 * `source` for the SDK: its `io` JSON Schema is `json` when given (and asked in the draft it was
 * made for); everything else, validation first, goes to the zod schema, built on first need.
 */
export function withJsonSchema<S extends z.ZodType>(
  source: SchemaSource<S>,
  io: "input" | "output",
  json: JsonRecord | undefined,
): ToolSchema<S> {
  if (typeof source !== "function") {
    return json === undefined ? source : wrap(() => source, io, json);
  }
  return wrap(lazy(source), io, json);
}

function wrap<S extends z.ZodType>(
  schema: () => S,
  io: "input" | "output",
  json: JsonRecord | undefined,
): ToolSchema<S> {
  const standard = (): ToolSchema<S>["~standard"] => schema()["~standard"];
  const convert =
    (direction: "input" | "output"): ToolSchema<S>["~standard"]["jsonSchema"]["input"] =>
    (options) =>
      direction === io && json !== undefined && options.target === TOOL_SCHEMA_TARGET
        ? json
        : standard().jsonSchema[direction](options);
  return {
    "~standard": {
      version: 1,
      vendor: "zod",
      validate: (value) => standard().validate(value),
      jsonSchema: { input: convert("input"), output: convert("output") },
    },
  };
}
