import {
  ConnectionClosedError,
  ConnectionFailedError,
  ConnectionLostError,
  HyperdNotFoundError,
  HyperdStartError,
  HyperError,
  InvalidArgumentError,
  NotFoundError,
  PoolTimeoutError,
  ProtocolError,
  UsageError,
} from "@hyperdb-ts/hyperdb-api";
import { describe, expect, it } from "vitest";
import { DatabaseBusyError } from "../engine/database-busy-error.ts";
import {
  DATABASE_BUSY_SUGGESTION,
  errorCodeOf,
  errorResult,
  JSON_SUGGESTION,
  mapError,
  ONE_STATEMENT_SUGGESTION,
  TEXT_SUGGESTION,
  WIDEN_SUGGESTION,
} from "./map-error.ts";

/** A server error as the wire layer builds it from an ErrorResponse. */
function hyperError(sqlstate: string, message: string, extra: Record<string, string> = {}): HyperError {
  return new HyperError({ S: "ERROR", V: "ERROR", C: sqlstate, M: message, ...extra });
}

function fsError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code, errno: -1, syscall: "open" });
}

describe("mapError: server errors", () => {
  it("keeps the SQLSTATE in the message and maps unknown states to SQL_ERROR", () => {
    const mapped = mapError(hyperError("42P01", 'table "nope" does not exist'));
    expect(mapped).toEqual({
      code: "SQL_ERROR",
      message: 'server error (42P01): ERROR: table "nope" does not exist (42P01)',
    });
  });

  it("appends detail and hint", () => {
    const mapped = mapError(
      hyperError("42703", "column x does not exist", { D: "the detail", H: "the hint" }),
    );
    expect(mapped.message).toBe(
      "server error (42703): ERROR: column x does not exist (42703) Detail: the detail Hint: the hint",
    );
  });

  it("maps 22003 and overflow / out-of-range text to SCHEMA_MISMATCH with a widening hint", () => {
    for (const error of [
      hyperError("22003", "value 3000000000 is out of range for type integer"),
      hyperError("XX000", "numeric overflow while casting"),
      hyperError("22000", "value out of range"),
    ]) {
      const mapped = mapError(error);
      expect(mapped.code).toBe("SCHEMA_MISMATCH");
      expect(mapped.suggestion).toBe(WIDEN_SUGGESTION);
    }
    expect(WIDEN_SUGGESTION).toMatch(/schema override/);
    expect(WIDEN_SUGGESTION).toMatch(/inspect_file/);
  });

  it("maps 22P02 and invalid input syntax to SCHEMA_MISMATCH with a TEXT hint", () => {
    for (const error of [
      hyperError("22P02", 'invalid input syntax for type integer: "abc"'),
      hyperError("22000", "invalid input syntax for type date"),
    ]) {
      const mapped = mapError(error);
      expect(mapped.code).toBe("SCHEMA_MISMATCH");
      expect(mapped.suggestion).toBe(TEXT_SUGGESTION);
    }
    expect(TEXT_SUGGESTION).toMatch(/TEXT/);
  });

  it("steers 0A000 to ::json casts for JSON features and to splitting for multi-part queries", () => {
    expect(mapError(hyperError("0A000", "JSON_VALUE is not supported"))).toMatchObject({
      code: "SQL_ERROR",
      suggestion: JSON_SUGGESTION,
    });
    expect(mapError(hyperError("0A000", "Multi-part queries are disabled"))).toMatchObject({
      code: "SQL_ERROR",
      suggestion: ONE_STATEMENT_SUGGESTION,
    });
    const other = mapError(hyperError("0A000", "PRIMARY KEY constraints are not supported"));
    expect(other.code).toBe("SQL_ERROR");
    expect(other.suggestion).not.toBe(JSON_SUGGESTION);
    expect(JSON_SUGGESTION).toContain("value::json ->> 'field'");
  });

  it("gives 42601 the ::json hint only for structured-data / JSON messages", () => {
    expect(mapError(hyperError("42601", "cannot access field of a structured data type"))).toMatchObject({
      code: "SQL_ERROR",
      suggestion: JSON_SUGGESTION,
    });
    expect(mapError(hyperError("42601", 'syntax error at or near "->>" (json)')).suggestion).toBe(
      JSON_SUGGESTION,
    );
    const plain = mapError(hyperError("42601", 'syntax error at or near "SELEC"'));
    expect(plain.code).toBe("SQL_ERROR");
    expect(plain.suggestion).toBeUndefined();
  });

  it("keeps 55006 outside the attach path an SQL_ERROR", () => {
    expect(errorCodeOf(hyperError("55006", "database is in use"))).toBe("SQL_ERROR");
  });

  it("maps disk-full and session-ending states", () => {
    expect(errorCodeOf(hyperError("53100", "could not extend file: No space left on device"))).toBe(
      "DISK_FULL",
    );
    expect(errorCodeOf(hyperError("57P01", "terminating connection due to administrator command"))).toBe(
      "CONNECTION_LOST",
    );
    expect(errorCodeOf(hyperError("08006", "connection failure"))).toBe("CONNECTION_LOST");
    expect(errorCodeOf(hyperError("57014", "canceling statement due to user request"))).toBe("SQL_ERROR");
  });
});

