/**
 * Progress notifications of long tool calls (`notifications/progress`).
 *
 * A client asks for progress by sending a `progressToken` in the request's `_meta`; without one
 * nothing is ever sent. A reporter stays quiet during the first second of the call (fast calls
 * send nothing), then sends at most one notification per {@link MIN_INTERVAL_MS} (the final one,
 * progress reaching total, always goes), only with a
 * progress value higher than the last one sent (the protocol wants it to increase), and never
 * throws: a notification that cannot be sent is simply dropped.
 *
 * {@link ProgressReporter.heartbeat} covers a single long statement (a COPY, a CREATE TABLE AS)
 * whose progress cannot be measured: while it runs, the elapsed seconds are reported.
 *
 * @module
 */

/** What a reporter needs of the handler's context (the SDK's `ServerContext` has it). */
export interface ProgressContext {
  readonly mcpReq: {
    readonly _meta?: { readonly progressToken?: string | number | undefined } | undefined;
    readonly notify: (notification: {
      method: "notifications/progress";
      params: { progressToken: string | number; progress: number; total?: number; message?: string };
    }) => Promise<void>;
  };
}

/** Sends the progress of one tool call. */
export interface ProgressReporter {
  /** Reports `progress` (of `total`, when known); dropped when too early, too soon or not higher. */
  report(progress: number, total?: number, message?: string): void;
  /** Awaits `work`, reporting the elapsed seconds about every second while it runs. */
  heartbeat<T>(work: Promise<T>, message: string): Promise<T>;
  /**
   * Resolves when every notification sent so far has gone out (or failed), and at least
   * {@link ANSWER_GAP_MS} after the last one.
   */
  settled(): Promise<void>;
}

/** Nothing is sent before the call has run this long. */
export const QUIET_START_MS = 1_000;
/** Least time between two notifications. */
export const MIN_INTERVAL_MS = 250;
/** How often a heartbeat reports while its statement runs. */
export const HEARTBEAT_INTERVAL_MS = 1_000;
/**
 * Least time between the last notification and the answer. The official TypeScript client hands
 * a notification to its handler one microtask later than a response, and forgets a call's
 * progress handler when its response arrives: a notification read in the same chunk as the
 * response is dropped as one for an unknown token. A short gap keeps the two apart.
 */
export const ANSWER_GAP_MS = 100;

/** A reporter that sends nothing (no client token, or a caller without a context). */
export const SILENT_PROGRESS: ProgressReporter = {
  report: () => undefined,
  heartbeat: (work) => work,
  settled: async () => undefined,
};

/**
 * Runs a tool call with the reporter of `ctx`, and answers only after its notifications went
 * out: a client stops listening for a call's progress once it has the answer, so the last step
 * must not be overtaken by the result.
 */
export async function withProgress<T>(
  ctx: ProgressContext | undefined,
  run: (progress: ProgressReporter) => Promise<T>,
): Promise<T> {
  const progress = progressReporter(ctx);
  try {
    return await run(progress);
  } finally {
    await progress.settled();
  }
}

/** The reporter of the call whose handler context is `ctx`; `now` is for tests. */
export function progressReporter(
  ctx: ProgressContext | undefined,
  now: () => number = () => performance.now(),
): ProgressReporter {
  const token = ctx?.mcpReq._meta?.progressToken;
  if (ctx === undefined || token === undefined) {
    return SILENT_PROGRESS;
  }
  const started = now();
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let lastProgress = Number.NEGATIVE_INFINITY;
  let sending: Promise<void> = Promise.resolve();
  const report = (progress: number, total?: number, message?: string): void => {
    const at = now();
    // The last step (progress reaching total) is never held back by the rate limit.
    const last = total !== undefined && progress >= total;
    if (at - started < QUIET_START_MS || (!last && at - lastSentAt < MIN_INTERVAL_MS)) return;
    if (!Number.isFinite(progress) || progress <= lastProgress) return;
    lastSentAt = at;
    lastProgress = progress;
    const params: { progressToken: string | number; progress: number; total?: number; message?: string } = {
      progressToken: token,
      progress,
    };
    if (total !== undefined && Number.isFinite(total)) params.total = total;
    if (message !== undefined) params.message = message;
    try {
      const sent = ctx.mcpReq.notify({ method: "notifications/progress", params }).catch(() => undefined);
      sending = Promise.all([sending, sent]).then(() => undefined);
    } catch {
      // A closed transport may throw synchronously; progress is best effort.
    }
  };
  const heartbeat = async <T>(work: Promise<T>, message: string): Promise<T> => {
    const timer = setInterval(() => {
      const seconds = Math.round((now() - started) / 1000);
      report(seconds, undefined, `${message} (${seconds} s)`);
    }, HEARTBEAT_INTERVAL_MS);
    try {
      return await work;
    } finally {
      clearInterval(timer);
    }
  };
  const settled = async (): Promise<void> => {
    await sending;
    const gap = lastSentAt + ANSWER_GAP_MS - now();
    if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
  };
  return { report, heartbeat, settled };
}
