import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ByteWriter,
  type Connection,
  type CopyColumn,
  HyperBinaryRowEncoder,
  HyperError,
  numericTypmod,
  SqlState,
  TypeOid,
  UsageError,
} from "../../src/index.ts";
import { openScratchDatabase, type ScratchDatabase } from "./test-hyperd.ts";

const MIB = 1024 * 1024;

/** `HPRCPY` and 13 zero bytes, spelled out here rather than taken from the encoder under test. */
const HEADER = Buffer.from(`485052435059${"00".repeat(13)}`, "hex");

/** Rows (30,'thirty',30.30) and (31,NULL,NULL) of `id INT NOT NULL, name TEXT, amount NUMERIC(10,2)`. */
const EXAMPLE_ROWS = Buffer.from(
  "1e000000" + "00" + "06000000" + "746869727479" + "00" + "d60b000000000000" + "1f000000" + "01" + "01",
  "hex",
);
const EXAMPLE_STREAM = Buffer.concat([HEADER, EXAMPLE_ROWS]);
const EXAMPLE_DDL = "(id INT NOT NULL, name TEXT, amount NUMERIC(10,2))";

const int4 = { oid: TypeOid.int4, typmod: -1 };
const int8 = { oid: TypeOid.int8, typmod: -1 };
const text = { oid: TypeOid.text, typmod: -1 };
const bytea = { oid: TypeOid.bytea, typmod: -1 };

async function collect(stream: AsyncIterable<Buffer>): Promise<{ data: Buffer; chunks: number }> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return { data: Buffer.concat(parts), chunks: parts.length };
}

/** Deterministic pseudo-random bytes (xorshift32), so a failure is reproducible. */
function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

