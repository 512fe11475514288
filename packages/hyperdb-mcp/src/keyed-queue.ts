/**
 * Work queued per key: each piece of work starts once the work queued before it under the same
 * key has settled (a failure does not stop what comes after it); work under other keys is not
 * held up. A key with nothing queued takes no memory.
 *
 * @module
 */

/** Queues of work, one per key (see the module documentation). */
export class KeyedQueue {
  /** Per key, the end of the last work queued there. */
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `work` after the work queued under `key` before it; resolves or rejects as `work` does. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
