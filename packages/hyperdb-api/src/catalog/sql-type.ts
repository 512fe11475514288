import {
  type HyperType,
  InvalidArgumentError,
  MAX_NUMERIC_PRECISION,
  numericPrecision,
  numericScale,
  numericTypmod,
  TypeOid,
  typeName,
} from "@hyperdb-ts/hyperdb-api-core";

/** Longest VARCHAR / CHARACTER length whose typmod (`length + 4`) still fits a 32-bit integer. */
const MAX_CHARACTER_LENGTH = 2_147_483_643;

const SUPPORTED_OIDS: ReadonlySet<number> = new Set(Object.values(TypeOid));

const NUMERIC_OIDS: ReadonlySet<number> = new Set([
  TypeOid.int2,
  TypeOid.int4,
  TypeOid.int8,
  TypeOid.float4,
  TypeOid.float8,
  TypeOid.numeric,
]);

const STRING_OIDS: ReadonlySet<number> = new Set([
  TypeOid.text,
  TypeOid.varchar,
  TypeOid.bpchar,
  TypeOid.char1,
]);

const TEMPORAL_OIDS: ReadonlySet<number> = new Set([
  TypeOid.date,
  TypeOid.time,
  TypeOid.timestamp,
  TypeOid.timestamptz,
  TypeOid.interval,
]);

/**
 * The type of a table column as Hyper stores it: a PostgreSQL type OID plus a type modifier
 * (`typmod`, -1 when the type has no parameters). Instances are immutable; build them with
 * the static factories (`SqlType.int()`, `SqlType.numeric(10, 2)`, …) or from what the server
 * reports with {@link SqlType.fromOid}.
 */
export class SqlType {
  /** PostgreSQL type OID (see `TypeOid`). */
  readonly oid: number;
  /** Type modifier: `n + 4` for VARCHAR(n) / CHARACTER(n), the packed precision and scale for NUMERIC, otherwise -1. */
  readonly typmod: number;

  private constructor(oid: number, typmod: number) {
    this.oid = oid;
    this.typmod = typmod;
    Object.freeze(this);
  }

  /** `BOOLEAN`. */
  static bool(): SqlType {
    return new SqlType(TypeOid.bool, -1);
  }

  /** `SMALLINT` (16-bit integer). */
  static smallInt(): SqlType {
    return new SqlType(TypeOid.int2, -1);
  }

  /** `INTEGER` (32-bit integer). */
  static int(): SqlType {
    return new SqlType(TypeOid.int4, -1);
  }

  /** `BIGINT` (64-bit integer). */
  static bigInt(): SqlType {
    return new SqlType(TypeOid.int8, -1);
  }

  /** `OID` (unsigned 32-bit integer). */
  static oid(): SqlType {
    return new SqlType(TypeOid.oid, -1);
  }

  /** `REAL` (32-bit float). Tables need a database of storage version 4 or later for it. */
  static float(): SqlType {
    return new SqlType(TypeOid.float4, -1);
  }

  /** `DOUBLE PRECISION` (64-bit float). */
  static double(): SqlType {
    return new SqlType(TypeOid.float8, -1);
  }