describe("COPY", () => {
  let db: ScratchDatabase;
  let connection: Connection;

  beforeAll(async () => {
    db = await openScratchDatabase();
    connection = db.connection;
  });

  afterAll(async () => {
    await db.dispose();
  });

  async function rows(sql: string): Promise<unknown[][]> {
    return (await connection.query(sql).all()).rows;
  }

  async function expectUsable(): Promise<void> {
    expect(connection.transactionStatus).toBe("idle");
    expect(await rows("SELECT 'still usable'")).toEqual([["still usable"]]);
    expect(connection.transactionStatus).toBe("idle");
  }

  async function copyIn(sql: string, ...chunks: (string | Uint8Array)[]): Promise<number> {
    const writer = await connection.copyIn(sql);
    for (const chunk of chunks) await writer.write(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    return writer.end();
  }

  it("loads the worked HyperBinary example and COPY TO STDOUT emits the same bytes", async () => {
    await connection.execute(`CREATE TABLE example ${EXAMPLE_DDL}`);
    expect(await copyIn("COPY example FROM STDIN WITH (FORMAT hyperbinary)", EXAMPLE_STREAM)).toBe(2);
    expect(await rows("SELECT id, name, amount FROM example ORDER BY id")).toEqual([
      [30, "thirty", "30.30"],
      [31, null, null],
    ]);

    const out = connection.copyOut(
      "COPY (SELECT id, name, amount FROM example ORDER BY id) TO STDOUT WITH (FORMAT hyperbinary)",
    );
    const { data } = await collect(out);
    expect(data.toString("hex")).toBe(EXAMPLE_STREAM.toString("hex"));
    expect(out.rowCount).toBe(2);
  });

  it("loads rows split across 7-byte CopyData messages", async () => {
    await connection.execute(`CREATE TABLE example_split ${EXAMPLE_DDL}`);
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < EXAMPLE_STREAM.length; offset += 7) {
      pieces.push(EXAMPLE_STREAM.subarray(offset, offset + 7));
    }
    expect(pieces.length).toBeGreaterThan(5);
    expect(await copyIn("COPY example_split FROM STDIN WITH (FORMAT hyperbinary)", ...pieces)).toBe(2);
    expect(await rows("SELECT id, name, amount FROM example_split ORDER BY id")).toEqual([
      [30, "thirty", "30.30"],
      [31, null, null],
    ]);
  });

  it("loads nothing from a header-only stream", async () => {
    await connection.execute(`CREATE TABLE example_empty ${EXAMPLE_DDL}`);
    expect(await copyIn("COPY example_empty FROM STDIN WITH (FORMAT hyperbinary)", HEADER)).toBe(0);
    expect(await rows("SELECT count(*) FROM example_empty")).toEqual([[0n]]);
  });

  it("loads rows encoded by HyperBinaryRowEncoder through a column list", async () => {
    await connection.execute(`CREATE TABLE encoded ${EXAMPLE_DDL}`);
    const columns: CopyColumn[] = [
      { name: "amount", type: { oid: TypeOid.numeric, typmod: numericTypmod(10, 2) }, nullable: true },
      { name: "id", type: int4, nullable: false },
    ];
    const encoder = new HyperBinaryRowEncoder(columns);
    const out = new ByteWriter();
    encoder.writeHeader(out);
    encoder.encodeRow(["-0.05", 1], out);
    encoder.encodeRow([null, 2], out);
    encoder.encodeRow([12_345_678.9, 3], out);
    expect(() => encoder.encodeRow(["1", null], out)).toThrow(/column "id"/);
    expect(
      await copyIn("COPY encoded (amount, id) FROM STDIN WITH (FORMAT hyperbinary)", out.toBuffer()),
    ).toBe(3);
    expect(await rows("SELECT id, name, amount FROM encoded ORDER BY id")).toEqual([
      [1, null, "-0.05"],
      [2, null, null],
      [3, null, "12345678.90"],
    ]);
  });

  describe("text formats", () => {
    beforeAll(async () => {
      await connection.execute("CREATE TABLE csv_target (id INT NOT NULL, name TEXT, amount NUMERIC(10,2))");
    });

    async function loadFresh(sql: string, data: string): Promise<number> {
      await connection.execute("TRUNCATE csv_target");
      return copyIn(sql, data);
    }

    it("loads CSV without and with a header line", async () => {
      const body = '1,plain,1.50\n2,,\n3,"quoted, with comma",-0.05\n4,"say ""hi""",0\n';
      const expected = [
        [1, "plain", "1.50"],
        [2, null, null],
        [3, "quoted, with comma", "-0.05"],
        [4, 'say "hi"', "0.00"],
      ];
      expect(await loadFresh("COPY csv_target FROM STDIN WITH (FORMAT csv)", body)).toBe(4);
      expect(await rows("SELECT * FROM csv_target ORDER BY id")).toEqual(expected);

      expect(
        await loadFresh("COPY csv_target FROM STDIN WITH (FORMAT csv, HEADER)", `id,name,amount\n${body}`),
      ).toBe(4);
      expect(await rows("SELECT * FROM csv_target ORDER BY id")).toEqual(expected);
    });

    it("loads the text format with \\N for NULL", async () => {
      const body = "1\tone\t1.00\n2\t\\N\t\\N\n3\ttab\\there\t-2.50\n";
      expect(await loadFresh("COPY csv_target FROM STDIN WITH (FORMAT text)", body)).toBe(3);
      expect(await rows("SELECT * FROM csv_target ORDER BY id")).toEqual([
        [1, "one", "1.00"],
        [2, null, null],
        [3, "tab\there", "-2.50"],
      ]);
    });

    it("loads only the listed columns; the others become NULL", async () => {
      expect(
        await loadFresh("COPY csv_target (id, name) FROM STDIN WITH (FORMAT csv)", "7,seven\n8,eight\n"),
      ).toBe(2);
      expect(await rows("SELECT * FROM csv_target ORDER BY id")).toEqual([
        [7, "seven", null],
        [8, "eight", null],
      ]);
    });
  });

  it("round-trips an Arrow stream from COPY TO into another table", async () => {
    const ddl =
      "(id INT NOT NULL, name TEXT, amount NUMERIC(10,2), even BOOLEAN, ratio DOUBLE PRECISION, day DATE, at TIMESTAMP)";
    await connection.execute(`CREATE TABLE arrow_source ${ddl}`);
    await connection.execute(`CREATE TABLE arrow_target ${ddl}`);
    await connection.execute(
      `INSERT INTO arrow_source SELECT x, CASE WHEN x % 5 = 0 THEN NULL ELSE 'name-' || x END,
         (x * 1.25)::numeric(10,2), x % 2 = 0, CASE WHEN x % 3 = 0 THEN NULL ELSE x / 7.0::double precision END,
         DATE '2024-01-01' + x, TIMESTAMP '2000-01-01 00:00:00' + x * INTERVAL '1 second'
       FROM generate_series(1, 5000) t(x)`,
    );
    const out = connection.copyOut(
      "COPY (SELECT * FROM arrow_source ORDER BY id) TO STDOUT WITH (FORMAT arrowstream)",
    );
    const { data } = await collect(out);
    expect(out.rowCount).toBe(5000);
    // An Arrow IPC stream starts with the continuation marker of its schema message.
    expect(data.readUInt32LE(0)).toBe(0xffffffff);

    expect(await copyIn("COPY arrow_target FROM STDIN WITH (FORMAT arrowstream)", data)).toBe(5000);
    const source = await rows("SELECT * FROM arrow_source ORDER BY id");
    const target = await rows("SELECT * FROM arrow_target ORDER BY id");
    expect(target.length).toBe(5000);
    expect(target).toEqual(source);
    expect(target[4]).toEqual([5, null, "6.25", false, 5 / 7, expect.anything(), expect.anything()]);
    expect(String(target[4]?.[5])).toBe("2024-01-06");
    expect(String(target[4]?.[6])).toBe("2000-01-01 00:00:05");
  });

  it("abort after 24 MiB of valid rows loads nothing and leaves the connection idle", async () => {
    await connection.execute("CREATE TABLE aborted (id BIGINT NOT NULL, payload TEXT NOT NULL)");
    const encoder = new HyperBinaryRowEncoder([
      { name: "id", type: int8, nullable: false },
      { name: "payload", type: text, nullable: false },
    ]);
    const chunk = new ByteWriter(9 * MIB);
    const payload = "p".repeat(1000);
    let rowsPerChunk = 0;
    while (chunk.length < 8 * MIB) encoder.encodeRow([BigInt(rowsPerChunk++), payload], chunk);
    const bytes = chunk.toBuffer();

    // Control: the same bytes do load when the COPY is ended instead of aborted.
    expect(await copyIn("COPY aborted FROM STDIN WITH (FORMAT hyperbinary)", HEADER, bytes)).toBe(
      rowsPerChunk,
    );
    await connection.execute("TRUNCATE aborted");

    const writer = await connection.copyIn("COPY aborted FROM STDIN WITH (FORMAT hyperbinary)");
    await writer.write(HEADER);
    for (let i = 0; i < 3; i++) await writer.write(bytes);
    await writer.abort("test abort");
    await expect(writer.write(bytes)).rejects.toBeInstanceOf(UsageError);
    await expect(writer.end()).rejects.toBeInstanceOf(UsageError);
    await writer.abort(); // harmless a second time
    expect(await rows("SELECT count(*) FROM aborted")).toEqual([[0n]]);
    await expectUsable();
  });

  it("a HyperBinary row missing a column fails with 22P04 and loads nothing", async () => {
    await connection.execute("CREATE TABLE shape (id INT NOT NULL, name TEXT NOT NULL, n INT NOT NULL)");
    const full = new HyperBinaryRowEncoder([
      { name: "id", type: int4, nullable: false },
      { name: "name", type: text, nullable: false },
      { name: "n", type: int4, nullable: false },
    ]);
    const short = new HyperBinaryRowEncoder([
      { name: "id", type: int4, nullable: false },
      { name: "name", type: text, nullable: false },
    ]);
    const out = new ByteWriter();
    full.writeHeader(out);
    full.encodeRow([1, "complete", 10], out);
    short.encodeRow([2, "no n"], out);

    const writer = await connection.copyIn("COPY shape FROM STDIN WITH (FORMAT hyperbinary)");
    const outcome = await writer
      .write(out.toBuffer())
      .then(() => writer.end())
      .then(
        (count) => new Error(`expected the COPY to fail, it loaded ${count} rows`),
        (error: unknown) => error,
      );
    expect(outcome).toBeInstanceOf(HyperError);
    expect((outcome as HyperError).sqlstate).toBe(SqlState.badCopyFileFormat);
    expect(await rows("SELECT count(*) FROM shape")).toEqual([[0n]]);
    await expectUsable();
  });

  it("reassembles 100k rows of CSV with a header from COPY TO STDOUT", async () => {
    const count = 100_000;
    const out = connection.copyOut(
      `COPY (SELECT x AS id, 'row-' || x AS label, CASE WHEN x % 10 = 0 THEN NULL ELSE x * 0.5 END AS half
             FROM generate_series(1, ${count}) t(x) ORDER BY x) TO STDOUT WITH (FORMAT csv, HEADER)`,
    );
    const { data, chunks } = await collect(out);
    const lines = ["id,label,half"];
    for (let x = 1; x <= count; x++) {
      lines.push(`${x},row-${x},${x % 10 === 0 ? "" : (x / 2).toFixed(1)}`);
    }
    const expected = `${lines.join("\n")}\n`;
    expect(chunks).toBeGreaterThan(1);
    expect(data.length).toBe(Buffer.byteLength(expected));
    expect(data.toString("utf8") === expected).toBe(true);
    expect(out.rowCount).toBe(count);
  });

  it("leaving a COPY TO STDOUT loop early stops the copy and leaves the connection usable", async () => {
    const started = performance.now();
    let received = 0;
    const out = connection.copyOut(
      "COPY (SELECT x, 'some text ' || x FROM generate_series(1, 200000000) t(x)) TO STDOUT WITH (FORMAT csv)",
    );
    for await (const chunk of out) {
      received += chunk.length;
      if (received > 1024) break;
    }
    expect(received).toBeGreaterThan(1024);
    await expectUsable();
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("moves a 1 MiB text and a 1 MiB bytea value through COPY IN and OUT", async () => {
    await connection.execute("CREATE TABLE big_value (id INT NOT NULL, body TEXT, blob BYTEA)");
    const blob = pseudoRandomBytes(MIB, 0x9e3779b9);
    // 1 MiB of text mixing 1- to 4-byte UTF-8 characters.
    const body = "aé✓🎉".repeat(MIB / 5).padEnd(MIB, "z");
    expect(body.length).toBe(MIB);
    const encoder = new HyperBinaryRowEncoder([
      { name: "id", type: int4, nullable: false },
      { name: "body", type: text, nullable: true },
      { name: "blob", type: bytea, nullable: true },
    ]);
    const out = new ByteWriter();
    encoder.writeHeader(out);
    encoder.encodeRow([1, body, blob], out);
    const stream = out.toBuffer();
    expect(stream.length).toBeGreaterThan(2 * MIB);
    expect(await copyIn("COPY big_value FROM STDIN WITH (FORMAT hyperbinary)", stream)).toBe(1);

    const [row] = await rows("SELECT id, body, blob FROM big_value");
    expect(row?.[0]).toBe(1);
    expect(row?.[1] === body).toBe(true);
    expect(Buffer.from(row?.[2] as Uint8Array).equals(blob)).toBe(true);

    const copied = await collect(
      connection.copyOut("COPY (SELECT id, body, blob FROM big_value) TO STDOUT WITH (FORMAT hyperbinary)"),
    );
    expect(copied.data.equals(stream)).toBe(true);
  });
});
