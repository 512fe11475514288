/** A promise with its settle functions, for completions driven by protocol messages. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A rejection nobody awaited yet must not crash the process; the owner reports it.
  promise.catch(() => {});
  return { promise, resolve, reject };
}
