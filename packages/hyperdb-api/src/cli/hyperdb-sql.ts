#!/usr/bin/env node
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { HyperDbError, HyperError } from "@hyperdb-ts/hyperdb-api-core";
import { Connection } from "../connection/connection.ts";
import { HyperProcess } from "../process/hyper-process.ts";
import { formatCell, formatTable, type PrintableResult } from "./format-table.ts";

const USAGE = `Usage: hyperdb-sql [options] <sql> [<sql> ...]

Runs SQL statements on Hyper and prints each result. Without --endpoint a private hyperd is
started for the run and stopped afterwards.

Options:
  -d, --database <path>      attach this .hyper file first; unqualified names resolve in it
      --create               create the database file if it does not exist
  -e, --endpoint <host:port> use a running hyperd instead of starting one
  -f, --format <format>      table (default), csv or json
  -h, --help                 show this help

Example:
  hyperdb-sql "SELECT 42 AS answer, version()"`;

type OutputFormat = "table" | "csv" | "json";

function toCsv(result: PrintableResult): string {
  const quoteCsv = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = [result.columns.map(quoteCsv).join(",")];
  for (const row of result.rows)
    lines.push(row.map((value) => (value === null ? "" : quoteCsv(formatCell(value)))).join(","));
  return lines.join("\n");
}

function toJson(result: PrintableResult): string {
  const objects = result.rows.map((row) =>
    Object.fromEntries(
      result.columns.map((name, i) => {
        const value = row[i];
        if (typeof value === "bigint" || value instanceof Uint8Array) return [name, formatCell(value)];
        if (value !== null && typeof value === "object") return [name, String(value)];
        return [name, value];
      }),
    ),
  );
  return JSON.stringify(objects, null, 2);
}

function render(result: PrintableResult, format: OutputFormat): string {
  if (format === "csv") return toCsv(result);
  if (format === "json") return toJson(result);
  return formatTable(result);
}

async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      database: { type: "string", short: "d" },
      create: { type: "boolean", default: false },
      endpoint: { type: "string", short: "e" },
      format: { type: "string", short: "f", default: "table" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = values.format as OutputFormat;
  if (!["table", "csv", "json"].includes(format)) {
    process.stderr.write(`hyperdb-sql: unknown format "${values.format}" (use table, csv or json)\n`);
    return 2;
  }
  if (positionals.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }

  const hyper = values.endpoint === undefined ? await HyperProcess.start() : null;
  try {
    const endpoint = values.endpoint ?? hyper?.endpoint;
    if (endpoint === undefined) throw new Error("no endpoint");
    await using connection = await Connection.connect({
      endpoint,
      applicationName: "hyperdb-sql",
      ...(values.database === undefined
        ? {}
        : {
            database: resolve(values.database),
            createMode: values.create ? "CreateIfNotExists" : "DoNotCreate",
          }),
    });
    for (const sql of positionals) {
      // The wire-level query keeps the command tag, printed for statements without rows.
      const outcome = await connection.core.query(sql).all();
      if (outcome.columns.length > 0) {
        const result = { columns: outcome.columns.map((column) => column.name), rows: outcome.rows };
        process.stdout.write(`${render(result, format)}\n`);
      } else if (format === "table") {
        process.stdout.write(`${outcome.command}\n`);
      }
    }
    return 0;
  } finally {
    await hyper?.close();
  }
}

function describeError(error: unknown): string {
  if (error instanceof HyperError) {
    const lines = [`ERROR ${error.sqlstate}: ${error.message}`];
    if (error.detail) lines.push(`DETAIL: ${error.detail}`);
    if (error.hint) lines.push(`HINT: ${error.hint}`);
    return lines.join("\n");
  }
  if (HyperDbError.isInstance(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hyperdb-sql: ${describeError(error)}\n`);
    process.exitCode = 1;
  },
);
