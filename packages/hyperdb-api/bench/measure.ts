/** The core's `timed`, plus the bytes a socket moved during the run. */

import { type Timed, timed } from "../../hyperdb-api-core/bench/stats.ts";

export interface Measured<T> extends Timed<T> {
  /** What `socketBytes` grew by during the run. */
  readonly bytes: number;
}

export async function measure<T>(socketBytes: () => number, work: () => Promise<T>): Promise<Measured<T>> {
  const before = socketBytes();
  const run = await timed(work);
  return { ...run, bytes: socketBytes() - before };
}
