import type { ParameterValue, PreparedStatement } from "@hyperdb-ts/hyperdb-api-core";
import { type ColumnInfo, type RowMode, RowStream, toColumnInfo } from "./row-stream.ts";

/**
 * A statement parsed once and run many times with different parameters. Close it when done
 * (or use `await using`).
 */
export class PreparedQuery implements AsyncDisposable {
  private readonly statement: PreparedStatement;

  /** @internal */
  constructor(statement: PreparedStatement) {
    this.statement = statement;
  }

  get sql(): string {
    return this.statement.sql;
  }

  /** Number of `$n` parameters. */
  get parameterCount(): number {
    return this.statement.parameterTypes.length;
  }

  /** Result columns (empty for statements without rows). */
  get columns(): ColumnInfo[] {
    return toColumnInfo(this.statement.columns);
  }

  query<T = Record<string, unknown>>(
    params: readonly ParameterValue[] = [],
    options: { signal?: AbortSignal; rowMode?: RowMode } = {},
  ): RowStream<T> {
    const result = this.statement.query(
      params,
      options.signal === undefined ? {} : { signal: options.signal },
    );
    return new RowStream<T>(result, options.rowMode ?? "object");
  }

  fetchAll<T = Record<string, unknown>>(params: readonly ParameterValue[] = []): Promise<T[]> {
    return this.query<T>(params).toArray();
  }

  /** Runs the statement for its effect; returns the rows affected (0 without a count). */
  async execute(params: readonly ParameterValue[] = []): Promise<number> {
    return (await this.statement.execute(params)).rowCount ?? 0;
  }

  close(): Promise<void> {
    return this.statement.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
