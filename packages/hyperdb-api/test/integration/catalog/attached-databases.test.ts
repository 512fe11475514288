import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Catalog } from "../../../src/catalog/catalog.ts";
import { SchemaName, TableName } from "../../../src/catalog/names.ts";
import { SqlType } from "../../../src/catalog/sql-type.ts";
import { TableDefinition } from "../../../src/catalog/table-definition.ts";
import { AlreadyExistsError, Connection, NotFoundError } from "../../../src/index.ts";

let directory: string;
let connection: Connection;
let catalog: Catalog;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-api-catalog-attached-"));
  const hyperd = inject("hyperd");
  connection = await Connection.connect({
    endpoint: `${hyperd.host}:${hyperd.port}`,
    database: join(directory, "main.hyper"),
    createMode: "CreateIfNotExists",
  });
  await connection.attachDatabase(join(directory, "Second DB.hyper"), {
    alias: "Second DB",
    createMode: "CreateIfNotExists",
  });
  catalog = new Catalog(connection);
});

afterAll(async () => {
  await connection?.close();
  await rm(directory, { recursive: true, force: true });
});

describe("with two attached databases", () => {
  it("lists both aliases", async () => {
    expect(await catalog.databaseNames()).toEqual(["Second DB", "main"]);
  });

  it("creates and reads tables in the second database by qualified name", async () => {
    const name = TableName.of("Items", "public", "Second DB");
    const definition = new TableDefinition(name)
      .addColumn("id", SqlType.int(), { nullable: false })
      .addColumn("label", SqlType.varchar(40));
    await catalog.createTable(definition);
    await expect(catalog.createTable(definition)).rejects.toBeInstanceOf(AlreadyExistsError);

    expect(await catalog.hasTable(name)).toBe(true);
    expect(await catalog.hasTable('"Second DB".public."Items"')).toBe(true);
    // Unqualified names resolve into the primary database only.
    expect(await catalog.hasTable('"Items"')).toBe(false);
    expect((await catalog.tableNames(SchemaName.of("public", "Second DB"))).map(String)).toEqual([
      '"Second DB"."public"."Items"',
    ]);
    expect(await catalog.tableNames("public", "Second DB")).toHaveLength(1);
    expect(await catalog.tableNames()).toEqual([]);

    const read = await catalog.getTableDefinition(name);
    expect(read.name.equals(name)).toBe(true);
    expect(read.columns).toEqual(definition.columns);
    await connection.execute(`INSERT INTO ${name} VALUES (1, 'a')`);
    expect(await catalog.rowCount(name)).toBe(1n);
    expect(await catalog.columnNames(name)).toEqual(["id", "label"]);
  });

  it("keeps each database's catalog apart", async () => {
    await catalog.createTable(new TableDefinition("same").addColumn("main_col", SqlType.int()));
    await catalog.createTable(
      new TableDefinition(TableName.of("same", "public", "Second DB")).addColumn(
        "second_col",
        SqlType.text(),
      ),
    );
    expect(await catalog.columnNames("same")).toEqual(["main_col"]);
    expect(await catalog.columnNames("main.public.same")).toEqual(["main_col"]);
    expect(await catalog.columnNames('"Second DB".public.same')).toEqual(["second_col"]);

    await catalog.createSchema(SchemaName.of("only_second", "Second DB"));
    expect(await catalog.hasSchema('"Second DB".only_second')).toBe(true);
    expect(await catalog.hasSchema("only_second")).toBe(false);
    expect((await catalog.schemaNames("Second DB")).map(String)).toEqual([
      '"Second DB"."only_second"',
      '"Second DB"."public"',
    ]);
    expect((await catalog.schemaNames()).map(String)).toEqual(['"public"']);
    await catalog.dropSchema('"Second DB".only_second');
    expect(await catalog.hasSchema('"Second DB".only_second')).toBe(false);

    await catalog.dropTable('"Second DB".public.same');
    expect(await catalog.hasTable("same")).toBe(true);
  });

  it("reports a database that is not attached as NotFoundError", async () => {
    await expect(catalog.hasTable("nowhere.public.t")).rejects.toBeInstanceOf(NotFoundError);
    await expect(catalog.hasSchema("nowhere.public")).rejects.toThrow(/"nowhere" is not attached/);
    await expect(catalog.schemaNames("nowhere")).rejects.toBeInstanceOf(NotFoundError);
    await expect(catalog.tableNames("public", "nowhere")).rejects.toBeInstanceOf(NotFoundError);
    await expect(catalog.getTableDefinition("nowhere.public.t")).rejects.toBeInstanceOf(NotFoundError);
    await expect(catalog.rowCount("nowhere.public.t")).rejects.toBeInstanceOf(NotFoundError);
    await expect(catalog.dropTable("nowhere.public.t")).rejects.toBeInstanceOf(NotFoundError);
    await expect(catalog.createSchema("nowhere.s")).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      catalog.createTable(new TableDefinition("nowhere.public.t").addColumn("x", SqlType.int())),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