  /**
   * `NUMERIC(precision, scale)`: an exact decimal with `precision` digits, `scale` of them
   * after the point.
   * @throws InvalidArgumentError unless 1 ≤ precision ≤ 38 and 0 ≤ scale ≤ precision (integers).
   */
  static numeric(precision: number, scale: number): SqlType {
    if (!Number.isInteger(precision) || precision < 1 || precision > MAX_NUMERIC_PRECISION) {
      throw new InvalidArgumentError(
        `NUMERIC precision must be an integer from 1 to ${MAX_NUMERIC_PRECISION}, got ${precision}`,
      );
    }
    if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new InvalidArgumentError(
        `NUMERIC scale must be an integer from 0 to the precision (${precision}), got ${scale}`,
      );
    }
    return new SqlType(TypeOid.numeric, numericTypmod(precision, scale));
  }

  /** `TEXT`: a string of any length. */
  static text(): SqlType {
    return new SqlType(TypeOid.text, -1);
  }

  /**
   * `VARCHAR(length)`, or `VARCHAR` without a length. Hyper stores a column declared as bare
   * `VARCHAR` as `TEXT`, so reading such a column back gives `SqlType.text()`.
   * @throws InvalidArgumentError for a length that is not a positive integer.
   */
  static varchar(length?: number): SqlType {
    if (length === undefined) return new SqlType(TypeOid.varchar, -1);
    return new SqlType(TypeOid.varchar, checkLength("VARCHAR", length) + 4);
  }

  /**
   * `CHARACTER(length)`: a blank-padded string of fixed length. Hyper gives `CHARACTER(1)` its
   * own type (OID 18, no typmod); longer ones are OID 1042 with typmod `length + 4`.
   * @throws InvalidArgumentError for a length that is not a positive integer.
   */
  static char(length: number): SqlType {
    checkLength("CHARACTER", length);
    return length === 1 ? new SqlType(TypeOid.char1, -1) : new SqlType(TypeOid.bpchar, length + 4);
  }

  /** `BYTEA`: binary data. */
  static bytes(): SqlType {
    return new SqlType(TypeOid.bytea, -1);
  }

  /** `JSON`, stored as text. */
  static json(): SqlType {
    return new SqlType(TypeOid.json, -1);
  }

  /** `DATE`. */
  static date(): SqlType {
    return new SqlType(TypeOid.date, -1);
  }

  /** `TIME` (without time zone, microsecond resolution). */
  static time(): SqlType {
    return new SqlType(TypeOid.time, -1);
  }

  /** `TIMESTAMP` (without time zone, microsecond resolution). */
  static timestamp(): SqlType {
    return new SqlType(TypeOid.timestamp, -1);
  }

  /** `TIMESTAMP WITH TIME ZONE`: an instant, stored as UTC. */
  static timestampTz(): SqlType {
    return new SqlType(TypeOid.timestamptz, -1);
  }

  /** `INTERVAL`. */
  static interval(): SqlType {
    return new SqlType(TypeOid.interval, -1);
  }

  /** `GEOGRAPHY` (Hyper's `tabgeography`). */
  static geography(): SqlType {
    return new SqlType(TypeOid.geography, -1);
  }

  /**
   * The type the server describes by `oid` and `typmod` (from a catalog or a result column).
   * A NUMERIC without typmod becomes NUMERIC(38,0), which is what Hyper means by it. OIDs of
   * types a table cannot hold (arrays, …) are kept as they are, with `isSupported` false.
   * @param typmod - the type modifier, -1 (the default) for none
   * @throws InvalidArgumentError when `oid` or `typmod` is not a 32-bit integer.
   */
  static fromOid(oid: number, typmod = -1): SqlType {
    if (!Number.isInteger(oid) || oid < 0 || oid > 0xffff_ffff) {
      throw new InvalidArgumentError(`a type OID must be an unsigned 32-bit integer, got ${oid}`);
    }
    if (!Number.isInteger(typmod) || typmod < -0x8000_0000 || typmod > 0x7fff_ffff) {
      throw new InvalidArgumentError(`a type modifier must be a 32-bit integer, got ${typmod}`);
    }
    if (oid === TypeOid.numeric && typmod < 4) typmod = numericTypmod(MAX_NUMERIC_PRECISION, 0);
    return new SqlType(oid, typmod);
  }

  /** Total digits of a NUMERIC; undefined for other types. */
  get precision(): number | undefined {
    return this.oid === TypeOid.numeric ? numericPrecision(this.typmod) : undefined;
  }

  /** Digits after the decimal point of a NUMERIC; undefined for other types. */
  get scale(): number | undefined {
    return this.oid === TypeOid.numeric ? numericScale(this.typmod) : undefined;
  }

  /** Declared length of a VARCHAR(n) or CHARACTER(n); undefined for unbounded strings and other types. */
  get maxLength(): number | undefined {
    if (this.oid === TypeOid.char1) return 1;
    if (this.oid === TypeOid.varchar || this.oid === TypeOid.bpchar) {
      return this.typmod >= 4 ? this.typmod - 4 : undefined;
    }
    return undefined;
  }

  /** SMALLINT, INTEGER, BIGINT, REAL, DOUBLE PRECISION or NUMERIC (not OID). */
  get isNumeric(): boolean {
    return NUMERIC_OIDS.has(this.oid);
  }

  /** TEXT, VARCHAR or CHARACTER (not JSON). */
  get isString(): boolean {
    return STRING_OIDS.has(this.oid);
  }

  /** DATE, TIME, TIMESTAMP, TIMESTAMP WITH TIME ZONE or INTERVAL. */
  get isTemporal(): boolean {
    return TEMPORAL_OIDS.has(this.oid);
  }

  /** Whether a table column can have this type (one of the factories above builds it). */
  get isSupported(): boolean {
    return SUPPORTED_OIDS.has(this.oid);
  }

  /** The type as the server describes it. */
  get hyperType(): HyperType {
    return { oid: this.oid, typmod: this.typmod };
  }

  /** Same OID and typmod. */
  equals(other: SqlType): boolean {
    return this.oid === other.oid && this.typmod === other.typmod;
  }

  /**
   * The type as written in DDL: `INTEGER`, `NUMERIC(10,2)`, `VARCHAR(20)`, `CHARACTER(1)`,
   * `DOUBLE PRECISION`, `TIMESTAMP WITH TIME ZONE`, … (`oid <n>` for unsupported types).
   */
  toString(): string {
    return typeName(this);
  }
}

function checkLength(type: string, length: number): number {
  if (!Number.isInteger(length) || length < 1 || length > MAX_CHARACTER_LENGTH) {
    throw new InvalidArgumentError(
      `${type} length must be an integer from 1 to ${MAX_CHARACTER_LENGTH}, got ${length}`,
    );
  }
  return length;
}
