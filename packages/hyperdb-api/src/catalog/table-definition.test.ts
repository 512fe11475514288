import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import { describe, expect, it } from "vitest";
import { TableName } from "./names.ts";
import { SqlType } from "./sql-type.ts";
import { TableDefinition } from "./table-definition.ts";

describe("TableDefinition", () => {
  it("writes CREATE TABLE with every name quoted", () => {
    const definition = new TableDefinition("Sales.Orders")
      .addColumn("id", SqlType.bigInt(), { nullable: false })
      .addColumn('Odd "Col"', SqlType.numeric(10, 2))
      .addColumn("name", SqlType.varchar(20), { collation: "de_CI", nullable: false });
    expect(definition.toCreateSql()).toBe(
      'CREATE TABLE "sales"."orders" ("id" BIGINT NOT NULL, "Odd ""Col""" NUMERIC(10,2), "name" VARCHAR(20) COLLATE "de_CI" NOT NULL)',
    );
    expect(definition.toCreateSql({ ifNotExists: true })).toBe(
      'CREATE TABLE IF NOT EXISTS "sales"."orders" ("id" BIGINT NOT NULL, "Odd ""Col""" NUMERIC(10,2), "name" VARCHAR(20) COLLATE "de_CI" NOT NULL)',
    );
  });

  it("writes temporary tables and DROP TABLE", () => {
    const definition = new TableDefinition(TableName.of("Scratch"), [], { temporary: true }).addColumn(
      "x",
      SqlType.char(1),
    );
    expect(definition.temporary).toBe(true);
    expect(definition.toCreateSql({ ifNotExists: true })).toBe(
      'CREATE TEMPORARY TABLE IF NOT EXISTS "Scratch" ("x" CHARACTER(1))',
    );
    expect(definition.toDropSql()).toBe('DROP TABLE "Scratch"');
    expect(new TableDefinition("db.s.t").toDropSql({ ifExists: true })).toBe(
      'DROP TABLE IF EXISTS "db"."s"."t"',
    );
  });

  it("is immutable: addColumn returns a new definition", () => {
    const empty = new TableDefinition("t");
    const one = empty.addColumn("a", SqlType.int());
    expect(empty.columns).toEqual([]);
    expect(one.columns).toEqual([{ name: "a", type: SqlType.int(), nullable: true }]);
    expect(Object.isFrozen(one.columns)).toBe(true);
    expect(Object.isFrozen(one.columns[0])).toBe(true);
    expect(Object.isFrozen(one)).toBe(true);
  });

  it("finds columns by exact name", () => {
    const definition = new TableDefinition("t", [
      { name: "a", type: SqlType.int(), nullable: false },
      { name: "B", type: SqlType.text(), nullable: true, collation: "en_US" },
    ]);
    expect(definition.columnIndex("B")).toBe(1);
    expect(definition.columnIndex("b")).toBe(-1);
    expect(definition.column("B")?.collation).toBe("en_US");
    expect(definition.column("c")).toBeUndefined();
    expect(definition.name.toString()).toBe('"t"');
    expect(definition.columns[0]?.type.oid).toBe(23);
  });

  it("refuses to write tables without columns, with duplicate columns or unstorable types", () => {
    expect(() => new TableDefinition("t").toCreateSql()).toThrow(InvalidArgumentError);
    const duplicate = new TableDefinition("t").addColumn("a", SqlType.int()).addColumn("a", SqlType.text());
    expect(() => duplicate.toCreateSql()).toThrow(InvalidArgumentError);
    const array = new TableDefinition("t").addColumn("a", SqlType.fromOid(1007));
    expect(() => array.toCreateSql()).toThrow(InvalidArgumentError);
  });

  it("refuses invalid names and columns up front", () => {
    expect(() => new TableDefinition("a..b")).toThrow(InvalidArgumentError);
    expect(() => new TableDefinition("t").addColumn("", SqlType.int())).toThrow(InvalidArgumentError);
    expect(() => new TableDefinition("t").addColumn("a\0", SqlType.int())).toThrow(InvalidArgumentError);
    expect(
      () => new TableDefinition("t", [{ name: "a", type: "INTEGER" as unknown as SqlType, nullable: true }]),
    ).toThrow(InvalidArgumentError);
  });
});
