import { describe, expect, it } from "vitest";
import { characterLength, numericPrecision, numericScale, numericTypmod, TypeOid, typeName } from "./oids.ts";

describe("type identity", () => {
  it("packs and unpacks NUMERIC typmods", () => {
    expect(numericTypmod(10, 2)).toBe(655_366);
    expect(numericPrecision(655_366)).toBe(10);
    expect(numericScale(655_366)).toBe(2);
    expect(numericPrecision(numericTypmod(38, 38))).toBe(38);
    expect(numericScale(numericTypmod(38, 38))).toBe(38);
    expect(numericPrecision(-1)).toBe(38);
    expect(numericScale(-1)).toBe(0);
  });

  it("names types in SQL", () => {
    const cases: [number, number, string][] = [
      [TypeOid.bool, -1, "BOOLEAN"],
      [TypeOid.int2, -1, "SMALLINT"],
      [TypeOid.int4, -1, "INTEGER"],
      [TypeOid.int8, -1, "BIGINT"],
      [TypeOid.float4, -1, "REAL"],
      [TypeOid.float8, -1, "DOUBLE PRECISION"],
      [TypeOid.numeric, numericTypmod(10, 2), "NUMERIC(10,2)"],
      [TypeOid.numeric, -1, "NUMERIC"],
      [TypeOid.varchar, 24, "VARCHAR(20)"],
      [TypeOid.varchar, -1, "VARCHAR"],
      [TypeOid.bpchar, 9, "CHARACTER(5)"],
      [TypeOid.char1, -1, "CHARACTER(1)"],
      [TypeOid.text, -1, "TEXT"],
      [TypeOid.bytea, -1, "BYTEA"],
      [TypeOid.json, -1, "JSON"],
      [TypeOid.oid, -1, "OID"],
      [TypeOid.date, -1, "DATE"],
      [TypeOid.time, -1, "TIME"],
      [TypeOid.timestamp, -1, "TIMESTAMP"],
      [TypeOid.timestamptz, -1, "TIMESTAMP WITH TIME ZONE"],
      [TypeOid.interval, -1, "INTERVAL"],
      [TypeOid.geography, -1, "GEOGRAPHY"],
      [4242, -1, "oid 4242"],
    ];
    for (const [oid, typmod, name] of cases) expect(typeName({ oid, typmod })).toBe(name);
  });

  it("knows declared character lengths", () => {
    expect(characterLength({ oid: TypeOid.varchar, typmod: 24 })).toBe(20);
    expect(characterLength({ oid: TypeOid.bpchar, typmod: 5 })).toBe(1);
    expect(characterLength({ oid: TypeOid.char1, typmod: -1 })).toBe(1);
    expect(characterLength({ oid: TypeOid.varchar, typmod: -1 })).toBeUndefined();
  });
});
