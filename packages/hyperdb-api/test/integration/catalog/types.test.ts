import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Catalog } from "../../../src/catalog/catalog.ts";
import { SqlType } from "../../../src/catalog/sql-type.ts";
import { TableDefinition } from "../../../src/catalog/table-definition.ts";
import { Connection, HyperError } from "../../../src/index.ts";

let directory: string;
let connection: Connection;
let catalog: Catalog;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-api-catalog-types-"));
  const hyperd = inject("hyperd");
  connection = await Connection.connect({
    endpoint: `${hyperd.host}:${hyperd.port}`,
    database: join(directory, "types.hyper"),
    createMode: "CreateIfNotExists",
  });
  catalog = new Catalog(connection);
});

afterAll(async () => {
  await connection?.close();
  await rm(directory, { recursive: true, force: true });
});

const everyType: Record<string, SqlType> = {
  bool: SqlType.bool(),
  small_int: SqlType.smallInt(),
  int: SqlType.int(),
  big_int: SqlType.bigInt(),
  oid: SqlType.oid(),
  float: SqlType.float(),
  double: SqlType.double(),
  numeric_10_2: SqlType.numeric(10, 2),
  numeric_18_18: SqlType.numeric(18, 18),
  numeric_38_5: SqlType.numeric(38, 5),
  numeric_1_0: SqlType.numeric(1, 0),
  text: SqlType.text(),
  varchar_20: SqlType.varchar(20),
  varchar_1: SqlType.varchar(1),
  char_1: SqlType.char(1),
  char_5: SqlType.char(5),
  bytes: SqlType.bytes(),
  json: SqlType.json(),
  date: SqlType.date(),
  time: SqlType.time(),
  timestamp: SqlType.timestamp(),
  timestamp_tz: SqlType.timestampTz(),
  interval: SqlType.interval(),
  geography: SqlType.geography(),
};

describe("column types", () => {
  it("gives back every SqlType a column was created with", async () => {
    let definition = new TableDefinition("every_type");
    for (const [name, type] of Object.entries(everyType)) definition = definition.addColumn(name, type);
    await catalog.createTable(definition);

    const read = await catalog.getTableDefinition("every_type");
    expect(read.columns.map((column) => column.name)).toEqual(Object.keys(everyType));
    for (const column of read.columns) {
      const expected = everyType[column.name]!;
      expect(column.type.equals(expected), `${column.name}: ${column.type} vs ${expected}`).toBe(true);
      expect(column.type.toString()).toBe(expected.toString());
      expect(column.nullable).toBe(true);
    }
    expect(read.column("numeric_38_5")?.type.precision).toBe(38);
    expect(read.column("numeric_38_5")?.type.scale).toBe(5);
    expect(read.column("varchar_20")?.type.maxLength).toBe(20);
    expect(read.column("char_5")?.type.maxLength).toBe(5);

    // Re-creating from the definition read back gives the same table.
    const copy = new TableDefinition("every_type_copy", read.columns);
    await catalog.createTable(copy);
    const copied = await catalog.getTableDefinition("every_type_copy");
    expect(copied.columns).toEqual(read.columns);
  });

  it("stores bare VARCHAR as TEXT", async () => {
    await catalog.createTable(new TableDefinition("bare_varchar").addColumn("v", SqlType.varchar()));
    const read = await catalog.getTableDefinition("bare_varchar");
    expect(read.columns[0]?.type.equals(SqlType.text())).toBe(true);
  });

  it("keeps nullability and collations", async () => {
    const definition = new TableDefinition("nullability")
      .addColumn("required", SqlType.int(), { nullable: false })
      .addColumn("optional", SqlType.int())
      .addColumn("german", SqlType.text(), { collation: "de_CI", nullable: false })
      .addColumn("plain", SqlType.varchar(3));
    await catalog.createTable(definition);
    const read = await catalog.getTableDefinition("nullability");
    expect(read.columns).toEqual(definition.columns);
    expect(read.name.toString()).toBe('"public"."nullability"');
    expect(read.temporary).toBe(false);
    await connection.execute("INSERT INTO nullability VALUES (1, NULL, 'x', NULL)");
    await expect(
      connection.execute("INSERT INTO nullability VALUES (NULL::int, 1, 'x', 'y')"),
    ).rejects.toBeInstanceOf(HyperError);
  });
});