describe("mapError: client-side errors", () => {
  it("maps a locked persistent database to RESOURCE_BUSY, keeping path and diagnostic", () => {
    const cause = hyperError("55006", 'database "/data/workspace.hyper" is in use by another process');
    const mapped = mapError(new DatabaseBusyError("/data/workspace.hyper", 15_000, { cause }));
    expect(mapped.code).toBe("RESOURCE_BUSY");
    expect(mapped.message).toContain("/data/workspace.hyper");
    expect(mapped.message).toContain("in use by another process");
    expect(mapped.suggestion).toBe(DATABASE_BUSY_SUGGESTION);
    expect(DATABASE_BUSY_SUGGESTION).toContain("hyperdb-mcp doctor");
  });

  it("maps a pool timeout to RESOURCE_BUSY about concurrent calls", () => {
    const mapped = mapError(new PoolTimeoutError("no connection became available within 120000 ms"));
    expect(mapped.code).toBe("RESOURCE_BUSY");
    expect(mapped.message).toMatch(/too many concurrent calls/);
  });

  it("maps connection failures to CONNECTION_LOST and unrelated errors not", () => {
    for (const error of [
      new ConnectionLostError("socket reset"),
      new ConnectionClosedError("closed"),
      new ConnectionFailedError("refused"),
      new ProtocolError("unexpected message 'Z'"),
    ]) {
      expect(errorCodeOf(error)).toBe("CONNECTION_LOST");
    }
    expect(errorCodeOf(new Error("connection lost"))).toBe("INTERNAL_ERROR");
    expect(errorCodeOf(new UsageError("invalid operation"))).toBe("INTERNAL_ERROR");
  });

  it("maps API NotFound, InvalidArgument and missing hyperd", () => {
    expect(errorCodeOf(new NotFoundError("database file /x.hyper cannot be opened"))).toBe("FILE_NOT_FOUND");
    expect(errorCodeOf(new InvalidArgumentError("bad table definition"))).toBe("INVALID_ARGUMENT");
    expect(errorCodeOf(new HyperdNotFoundError("hyperd not found"))).toBe("HYPERD_NOT_FOUND");
  });

  it("says where to look, not to retry, when hyperd cannot start", () => {
    const mapped = mapError(new HyperdStartError("hyperd exited with code 3 before reporting its endpoint"));
    expect(mapped.code).toBe("INTERNAL_ERROR");
    expect(mapped.message).toBe(
      "hyperd could not start: hyperd exited with code 3 before reporting its endpoint",
    );
    expect(mapped.suggestion).toContain("hyperdb-mcp doctor");
  });

  it("maps Node file-system errors", () => {
    expect(errorCodeOf(fsError("ENOENT", "ENOENT: no such file or directory, open '/x'"))).toBe(
      "FILE_NOT_FOUND",
    );
    expect(errorCodeOf(fsError("EACCES", "EACCES: permission denied, open '/x'"))).toBe("PERMISSION_DENIED");
    expect(errorCodeOf(fsError("EPERM", "EPERM: operation not permitted"))).toBe("PERMISSION_DENIED");
    expect(errorCodeOf(fsError("ENOSPC", "ENOSPC: no space left on device"))).toBe("DISK_FULL");
    expect(errorCodeOf(fsError("EISDIR", "EISDIR: illegal operation on a directory"))).toBe("INTERNAL_ERROR");
    // The message is kept verbatim.
    expect(mapError(fsError("EACCES", "EACCES: permission denied, open '/x'")).message).toBe(
      "EACCES: permission denied, open '/x'",
    );
  });

  it("maps anything else to INTERNAL_ERROR without a suggestion", () => {
    expect(mapError("boom")).toEqual({ code: "INTERNAL_ERROR", message: "boom" });
  });
});

describe("errorResult", () => {
  it("builds the error envelope with the mapped suggestion or the code's default", () => {
    const result = errorResult(hyperError("22P02", "invalid input syntax for type integer"));
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toEqual({
      error: {
        code: "SCHEMA_MISMATCH",
        message: "server error (22P02): ERROR: invalid input syntax for type integer (22P02)",
        suggestion: TEXT_SUGGESTION,
      },
    });
    expect(result.content).toEqual([
      { type: "text", text: JSON.stringify(result.structuredContent, null, 2) },
    ]);
    const internal = errorResult(new Error("boom"));
    expect(internal.structuredContent).toEqual({ error: { code: "INTERNAL_ERROR", message: "boom" } });
  });
});
