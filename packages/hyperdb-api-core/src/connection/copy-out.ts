import { HyperError, ProtocolError, UsageError } from "../errors/index.ts";
import {
  parseCommandTag,
  parseServerMessageFields,
  rowCountOfCommandTag,
} from "../protocol/backend-messages.ts";
import { BackendTag, describeTag } from "../protocol/message-tags.ts";
import { cancelAfterGrace } from "./cancel-grace.ts";
import { deferred } from "./deferred.ts";
import type { Operation, OperationContext } from "./operation.ts";
import { PacedQueue } from "./paced-queue.ts";

/** Stop reading from the socket while this many bytes wait for the consumer. */
const HIGH_WATER_BYTES = 8 * 1024 * 1024;

/** Chunks of a `COPY … TO STDOUT`, in the COPY's format. Each chunk is the caller's to keep. */
export interface CopyOutStream extends AsyncIterable<Buffer> {
  /** Rows copied, known once the stream ended. */
  readonly rowCount: number | null;
  /** Stops the COPY on the server and drops the rest; resolves once the connection is free. */
  cancel(): Promise<void>;
}

/** The `COPY … TO STDOUT` exchange, paced by its consumer. */
export class CopyOutOperation implements Operation {
  readonly sql: string;
  private readonly completion = deferred<void>();
  private context: OperationContext | null = null;
  private readonly chunks = new PacedQueue<Buffer>(HIGH_WATER_BYTES, (chunk) => chunk.length);
  private finished = false;
  /** CommandComplete or an error arrived: nothing left to cancel (see QueryOperation.requestCancel). */
  private statementEnded = false;
  private abandoned = false;
  private error: Error | null = null;
  private cancelSent: Promise<void> | undefined;
  rowCount: number | null = null;

  constructor(sql: string) {
    this.sql = sql;
  }

  start(context: OperationContext): void {
    this.context = context;
    this.chunks.attach({ pause: () => context.pauseReading(), resume: () => context.resumeReading() });
    void context.send(context.writer.query(this.sql).flush()).catch(() => {});
  }

  handleMessage(tag: number, buffer: Buffer, start: number, end: number): boolean {
    switch (tag) {
      case BackendTag.CopyData:
        // A copy: the socket's read buffer is reused once this message was handled.
        if (!this.abandoned) this.chunks.push(Buffer.from(buffer.subarray(start, end)));
        return false;
      case BackendTag.CopyOutResponse:
      case BackendTag.CopyDone:
      case BackendTag.RowDescription:
      case BackendTag.DataRow:
        return false;
      case BackendTag.CommandComplete:
        this.statementEnded = true;
        this.rowCount = rowCountOfCommandTag(parseCommandTag(buffer, start, end));
        return false;
      case BackendTag.ErrorResponse:
        this.statementEnded = true;
        this.error ??= new HyperError(parseServerMessageFields(buffer, start, end)).withStatement(this.sql);
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
      case BackendTag.ReadyForQuery:
        this.finish();
        return true;
      default:
        throw new ProtocolError(`unexpected message ${describeTag(tag)} during COPY TO STDOUT`);
    }
  }

  fail(error: Error): void {
    this.error ??= error;
    this.finish();
  }

  settled(): Promise<void> | undefined {
    return this.cancelSent;
  }

  stream(signal?: AbortSignal): CopyOutStream {
    const operation = this;
    let claimed = false;
    if (signal !== undefined) {
      const onAbort = () => operation.requestCancel();
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    }
    return {
      get rowCount() {
        return operation.rowCount;
      },
      cancel: () => operation.abandon(),
      [Symbol.asyncIterator]: async function* () {
        if (claimed) throw new UsageError("a COPY result can be read only once");
        claimed = true;
        let completed = false;
        try {
          for (;;) {
            const chunk = await operation.next();
            if (chunk === null) break;
            yield chunk;
          }
          completed = true;
        } finally {
          if (!completed) await operation.abandon();
        }
      },
    };
  }

  private next(): Promise<Buffer | null> {
    return this.chunks.next();
  }

  private requestCancel(): void {
    if (this.finished || this.statementEnded || this.context === null) return;
    this.cancelSent ??= this.context.requestCancel();
  }

  private async abandon(): Promise<void> {
    this.chunks.discard();
    if (this.finished) return;
    this.abandoned = true;
    if (this.context !== null && !this.context.inTransaction) {
      await cancelAfterGrace(this.completion.promise, () => this.requestCancel());
    }
    await this.completion.promise;
    await this.cancelSent;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.chunks.end(this.abandoned ? null : this.error);
    this.completion.resolve();
  }
}
