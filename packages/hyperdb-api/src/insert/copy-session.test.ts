import { HyperError, UsageError } from "@hyperdb-ts/hyperdb-api-core";
import { describe, expect, it } from "vitest";
import type { Connection } from "../connection/connection.ts";
import { CopySession } from "./copy-session.ts";

/** Two turns of the event loop: the session takes one between chunks. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** A CopyInWriter stand-in that logs calls and lets the test decide when each write finishes. */
class FakeCopy {
  readonly log: string[] = [];
  readonly writes: { chunk: string; finish: (error?: Error) => void }[] = [];
  opened = 0;

  connection(openError?: Error): Connection {
    const core = {
      copyIn: async (sql: string) => {
        this.opened++;
        this.log.push(`open ${sql}`);
        if (openError !== undefined) throw openError;
        return this.writer;
      },
    };
    return { core } as unknown as Connection;
  }

  private readonly writer = {
    write: (data: Uint8Array): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const chunk = Buffer.from(data).toString();
        this.log.push(`write ${chunk}`);
        this.writes.push({ chunk, finish: (error) => (error === undefined ? resolve() : reject(error)) });
      }),
    end: async (): Promise<number> => {
      this.log.push("end");
      return 42;
    },
    abort: async (reason: string): Promise<void> => {
      this.log.push(`abort ${reason}`);
    },
  };

  /** Finishes the pending write and lets the session move on. */
  async finishWrite(error?: Error): Promise<void> {
    const write = this.writes.shift();
    if (write === undefined) throw new Error("no write pending");
    write.finish(error);
    await settle();
  }
}

describe("CopySession", () => {
  it("opens on the first chunk and writes chunks in order, one at a time", async () => {
    const fake = new FakeCopy();
    const session = new CopySession(fake.connection(), "COPY t");
    expect(session.started).toBe(false);
    session.send(Buffer.from("a"));
    session.send(Buffer.from("b"));
    session.send(Buffer.from("c"));
    await settle();
    expect(fake.log).toEqual(["open COPY t", "write a"]);
    expect(session.waitingChunks).toBe(2);
    let roomy = false;
    const room = session.waitForRoom().then(() => {
      roomy = true;
    });
    await fake.finishWrite();
    expect(fake.log).toEqual(["open COPY t", "write a", "write b"]);
    expect(roomy).toBe(false);
    await fake.finishWrite();
    await room;
    expect(roomy).toBe(true);
    await fake.finishWrite();
    expect(await session.end()).toBe(42);
    expect(fake.log).toEqual(["open COPY t", "write a", "write b", "write c", "end"]);
    expect(fake.opened).toBe(1);
    await expect(session.end()).rejects.toBeInstanceOf(UsageError);
  });

  it("ends an empty COPY by opening it", async () => {
    const fake = new FakeCopy();
    const session = new CopySession(fake.connection(), "COPY t");
    expect(await session.end()).toBe(42);
    expect(fake.log).toEqual(["open COPY t", "end"]);
  });

  it("lets the chunk in flight finish before CopyFail and drops the rest", async () => {
    const fake = new FakeCopy();
    const session = new CopySession(fake.connection(), "COPY t");
    session.send(Buffer.from("a"));
    session.send(Buffer.from("b"));
    await settle();
    const aborted = session.abort("stop");
    await settle();
    expect(fake.log).toEqual(["open COPY t", "write a"]);
    await fake.finishWrite();
    await aborted;
    expect(fake.log).toEqual(["open COPY t", "write a", "abort stop"]);
    session.send(Buffer.from("late"));
    await session.abort("again");
    expect(fake.log).toHaveLength(3);
  });

  it("keeps the first error and reports it from drain and waitForRoom", async () => {
    const fake = new FakeCopy();
    const session = new CopySession(fake.connection(), "COPY t");
    session.send(Buffer.from("a"));
    session.send(Buffer.from("b"));
    await settle();
    const failure = new HyperError({ S: "ERROR", C: "22P04", M: "bad data" });
    const room = session.waitForRoom().catch((error: unknown) => error);
    await fake.finishWrite(failure);
    expect(await room).toBe(failure);
    await expect(session.drain()).rejects.toBe(failure);
    expect(session.failure).toBe(failure);
    expect(fake.log).toEqual(["open COPY t", "write a", "abort the client stopped after an error"]);
    await expect(session.end()).rejects.toBe(failure);
  });

  it("reports a COPY statement the server refuses", async () => {
    const fake = new FakeCopy();
    const refused = new HyperError({ S: "ERROR", C: "42P01", M: "no such table" });
    const session = new CopySession(fake.connection(refused), "COPY t");
    session.send(Buffer.from("a"));
    await expect(session.drain()).rejects.toBe(refused);
  });

  it("does not send CopyFail once CopyDone is on its way", async () => {
    const fake = new FakeCopy();
    const session = new CopySession(fake.connection(), "COPY t");
    const ended = session.end();
    await session.abort("too late");
    expect(await ended).toBe(42);
    expect(fake.log).toEqual(["open COPY t", "end"]);
  });
});
