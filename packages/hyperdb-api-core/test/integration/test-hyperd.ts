import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { Connection, type ConnectionOptions } from "../../src/index.ts";

/** `host:port` of the hyperd started for this test run. */
export function testEndpoint(): string {
  const hyperd = inject("hyperd");
  return `${hyperd.host}:${hyperd.port}`;
}

/** Opens a session with the test run's hyperd. */
export function connectToTestHyperd(options: Omit<ConnectionOptions, "endpoint"> = {}): Promise<Connection> {
  return Connection.connect({ endpoint: testEndpoint(), ...options });
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A connection with a fresh database file attached, so unqualified table names resolve into it. */
export interface ScratchDatabase {
  readonly connection: Connection;
  readonly path: string;
  readonly alias: string;
  /** Detaches and deletes the database and closes the connection. */
  dispose(): Promise<void>;
}

export async function openScratchDatabase(
  options: Omit<ConnectionOptions, "endpoint"> = {},
): Promise<ScratchDatabase> {
  const directory = await mkdtemp(join(tmpdir(), "hyperdb-core-test-"));
  const path = join(directory, "scratch.hyper");
  const alias = "scratch";
  const connection = await connectToTestHyperd(options);
  await connection.execute(`CREATE DATABASE ${quoteIdentifier(path)}`);
  await connection.execute(`ATTACH DATABASE ${quoteIdentifier(path)} AS ${quoteIdentifier(alias)}`);
  return {
    connection,
    path,
    alias,
    async dispose() {
      if (connection.isOpen) {
        await connection.execute(`DETACH DATABASE ${quoteIdentifier(alias)}`).catch(() => {});
        await connection.close();
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}
