// Minimal local typing of pg-copy-streams (only what the benchmark uses), so that no
// @types package is needed.
declare module "pg-copy-streams" {
  import type { Writable } from "node:stream";
  import type { Submittable } from "pg";

  export interface CopyStreamQuery extends Writable, Submittable {
    /** Rows loaded, from the CommandComplete tag, once the stream has finished. */
    rowCount: number;
  }

  /** `COPY … FROM STDIN`: a Writable of raw COPY data; `finish` fires once the server committed. */
  export function from(text: string): CopyStreamQuery;
}
