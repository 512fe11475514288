import type { ParameterValue } from "@hyperdb-ts/hyperdb-api-core";
import { escapeIdentifier } from "../catalog/escape.ts";

const SQL_QUERY = Symbol.for("@hyperdb-ts/hyperdb-api/SqlQuery");

/** A name spliced into SQL text, quoted (from `sql.identifier`). */
class Identifier {
  readonly quoted: string;

  constructor(parts: readonly string[]) {
    this.quoted = parts.map(escapeIdentifier).join(".");
  }
}

type Chunk = string | { readonly value: ParameterValue };

/**
 * SQL text with its parameter values, built by the `sql` tag. Interpolated values never
 * become SQL text: each one is a bound parameter (`$1`, `$2`, …). Only `sql.identifier(…)`
 * and nested `sql` fragments are spliced into the text.
 */
export class SqlQuery {
  /** The statement with `$n` placeholders. */
  readonly text: string;
  /** The values bound to the placeholders, in order. */
  readonly values: readonly ParameterValue[];
  private readonly chunks: readonly Chunk[];

  /** @internal use the `sql` tag. */
  constructor(chunks: readonly Chunk[]) {
    Object.defineProperty(this, SQL_QUERY, { value: true });
    this.chunks = chunks;
    let text = "";
    const values: ParameterValue[] = [];
    for (const chunk of chunks) {
      if (typeof chunk === "string") {
        text += chunk;
      } else {
        values.push(chunk.value);
        text += `$${values.length}`;
      }
    }
    this.text = text;
    this.values = values;
  }

  /** The pieces of this fragment, for nesting it in another one. */
  static chunksOf(query: SqlQuery): readonly Chunk[] {
    return query.chunks;
  }

  static isSqlQuery(value: unknown): value is SqlQuery {
    return (
      typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SQL_QUERY] === true
    );
  }

  toString(): string {
    return this.text;
  }
}

/**
 * Tag for parameterised SQL:
 *
 * ```ts
 * const rows = await connection.fetchAll(sql`SELECT * FROM orders WHERE customer = ${id} AND total > ${min}`);
 * ```
 *
 * Each `${value}` becomes a bound parameter. Use `sql.identifier("table")` for names and
 * nest `sql` fragments to compose statements.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery {
  const chunks: Chunk[] = [];
  strings.forEach((text, i) => {
    chunks.push(text);
    if (i >= values.length) return;
    const value = values[i];
    if (value instanceof Identifier) chunks.push(value.quoted);
    else if (SqlQuery.isSqlQuery(value)) chunks.push(...SqlQuery.chunksOf(value));
    else chunks.push({ value: value as ParameterValue });
  });
  return new SqlQuery(chunks);
}

/**
 * A quoted name to splice into a `sql` template; several parts are joined with dots
 * (`sql.identifier("db", "public", "t")` → `"db"."public"."t"`).
 */
sql.identifier = (...parts: string[]): Identifier => new Identifier(parts);

/** A statement or fragment given as plain text, with no parameters. */
sql.unsafe = (text: string): SqlQuery => new SqlQuery([text]);
