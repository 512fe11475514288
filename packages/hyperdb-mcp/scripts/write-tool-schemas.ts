/**
 * Writes `tool-schemas.json` (see src/tools/tool-schemas-file.ts) from the source's zod schemas
 * into the build folder (`dist` unless given). `pnpm build` runs it after tsup, which removes
 * the previous file.
 *
 *   node --experimental-strip-types scripts/write-tool-schemas.ts [build folder]
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TOOL_SCHEMAS_FILE } from "../src/tools/tool-schemas-file.ts";
import { listToolSchemas } from "./list-tool-schemas.ts";

const buildDir = resolve(process.argv[2] ?? fileURLToPath(new URL("../dist", import.meta.url)));
const schemas = await listToolSchemas();
writeFileSync(join(buildDir, TOOL_SCHEMAS_FILE), `${JSON.stringify(schemas)}\n`);
process.stdout.write(
  `tool-schemas: ${Object.keys(schemas).length} tools -> ${join(buildDir, TOOL_SCHEMAS_FILE)}\n`,
);
