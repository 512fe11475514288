/**
 * Registers a tool with zod input and output schemas, as `McpServer.registerTool` does, but
 * hands the SDK the schemas' JSON Schema from the build's `tool-schemas.json` when it has the
 * tool (see tool-schemas-file.ts), so listing the tools converts nothing. Validation stays with
 * zod.
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
import { shippedToolSchemas, TOOL_SCHEMA_TARGET } from "./tool-schemas-file.ts";

/** A zod schema as the SDK takes it. */
type ToolSchema<S extends z.ZodType> = StandardSchemaWithJSON<z.input<S>, z.output<S>>;

/** What a tool is registered with. */
export interface ToolConfig<I extends z.ZodType, O extends z.ZodType> {
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: I;
  readonly outputSchema?: O;
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
 * `schema`, answering the SDK's request for its `io` JSON Schema with `json` (when given and
 * asked in the draft it was made for); everything else goes to the zod schema.
 */
export function withJsonSchema<S extends z.ZodType>(
  schema: S,
  io: "input" | "output",
  json: JsonRecord | undefined,
): ToolSchema<S> {
  const standard: ToolSchema<S>["~standard"] = schema["~standard"];
  if (json === undefined) return schema;
  const convert = standard.jsonSchema[io];
  const listed: typeof convert = (options) =>
    options.target === TOOL_SCHEMA_TARGET ? json : convert(options);
  return {
    "~standard": {
      version: standard.version,
      vendor: standard.vendor,
      validate: (value) => standard.validate(value),
      jsonSchema: { ...standard.jsonSchema, [io]: listed },
    },
  };
}
