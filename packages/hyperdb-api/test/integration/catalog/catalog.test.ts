import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Catalog } from "../../../src/catalog/catalog.ts";
import { SchemaName, TableName } from "../../../src/catalog/names.ts";
import { SqlType } from "../../../src/catalog/sql-type.ts";
import { TableDefinition } from "../../../src/catalog/table-definition.ts";
import {
  AlreadyExistsError,
  Connection,
  HyperError,
  InvalidArgumentError,
  NotFoundError,
} from "../../../src/index.ts";

let directory: string;
let endpoint: string;
let connection: Connection;
let catalog: Catalog;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-api-catalog-"));
  const hyperd = inject("hyperd");
  endpoint = `${hyperd.host}:${hyperd.port}`;
  connection = await Connection.connect({
    endpoint,
    database: join(directory, "catalog.hyper"),
    createMode: "CreateIfNotExists",
  });
  catalog = new Catalog(connection);
});

afterAll(async () => {
  await connection?.close();
  await rm(directory, { recursive: true, force: true });
});

const names = (list: readonly (TableName | SchemaName)[]): string[] => list.map((name) => name.toString());

describe("schemas", () => {
  it("creates, lists, finds and drops schemas", async () => {
    expect(names(await catalog.schemaNames())).toEqual(['"public"']);
    await catalog.createSchema("Staging");
    await catalog.createSchema('"Mixed Case ü"');
    await catalog.createSchema(SchemaName.of("staging"), { ifNotExists: true });
    await expect(catalog.createSchema("staging")).rejects.toBeInstanceOf(AlreadyExistsError);

    expect(names(await catalog.schemaNames())).toEqual(['"Mixed Case ü"', '"public"', '"staging"']);
    expect(await catalog.hasSchema("STAGING")).toBe(true);
    expect(await catalog.hasSchema('"Mixed Case ü"')).toBe(true);
    expect(await catalog.hasSchema("mixed case ü")).toBe(false);

    for (const schema of await catalog.schemaNames()) {
      if (schema.schema !== "public") await catalog.dropSchema(schema);
    }
    expect(names(await catalog.schemaNames())).toEqual(['"public"']);
    expect(await catalog.hasSchema("staging")).toBe(false);
  });

  it("reports a missing schema as NotFoundError, and refuses to drop a schema with tables unless cascading", async () => {
    await expect(catalog.dropSchema("nope")).rejects.toBeInstanceOf(NotFoundError);
    await catalog.dropSchema("nope", { ifExists: true });

    await catalog.createSchema("full");
    await catalog.createTable(new TableDefinition("full.t").addColumn("x", SqlType.int()));
    const refused = await catalog.dropSchema("full").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HyperError);
    expect((refused as HyperError).sqlstate).toBe("2BP01");
    await catalog.dropSchema("full", { cascade: true });
    expect(await catalog.hasSchema("full")).toBe(false);
    expect(await catalog.hasTable("full.t")).toBe(false);
  });
});

