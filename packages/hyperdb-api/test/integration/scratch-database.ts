import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { Connection } from "../../src/index.ts";

/** A connection to the test run's hyperd with a fresh database file as its primary database. */
export interface ScratchDatabase {
  readonly connection: Connection;
  /** The temporary folder holding the database file; other files may go there too. */
  readonly directory: string;
  /** Closes the connection and deletes the folder. */
  close(): Promise<void>;
}

/** Creates `<temp>/<prefix>…/<fileName>` and connects to it on the test run's hyperd. */
export async function openScratchDatabase(prefix: string, fileName: string): Promise<ScratchDatabase> {
  const directory = await mkdtemp(join(tmpdir(), prefix));
  const hyperd = inject("hyperd");
  const connection = await Connection.connect({
    endpoint: `${hyperd.host}:${hyperd.port}`,
    database: join(directory, fileName),
    createMode: "CreateIfNotExists",
  });
  return {
    connection,
    directory,
    async close() {
      await connection.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
