/**
 * When a result is left early (a loop broken after the first rows), the statement has usually
 * ended already or is about to: hyperd answers Sync in a write of its own and the last rows may
 * still be in flight. A cancel request then costs a connection for nothing and can only meet the
 * connection's next statement (hyperd has crashed on such late cancels under load), so the
 * statement gets a moment to end by itself first.
 *
 * @module
 */

/** How long a result left early may take to end by itself before a cancel request is sent. */
export const CANCEL_GRACE_MS = 25;

/** Calls `requestCancel` unless the statement's `completion` settles within the grace. */
export async function cancelAfterGrace(
  completion: Promise<unknown>,
  requestCancel: () => void,
): Promise<void> {
  if (!(await settlesWithin(completion, CANCEL_GRACE_MS))) requestCancel();
}

/** Whether `promise` settles (either way) within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}
