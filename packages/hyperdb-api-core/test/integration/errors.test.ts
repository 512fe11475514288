import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HyperError, InvalidArgumentError, SqlState } from "../../src/index.ts";
import { openScratchDatabase, type ScratchDatabase } from "./test-hyperd.ts";

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the operation to fail");
    },
    (error: unknown) => error,
  );
}

describe("bad input gets a typed error and leaves the connection usable", () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    db = await openScratchDatabase();
  });

  afterAll(async () => {
    await db.dispose();
  });

  async function stillWorks(): Promise<void> {
    expect((await db.connection.query("SELECT 'ok'").all()).rows).toEqual([["ok"]]);
    expect(db.connection.transactionStatus).toBe("idle");
  }

  it("bad SQL: 42601 with the position of the mistake", async () => {
    const error = await errorOf(db.connection.query("SELEC 1").all());
    expect(error).toBeInstanceOf(HyperError);
    const hyperError = error as HyperError;
    expect(hyperError.sqlstate).toBe(SqlState.syntaxError);
    expect(hyperError.position).toBe(1);
    expect(hyperError.severity).toBe("ERROR");
    expect(hyperError.fields.C).toBe("42601");
    expect(hyperError.origin).toBe("User");
    await stillWorks();
  });

  it("keeps the failed SQL and parameters off the enumerable properties", async () => {
    const error = (await errorOf(
      db.connection.query("SELECT $1::int / 0", { params: [5] }).all(),
    )) as HyperError;
    expect(error.sqlstate).toBe(SqlState.divisionByZero);
    expect(error.query).toBe("SELECT $1::int / 0");
    expect(error.parameters).toEqual([5]);
    expect(Object.keys(error)).not.toContain("query");
    expect(JSON.stringify(error)).not.toContain("SELECT");
    await stillWorks();
  });

  it("unknown table: 42P01", async () => {
    const error = await errorOf(db.connection.query("SELECT * FROM no_such_table").all());
    expect(error).toMatchObject({ code: "HYPER_ERROR", sqlstate: SqlState.undefinedTable });
    expect((error as Error).message).toContain("no_such_table");
    await stillWorks();
  });

  it("two statements in one query: refused by both protocols", async () => {
    // The extended protocol parses exactly one statement (42601); simple queries say 0A000.
    await expect(db.connection.query("SELECT 1; SELECT 2").all()).rejects.toMatchObject({
      sqlstate: SqlState.syntaxError,
    });
    await expect(db.connection.execute("SELECT 1; SELECT 2")).rejects.toMatchObject({
      sqlstate: SqlState.featureNotSupported,
    });
    await stillWorks();
  });

  it("too few parameters for the placeholders", async () => {
    const error = await errorOf(db.connection.query("SELECT $1::int, $2::int", { params: [1] }).all());
    expect(error).toBeInstanceOf(HyperError);
    await stillWorks();
  });

  it("too many parameters for the placeholders", async () => {
    const error = await errorOf(db.connection.query("SELECT $1::int", { params: [1, 2] }).all());
    expect(error).toBeInstanceOf(HyperError);
    await stillWorks();
  });

  it("a parameter of an unsupported JS type is refused before anything is sent", async () => {
    expect(() => db.connection.query("SELECT $1", { params: [{ nested: true } as never] })).toThrow(
      InvalidArgumentError,
    );
    expect(() => db.connection.query("SELECT $1::int", { params: [1.5], paramTypes: [23] })).toThrow(
      InvalidArgumentError,
    );
    await stillWorks();
  });

  it("an error inside a transaction fails it (25P02) until ROLLBACK", async () => {
    await db.connection.execute("BEGIN");
    expect(db.connection.transactionStatus).toBe("transaction");
    await expect(db.connection.execute("SELECT 1/0")).rejects.toMatchObject({
      sqlstate: SqlState.divisionByZero,
    });
    expect(db.connection.transactionStatus).toBe("failed");
    await expect(db.connection.execute("SELECT 1")).rejects.toMatchObject({
      sqlstate: SqlState.inFailedTransaction,
    });
    await db.connection.execute("ROLLBACK");
    await stillWorks();
  });

  it("a malformed COPY row: 22P04 and nothing loaded", async () => {
    await db.connection.execute("CREATE TABLE copy_target (id INT NOT NULL, name TEXT)");
    const writer = await db.connection.copyIn("COPY copy_target FROM STDIN WITH (FORMAT csv)");
    await writer.write(Buffer.from("1,one\nnot-a-number,two\n"));
    const error = await errorOf(writer.end());
    expect(error).toBeInstanceOf(HyperError);
    expect((await db.connection.query("SELECT count(*) FROM copy_target").all()).rows).toEqual([[0n]]);
    await stillWorks();
  });

  it("a HyperBinary stream without its header: 22P04", async () => {
    const writer = await db.connection.copyIn("COPY copy_target FROM STDIN WITH (FORMAT hyperbinary)");
    await writer.write(Buffer.from([1, 0, 0, 0, 1]));
    await expect(writer.end()).rejects.toMatchObject({ sqlstate: SqlState.badCopyFileFormat });
    await stillWorks();
  });

  it("COPY FROM STDIN through query() is refused with CopyFail, not a hang", async () => {
    const error = await errorOf(db.connection.query("COPY copy_target FROM STDIN WITH (FORMAT csv)").all());
    expect(error).toBeInstanceOf(HyperError);
    await stillWorks();
  });
});
