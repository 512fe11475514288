import { HyperError, ProtocolError } from "../errors/index.ts";
import {
  type ColumnDescription,
  parseParameterDescription,
  parseRowDescription,
  parseServerMessageFields,
} from "../protocol/backend-messages.ts";
import { BackendTag, describeTag } from "../protocol/message-tags.ts";
import type { CommandResult, Connection, QueryOptions } from "./connection.ts";
import { deferred } from "./deferred.ts";
import type { Operation, OperationContext } from "./operation.ts";
import type { ParameterValue } from "./parameters.ts";
import type { QueryResult } from "./query-result.ts";

/** What the server said about a prepared statement. */
export interface StatementDescription {
  readonly parameterTypes: readonly number[];
  readonly columns: readonly ColumnDescription[];
}

/** Parse + Describe(S) + Sync for a named statement. */
export class PrepareOperation implements Operation {
  private readonly name: string;
  private readonly sql: string;
  private readonly declaredTypes: readonly number[];
  private readonly completion = deferred<StatementDescription>();
  private parameterTypes: number[] = [];
  private columns: ColumnDescription[] = [];
  private error: HyperError | null = null;

  constructor(name: string, sql: string, declaredTypes: readonly number[]) {
    this.name = name;
    this.sql = sql;
    this.declaredTypes = declaredTypes;
  }

  get done(): Promise<StatementDescription> {
    return this.completion.promise;
  }

  start(context: OperationContext): void {
    const writer = context.writer;
    writer.parse(this.name, this.sql, this.declaredTypes).describe("S", this.name).sync();
    void context.send(writer.flush()).catch(() => {});
  }

  handleMessage(tag: number, buffer: Buffer, start: number, end: number): boolean {
    switch (tag) {
      case BackendTag.ParseComplete:
      case BackendTag.NoData:
        return false;
      case BackendTag.ParameterDescription:
        this.parameterTypes = parseParameterDescription(buffer, start, end);
        return false;
      case BackendTag.RowDescription:
        this.columns = parseRowDescription(buffer, start, end);
        return false;
      case BackendTag.ErrorResponse:
        this.error ??= new HyperError(parseServerMessageFields(buffer, start, end)).withStatement(this.sql);
        return false;
      case BackendTag.ReadyForQuery:
        if (this.error !== null) this.completion.reject(this.error);
        else this.completion.resolve({ parameterTypes: this.parameterTypes, columns: this.columns });
        return true;
      default:
        throw new ProtocolError(`unexpected message ${describeTag(tag)} while preparing a statement`);
    }
  }

  fail(error: Error): void {
    this.completion.reject(error);
  }
}

/**
 * A statement parsed once on the server and run many times with different parameters.
 * Close it when done (or use `await using`).
 */
export class PreparedStatement implements AsyncDisposable {
  readonly name: string;
  readonly sql: string;
  /** Parameter type OIDs as the server inferred or was told them. */
  readonly parameterTypes: readonly number[];
  /** Result columns; empty for statements without rows. */
  readonly columns: readonly ColumnDescription[];
  private readonly connection: Connection;
  private closed = false;

  constructor(connection: Connection, name: string, sql: string, description: StatementDescription) {
    this.connection = connection;
    this.name = name;
    this.sql = sql;
    this.parameterTypes = description.parameterTypes;
    this.columns = description.columns;
  }

  /** Runs the statement and streams its rows. */
  query(
    params: readonly ParameterValue[] = [],
    options: Omit<QueryOptions, "params" | "paramTypes"> = {},
  ): QueryResult {
    return this.connection.runPrepared(this, params, options);
  }

  /** Runs the statement for its effect. */
  async execute(params: readonly ParameterValue[] = []): Promise<CommandResult> {
    const result = this.query(params);
    for await (const _batch of result.batches()) {
      // drain
    }
    return { command: result.command ?? "", rowCount: result.rowCount };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.closeStatement(this.name);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
