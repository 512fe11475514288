import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import { describe, expect, it } from "vitest";
import { SchemaName, TableName } from "./names.ts";

const parts = (name: TableName) => [name.database, name.schema, name.table];

describe("TableName.parse", () => {
  it("reads one, two or three parts", () => {
    expect(parts(TableName.parse("orders"))).toEqual([undefined, undefined, "orders"]);
    expect(parts(TableName.parse("sales.orders"))).toEqual([undefined, "sales", "orders"]);
    expect(parts(TableName.parse("db.sales.orders"))).toEqual(["db", "sales", "orders"]);
  });

  it("lower-cases unquoted parts (ASCII only) and keeps quoted ones, like SQL", () => {
    expect(parts(TableName.parse('Db."Sales".ORDERS'))).toEqual(["db", "Sales", "orders"]);
    expect(TableName.parse("ÄBCé").table).toBe("Äbcé");
    expect(TableName.parse(" public . t ").toString()).toBe('"public"."t"');
  });

  it("handles quotes: dots and doubled quotes inside, spaces and unicode", () => {
    expect(parts(TableName.parse('"a.b"."c"'))).toEqual([undefined, "a.b", "c"]);
    expect(TableName.parse('"Weird ""Name"""').table).toBe('Weird "Name"');
    expect(TableName.parse('""""').table).toBe('"');
    expect(TableName.parse('"my table ü"').table).toBe("my table ü");
    expect(parts(TableName.parse('"x"."y"."z.w"'))).toEqual(["x", "y", "z.w"]);
  });

  it("refuses empty parts, bad quoting and too many parts", () => {
    for (const text of ["", "  ", "a..b", ".a", "a.", '""', '"a', 'a"b"', '"a"b', "a.b.c.d", '"a".', "\0"]) {
      expect(() => TableName.parse(text), text).toThrow(InvalidArgumentError);
    }
  });

  it("round-trips through toString", () => {
    for (const text of ['"Weird ""Name"""', '"a.b"."C"', '"db"."public"."t"']) {
      expect(TableName.parse(text).toString()).toBe(text);
    }
  });
});

describe("TableName", () => {
  it("takes parts verbatim in of(), quotes them in toString()", () => {
    const name = TableName.of('Odd "One"', "My Schema", "db");
    expect(name.toString()).toBe('"db"."My Schema"."Odd ""One"""');
    expect(TableName.of("t").toString()).toBe('"t"');
  });

  it("assumes public when a database is given without a schema", () => {
    expect(TableName.of("t", undefined, "db").toString()).toBe('"db"."public"."t"');
    expect(TableName.of("t").withDatabase("db").toString()).toBe('"db"."public"."t"');
    expect(() => TableName.of("t", "s", "db").withSchema(undefined)).toThrow(InvalidArgumentError);
  });

  it("builds changed copies and compares part by part", () => {
    const name = TableName.of("t");
    expect(name.withSchema("s").equals(TableName.parse("s.t"))).toBe(true);
    expect(name.withSchema("s").withDatabase("d").equals(TableName.parse("d.s.t"))).toBe(true);
    expect(name.withSchema("s").withDatabase("d").withDatabase(undefined).toString()).toBe('"s"."t"');
    expect(name.equals(TableName.parse("public.t"))).toBe(false);
    expect(name.equals(TableName.parse('"T"'))).toBe(false);
    expect(TableName.parse("d.s.t").schemaName?.equals(SchemaName.of("s", "d"))).toBe(true);
    expect(name.schemaName).toBeUndefined();
    expect(Object.isFrozen(name)).toBe(true);
  });

  it("from() parses strings and passes names through", () => {
    const name = TableName.of("T");
    expect(TableName.from(name)).toBe(name);
    expect(TableName.from("T").table).toBe("t");
  });

  it("refuses empty parts and NUL characters", () => {
    expect(() => TableName.of("")).toThrow(InvalidArgumentError);
    expect(() => TableName.of("t", "")).toThrow(InvalidArgumentError);
    expect(() => TableName.of("a\0b")).toThrow(InvalidArgumentError);
  });
});

describe("SchemaName", () => {
  it("parses one or two parts", () => {
    expect(SchemaName.parse("Staging").schema).toBe("staging");
    const qualified = SchemaName.parse('db."Staging"');
    expect([qualified.database, qualified.schema]).toEqual(["db", "Staging"]);
    expect(qualified.toString()).toBe('"db"."Staging"');
    expect(() => SchemaName.parse("a.b.c")).toThrow(InvalidArgumentError);
    expect(() => SchemaName.parse("")).toThrow(InvalidArgumentError);
  });

  it("builds changed copies and compares part by part", () => {
    expect(SchemaName.of("s").withDatabase("d").equals(SchemaName.of("s", "d"))).toBe(true);
    expect(SchemaName.of("s").equals(SchemaName.of("S"))).toBe(false);
    expect(SchemaName.of("s").toString()).toBe('"s"');
    expect(SchemaName.from("A").schema).toBe("a");
  });
});
