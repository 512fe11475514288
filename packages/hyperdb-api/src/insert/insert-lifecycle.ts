import { UsageError } from "@hyperdb-ts/hyperdb-api-core";
import type { CopySession } from "./copy-session.ts";

type InserterState = "open" | "executing" | "executed" | "cancelled" | "failed";

/** What the lifecycle needs from the inserter that owns it. */
export interface InsertLifecycleOwner {
  /** The COPY, once the inserter opened it. */
  session(): CopySession | null;
  /** Drops whatever the inserter buffered; called when it is cancelled or fails. */
  discardBuffered(): void;
}

/**
 * The life of an inserter, shared by `Inserter` and `ArrowInserter`: open → executing →
 * executed, or cancelled/failed. A cancel, an aborted signal or an error ends the COPY with
 * CopyFail; afterwards every call reports why the inserter stopped.
 */
export class InsertLifecycle {
  private readonly owner: InsertLifecycleOwner;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort: (() => void) | undefined;
  private state: InserterState = "open";
  private stopReason: Error | null = null;
  private executeCalled = false;

  constructor(owner: InsertLifecycleOwner, signal: AbortSignal | undefined) {
    this.owner = owner;
    this.signal = signal;
    if (signal !== undefined) {
      if (signal.aborted) {
        this.stop("cancelled", cancelledError(signal.reason));
      } else {
        this.onAbort = () => void this.abandon(abortMessage(signal.reason), signal.reason).catch(() => {});
        signal.addEventListener("abort", this.onAbort, { once: true });
      }
    }
  }

  /** Throws unless rows may still be added: the reason it stopped, or a UsageError. */
  assertOpen(): void {
    if (this.state === "open") {
      const failure = this.owner.session()?.failure;
      if (failure === null || failure === undefined) return;
      this.stop("failed", failure);
    }
    this.throwIfStopped();
    if (this.state === "executing") throw new UsageError("execute() is running on this inserter");
    if (this.state === "executed") throw new UsageError("this inserter was executed; create a new one");
  }

  /** Throws the reason the inserter stopped (a cancel, the COPY's error), if it did. */
  throwIfStopped(): void {
    if (this.stopReason !== null) throw this.stopReason;
    const failure = this.owner.session()?.failure;
    if (failure !== null && failure !== undefined) {
      this.stop("failed", failure);
      throw failure;
    }
  }

  /**
   * Runs `execute()`: `waitForEarlier` (after the second-call check, before the state check),
   * then, when `hasData()`, `sendRest()` and CopyDone. Resolves with the rows loaded.
   */
  async execute(hooks: {
    waitForEarlier?: () => Promise<unknown>;
    hasData: () => boolean;
    sendRest: () => Promise<void>;
  }): Promise<number> {
    if (this.executeCalled) throw new UsageError("execute() was already called on this inserter");
    this.executeCalled = true;
    await hooks.waitForEarlier?.();
    this.assertOpen();
    this.state = "executing";
    try {
      if (!hooks.hasData()) {
        this.state = "executed";
        return 0;
      }
      await hooks.sendRest();
      this.throwIfStopped();
      const count = await this.owner.session()!.end();
      this.state = "executed";
      return count;
    } catch (error) {
      if (this.state === "executing") {
        this.stop("failed", error instanceof Error ? error : new Error(String(error)));
        await this.owner.session()?.abort("the client stopped after an error");
      }
      throw this.stopReason ?? error;
    } finally {
      this.detachSignal();
    }
  }

  /** Cancels the insert (CopyFail if the COPY is open); nothing after `execute()` finished. */
  cancel(reason: string): Promise<void> {
    return this.abandon(reason, undefined);
  }

  /** Cancels unless `execute()` was called. */
  async dispose(): Promise<void> {
    if (!this.executeCalled) await this.cancel("the inserter was disposed without execute()");
  }

  /** Stops the insert because of `cause` (recorded as the cancel's cause) and sends CopyFail. */
  async abandon(reason: string, cause: unknown): Promise<void> {
    if (this.state === "open" || this.state === "executing") {
      const failure = this.owner.session()?.failure ?? null;
      if (failure === null) this.stop("cancelled", cancelledError(cause));
      else this.stop("failed", failure);
    }
    this.detachSignal();
    await this.owner.session()?.abort(reason);
  }

  private stop(state: "cancelled" | "failed", reason: Error): void {
    this.state = state;
    this.stopReason ??= reason;
    this.owner.discardBuffered();
  }

  private detachSignal(): void {
    if (this.onAbort !== undefined) this.signal?.removeEventListener("abort", this.onAbort);
  }
}

function cancelledError(cause: unknown): UsageError {
  return new UsageError("the inserter was cancelled; nothing was loaded", { cause });
}

function abortMessage(reason: unknown): string {
  if (reason instanceof Error) return `aborted by the client: ${reason.message}`;
  return typeof reason === "string" ? `aborted by the client: ${reason}` : "aborted by the client";
}