describe("tables", () => {
  it("creates, lists, counts and drops tables", async () => {
    const definition = new TableDefinition("orders")
      .addColumn("id", SqlType.bigInt(), { nullable: false })
      .addColumn("total", SqlType.numeric(10, 2));
    await catalog.createTable(definition);
    await catalog.createTable(definition, { ifNotExists: true });
    await expect(catalog.createTable(definition)).rejects.toBeInstanceOf(AlreadyExistsError);

    expect(await catalog.hasTable("orders")).toBe(true);
    expect(await catalog.hasTable("public.ORDERS")).toBe(true);
    expect(await catalog.hasTable('"Orders"')).toBe(false);
    expect(names(await catalog.tableNames())).toContain('"public"."orders"');
    expect(await catalog.columnNames("orders")).toEqual(["id", "total"]);

    expect(await catalog.rowCount("orders")).toBe(0n);
    await connection.execute("INSERT INTO orders VALUES (1, 2.5), (2, NULL), (3, 4)");
    expect(await catalog.rowCount(TableName.of("orders", "public"))).toBe(3n);

    await catalog.dropTable("orders");
    expect(await catalog.hasTable("orders")).toBe(false);
    await catalog.dropTable("orders", { ifExists: true });
  });

  it("keeps quoted, mixed-case and odd names from create through list to definition", async () => {
    await catalog.createSchema('"Odd Schema."');
    const odd = [
      TableName.of('Weird "Name"', "Odd Schema."),
      TableName.of("with spaces and.dots", "Odd Schema."),
      TableName.of("Ünïcödé 表", "Odd Schema."),
      TableName.of("MixedCase", "Odd Schema."),
    ];
    for (const name of odd) {
      await catalog.createTable(
        new TableDefinition(name).addColumn('Col "1"', SqlType.int()).addColumn("ColTwo ü", SqlType.text()),
      );
    }
    const listed = await catalog.tableNames('"Odd Schema."');
    expect(listed.map((name) => name.table).sort()).toEqual(odd.map((name) => name.table).sort());
    for (const name of listed) {
      expect(await catalog.hasTable(name)).toBe(true);
      const definition = await catalog.getTableDefinition(name);
      expect(definition.name.equals(name)).toBe(true);
      expect(definition.columns.map((column) => column.name)).toEqual(['Col "1"', "ColTwo ü"]);
      expect(await catalog.rowCount(name)).toBe(0n);
    }
    // The same names as SQL text parse to the same tables.
    expect(await catalog.hasTable('"Odd Schema."."Weird ""Name"""')).toBe(true);
    expect(await catalog.hasTable('"Odd Schema.".MixedCase')).toBe(false);
    expect(await catalog.hasTable('"Odd Schema."."MixedCase"')).toBe(true);
    await catalog.dropSchema('"Odd Schema."', { cascade: true });
  });

  it("parses unquoted names the way SQL folds them", async () => {
    await connection.execute("CREATE TABLE Folded (Value INT)");
    expect(names(await catalog.tableNames())).toContain('"public"."folded"');
    const definition = await catalog.getTableDefinition("FOLDED");
    expect(definition.columns[0]?.name).toBe("value");
    await catalog.dropTable("Folded");
  });

  it("reports missing tables and schemas as NotFoundError", async () => {
    await expect(catalog.getTableDefinition("missing")).rejects.toThrow(NotFoundError);
    await expect(catalog.getTableDefinition("missing")).rejects.toThrow(/"missing"/);
    await expect(catalog.getTableDefinition("nope.t")).rejects.toBeInstanceOf(NotFoundError);
    await expect(catalog.columnNames("missing")).rejects.toBeInstanceOf(NotFoundError);
    await expect(catalog.rowCount("missing")).rejects.toBeInstanceOf(NotFoundError);
    await expect(catalog.rowCount("nope.t")).rejects.toBeInstanceOf(NotFoundError);
    await expect(catalog.dropTable("missing")).rejects.toBeInstanceOf(NotFoundError);
    await expect(catalog.dropTable("nope.t")).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      catalog.createTable(new TableDefinition("nope.t").addColumn("x", SqlType.int())),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await catalog.hasTable("nope.t")).toBe(false);
    expect(await catalog.tableNames("nope")).toEqual([]);
  });

  it("refuses definitions without columns or with duplicate columns before sending anything", async () => {
    await expect(catalog.createTable(new TableDefinition("empty"))).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    const duplicate = new TableDefinition("dup").addColumn("a", SqlType.int()).addColumn("a", SqlType.int());
    await expect(catalog.createTable(duplicate)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await catalog.hasTable("empty")).toBe(false);
  });

  it("handles temporary tables: session-only, found before public ones, listed in pg_temp", async () => {
    await catalog.createTable(new TableDefinition("shadowed").addColumn("p", SqlType.int()));
    const temporary = new TableDefinition("shadowed", [], { temporary: true })
      .addColumn("t1", SqlType.text())
      .addColumn("t2", SqlType.date(), { nullable: false });
    await catalog.createTable(temporary);
    await catalog.createTable(temporary, { ifNotExists: true });

    const read = await catalog.getTableDefinition("shadowed");
    expect(read.temporary).toBe(true);
    expect(read.name.toString()).toBe('"pg_temp"."shadowed"');
    expect(read.columns).toEqual(temporary.columns);
    expect((await catalog.getTableDefinition("public.shadowed")).columns.map((c) => c.name)).toEqual(["p"]);
    expect(names(await catalog.tableNames("pg_temp"))).toEqual(['"pg_temp"."shadowed"']);
    expect(names(await catalog.schemaNames())).not.toContain('"pg_temp"');

    // Another session does not see it.
    await using other = await Connection.connect({
      endpoint,
      database: join(directory, "catalog.hyper"),
      alias: "other",
    });
    expect(await new Catalog(other).hasTable("pg_temp.shadowed")).toBe(false);
    expect((await new Catalog(other).getTableDefinition("shadowed")).temporary).toBe(false);

    await catalog.dropTable("shadowed");
    expect((await catalog.getTableDefinition("shadowed")).temporary).toBe(false);
    await catalog.dropTable("shadowed");
  });

  it("lists the attached databases by alias", async () => {
    expect(await catalog.databaseNames()).toEqual(["catalog"]);
  });
});
