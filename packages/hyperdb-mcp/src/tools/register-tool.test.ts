import { describe, expect, it } from "vitest";
import * as z from "zod";
import { withJsonSchema } from "./register-tool.ts";
import { parseToolSchemasFile, TOOL_SCHEMA_TARGET } from "./tool-schemas-file.ts";

const schema = z.object({ sql: z.string().describe("The statement."), limit: z.number().int().optional() });
const shipped = { type: "object", properties: { sql: { type: "string" } }, "x-shipped": true };

describe("withJsonSchema", () => {
  it("answers the SDK's JSON Schema request with the shipped schema", () => {
    const wrapped = withJsonSchema(schema, "input", shipped);
    expect(wrapped["~standard"].jsonSchema.input({ target: TOOL_SCHEMA_TARGET })).toBe(shipped);
  });

  it("leaves other drafts and the other direction to zod", () => {
    const wrapped = withJsonSchema(schema, "input", shipped);
    const zodStandard = schema["~standard"].jsonSchema;
    expect(wrapped["~standard"].jsonSchema.input({ target: "draft-07" })).toEqual(
      zodStandard.input({ target: "draft-07" }),
    );
    expect(wrapped["~standard"].jsonSchema.output({ target: TOOL_SCHEMA_TARGET })).toEqual(
      zodStandard.output({ target: TOOL_SCHEMA_TARGET }),
    );
  });

  it("validates with zod: parsed values pass, bad ones come back with zod's issues", async () => {
    const wrapped = withJsonSchema(schema, "input", shipped);
    expect(await wrapped["~standard"].validate({ sql: "SELECT 1", limit: 3 })).toEqual({
      value: { sql: "SELECT 1", limit: 3 },
    });
    const bad = await wrapped["~standard"].validate({ sql: 5 });
    expect(bad.issues?.map((issue) => issue.path)).toEqual([["sql"]]);
  });

  it("builds a schema given as a function once, on first need", async () => {
    let builds = 0;
    const wrapped = withJsonSchema(
      () => {
        builds++;
        return schema;
      },
      "input",
      shipped,
    );
    expect(wrapped["~standard"].jsonSchema.input({ target: TOOL_SCHEMA_TARGET })).toBe(shipped);
    expect(builds).toBe(0);
    expect((await wrapped["~standard"].validate({ sql: 5 })).issues).toHaveLength(1);
    expect(await wrapped["~standard"].validate({ sql: "SELECT 1" })).toEqual({ value: { sql: "SELECT 1" } });
    expect(builds).toBe(1);
  });

  it("converts a schema given as a function with zod when nothing was shipped for it", () => {
    const wrapped = withJsonSchema(() => schema, "output", undefined);
    expect(wrapped["~standard"].jsonSchema.output({ target: TOOL_SCHEMA_TARGET })).toEqual(
      schema["~standard"].jsonSchema.output({ target: TOOL_SCHEMA_TARGET }),
    );
  });

  it("is the zod schema itself when nothing was shipped for it", () => {
    expect(withJsonSchema(schema, "output", undefined)).toBe(schema);
  });
});

describe("parseToolSchemasFile", () => {
  it("reads tools with an input schema and an optional output schema", () => {
    const text = JSON.stringify({ a: { input: shipped }, b: { input: shipped, output: { type: "object" } } });
    expect(parseToolSchemasFile(text)).toEqual({
      a: { input: shipped },
      b: { input: shipped, output: { type: "object" } },
    });
  });

  it("refuses anything else, so the server falls back to converting the zod schemas", () => {
    for (const text of [
      "not json",
      "[]",
      JSON.stringify({ a: { output: shipped } }),
      JSON.stringify({ a: { input: [] } }),
      JSON.stringify({ a: { input: shipped, output: "x" } }),
      JSON.stringify({ a: 1 }),
    ]) {
      expect(parseToolSchemasFile(text), text).toBeUndefined();
    }
  });
});
