import { InvalidArgumentError, TypeOid } from "@hyperdb-ts/hyperdb-api-core";
import { describe, expect, it } from "vitest";
import { SqlType } from "./sql-type.ts";

describe("SqlType", () => {
  it("spells every type as DDL does", () => {
    const spellings: [SqlType, string][] = [
      [SqlType.bool(), "BOOLEAN"],
      [SqlType.smallInt(), "SMALLINT"],
      [SqlType.int(), "INTEGER"],
      [SqlType.bigInt(), "BIGINT"],
      [SqlType.oid(), "OID"],
      [SqlType.float(), "REAL"],
      [SqlType.double(), "DOUBLE PRECISION"],
      [SqlType.numeric(10, 2), "NUMERIC(10,2)"],
      [SqlType.text(), "TEXT"],
      [SqlType.varchar(20), "VARCHAR(20)"],
      [SqlType.varchar(), "VARCHAR"],
      [SqlType.char(1), "CHARACTER(1)"],
      [SqlType.char(5), "CHARACTER(5)"],
      [SqlType.bytes(), "BYTEA"],
      [SqlType.json(), "JSON"],
      [SqlType.date(), "DATE"],
      [SqlType.time(), "TIME"],
      [SqlType.timestamp(), "TIMESTAMP"],
      [SqlType.timestampTz(), "TIMESTAMP WITH TIME ZONE"],
      [SqlType.interval(), "INTERVAL"],
      [SqlType.geography(), "GEOGRAPHY"],
    ];
    for (const [type, spelling] of spellings) expect(type.toString()).toBe(spelling);
  });

  it("encodes parameters in the typmod the way Hyper does", () => {
    expect(SqlType.numeric(10, 2).hyperType).toEqual({ oid: TypeOid.numeric, typmod: 655366 });
    expect(SqlType.varchar(20).hyperType).toEqual({ oid: TypeOid.varchar, typmod: 24 });
    expect(SqlType.varchar().hyperType).toEqual({ oid: TypeOid.varchar, typmod: -1 });
    expect(SqlType.char(1).hyperType).toEqual({ oid: TypeOid.char1, typmod: -1 });
    expect(SqlType.char(5).hyperType).toEqual({ oid: TypeOid.bpchar, typmod: 9 });
    expect(SqlType.int().hyperType).toEqual({ oid: TypeOid.int4, typmod: -1 });
  });

  it("reads precision, scale and length back", () => {
    const numeric = SqlType.numeric(38, 5);
    expect([numeric.precision, numeric.scale, numeric.maxLength]).toEqual([38, 5, undefined]);
    expect(SqlType.varchar(7).maxLength).toBe(7);
    expect(SqlType.varchar().maxLength).toBeUndefined();
    expect(SqlType.char(1).maxLength).toBe(1);
    expect(SqlType.char(3).maxLength).toBe(3);
    expect(SqlType.text().maxLength).toBeUndefined();
    expect(SqlType.int().precision).toBeUndefined();
  });

  it("classifies types", () => {
    expect(SqlType.double().isNumeric).toBe(true);
    expect(SqlType.numeric(1, 0).isNumeric).toBe(true);
    expect(SqlType.oid().isNumeric).toBe(false);
    expect(SqlType.char(1).isString).toBe(true);
    expect(SqlType.json().isString).toBe(false);
    expect(SqlType.interval().isTemporal).toBe(true);
    expect(SqlType.text().isTemporal).toBe(false);
    expect(SqlType.geography().isSupported).toBe(true);
    expect(SqlType.fromOid(1007).isSupported).toBe(false);
  });

  it("rebuilds types from OID and typmod, and compares by both", () => {
    expect(SqlType.fromOid(TypeOid.numeric, 655366).equals(SqlType.numeric(10, 2))).toBe(true);
    expect(SqlType.fromOid(TypeOid.numeric).equals(SqlType.numeric(38, 0))).toBe(true);
    expect(SqlType.fromOid(TypeOid.bpchar, 9).equals(SqlType.char(5))).toBe(true);
    expect(SqlType.fromOid(TypeOid.char1).equals(SqlType.char(1))).toBe(true);
    expect(SqlType.fromOid(TypeOid.varchar, 24).equals(SqlType.varchar(21))).toBe(false);
    expect(SqlType.varchar().equals(SqlType.text())).toBe(false);
    expect(() => SqlType.fromOid(-1)).toThrow(InvalidArgumentError);
    expect(() => SqlType.fromOid(23, 1.5)).toThrow(InvalidArgumentError);
  });

  it("refuses impossible parameters", () => {
    for (const [precision, scale] of [
      [0, 0],
      [39, 0],
      [5, 6],
      [5, -1],
      [1.5, 0],
    ] as const) {
      expect(() => SqlType.numeric(precision, scale)).toThrow(InvalidArgumentError);
    }
    expect(SqlType.numeric(38, 38).scale).toBe(38);
    expect(() => SqlType.varchar(0)).toThrow(InvalidArgumentError);
    expect(() => SqlType.char(0)).toThrow(InvalidArgumentError);
    expect(() => SqlType.char(2.5)).toThrow(InvalidArgumentError);
    expect(() => SqlType.varchar(2 ** 31)).toThrow(InvalidArgumentError);
  });

  it("is immutable", () => {
    const type = SqlType.int();
    expect(Object.isFrozen(type)).toBe(true);
  });
});
