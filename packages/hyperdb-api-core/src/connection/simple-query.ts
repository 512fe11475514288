import { HyperError, ProtocolError } from "../errors/index.ts";
import {
  type ColumnDescription,
  parseCommandTag,
  parseRowDescription,
  parseServerMessageFields,
  rowCountOfCommandTag,
} from "../protocol/backend-messages.ts";
import type { FrontendWriter } from "../protocol/frontend-writer.ts";
import { BackendTag, describeTag } from "../protocol/message-tags.ts";
import { type FieldDecoder, fieldDecoder } from "../values/index.ts";
import { deferred } from "./deferred.ts";
import type { Operation, OperationContext } from "./operation.ts";

/** One statement's result from the simple protocol (values decoded from text). */
export interface TextResult {
  readonly command: string;
  readonly rowCount: number | null;
  readonly columns: readonly ColumnDescription[];
  readonly rows: unknown[][];
}

/**
 * The simple-query exchange (one Query message). Also used with a custom message builder
 * for small control exchanges such as closing a prepared statement.
 */
export class SimpleQueryOperation implements Operation {
  private readonly sql: string | null;
  private readonly build: ((writer: FrontendWriter) => void) | undefined;
  private readonly completion = deferred<TextResult[]>();
  private readonly results: TextResult[] = [];
  private context: OperationContext | null = null;
  private columns: ColumnDescription[] = [];
  private decoders: FieldDecoder[] = [];
  private rows: unknown[][] = [];
  private error: HyperError | null = null;

  constructor(sql: string | null, build?: (writer: FrontendWriter) => void) {
    this.sql = sql;
    this.build = build;
  }

  get done(): Promise<TextResult[]> {
    return this.completion.promise;
  }

  start(context: OperationContext): void {
    this.context = context;
    if (this.build) this.build(context.writer);
    else context.writer.query(this.sql ?? "");
    void context.send(context.writer.flush()).catch(() => {});
  }

  handleMessage(tag: number, buffer: Buffer, start: number, end: number): boolean {
    switch (tag) {
      case BackendTag.RowDescription:
        this.columns = parseRowDescription(buffer, start, end);
        this.decoders = this.columns.map((column) =>
          fieldDecoder({ oid: column.typeOid, typmod: column.typmod }, 0),
        );
        this.rows = [];
        return false;
      case BackendTag.DataRow:
        this.rows.push(this.decodeRow(buffer, start));
        return false;
      case BackendTag.CommandComplete: {
        const command = parseCommandTag(buffer, start, end);
        this.pushResult(command);
        return false;
      }
      case BackendTag.EmptyQueryResponse:
        this.pushResult("");
        return false;
      case BackendTag.ErrorResponse:
        this.error ??= new HyperError(parseServerMessageFields(buffer, start, end)).withStatement(
          this.sql ?? "",
        );
        return false;
      case BackendTag.CopyInResponse: {
        const context = this.context;
        if (context !== null) {
          void context
            .send(context.writer.copyFail("COPY FROM STDIN needs Connection.copyIn()").flush())
            .catch(() => {});
        }
        return false;
      }
      case BackendTag.CopyOutResponse:
      case BackendTag.CopyData:
      case BackendTag.CopyDone:
      case BackendTag.CloseComplete:
      case BackendTag.ParseComplete:
      case BackendTag.BindComplete:
      case BackendTag.NoData:
        return false;
      case BackendTag.ReadyForQuery:
        if (this.error !== null) this.completion.reject(this.error);
        else this.completion.resolve(this.results);
        return true;
      default:
        throw new ProtocolError(`unexpected message ${describeTag(tag)} in a simple query`);
    }
  }

  fail(error: Error): void {
    this.completion.reject(error);
  }

  private pushResult(command: string): void {
    this.results.push({
      command,
      rowCount: rowCountOfCommandTag(command),
      columns: this.columns,
      rows: this.rows,
    });
    this.columns = [];
    this.decoders = [];
    this.rows = [];
  }

  private decodeRow(buffer: Buffer, start: number): unknown[] {
    const count = buffer.readInt16BE(start);
    const row: unknown[] = new Array(count);
    let offset = start + 2;
    for (let i = 0; i < count; i++) {
      const length = buffer.readInt32BE(offset);
      offset += 4;
      if (length < 0) {
        row[i] = null;
      } else {
        const decode = this.decoders[i];
        row[i] = decode ? decode(buffer, offset, length) : buffer.toString("utf8", offset, offset + length);
        offset += length;
      }
    }
    return row;
  }
}
