/**
 * The table context embedded in the prompts: a pretty-printed JSON sample (schema, row count
 * and the first rows) of a local table. A table that cannot be read does not fail the prompt:
 * the context then says so and why, and the model can still follow the instructions (e.g.
 * call describe first).
 *
 * @module
 */
import { LOCAL_ALIAS } from "../engine/engine.ts";
import { tableNotFoundMessage } from "../tools/describe.ts";
import { mapError } from "../tools/map-error.ts";
import { sampleTable } from "../tools/sample.ts";
import type { ToolContext } from "../tools/tool-context.ts";

/** The context text for `table`: its sample as JSON, or why it could not be loaded. */
export async function tableContext(context: ToolContext, table: string, rows: number): Promise<string> {
  try {
    const sample = await context.engine.use((connection) =>
      sampleTable(connection, table, rows, LOCAL_ALIAS),
    );
    if (sample === undefined) {
      return couldNotLoad("TABLE_NOT_FOUND", tableNotFoundMessage(table));
    }
    return JSON.stringify(sample, null, 2);
  } catch (error) {
    const mapped = mapError(error);
    return couldNotLoad(mapped.code, mapped.message);
  }
}

function couldNotLoad(code: string, message: string): string {
  return `(Could not load table context: [${code}] ${message})`;
}
