import { HyperDbError } from "./hyper-db-error.ts";

/** Field codes of ErrorResponse / NoticeResponse, by their one-letter tag. */
export const ErrorField = {
  severity: "S",
  severityNonLocalized: "V",
  sqlstate: "C",
  message: "M",
  detail: "D",
  hint: "H",
  position: "P",
  internalPosition: "p",
  internalQuery: "q",
  where: "W",
  schema: "s",
  table: "t",
  column: "c",
  dataType: "d",
  constraint: "n",
  file: "F",
  line: "L",
  routine: "R",
  /** Hyper-specific: where the error originated (observed value: `User`). */
  origin: "B",
} as const;

/** Every field of a server ErrorResponse or NoticeResponse, keyed by its one-letter code. */
export type ServerMessageFields = Readonly<Record<string, string>>;

/** A NOTICE, WARNING, INFO, … sent by the server; never thrown, handed to a notice listener. */
export interface ServerNotice {
  readonly severity: string;
  readonly sqlstate: string;
  readonly message: string;
  readonly detail?: string | undefined;
  readonly hint?: string | undefined;
  readonly fields: ServerMessageFields;
}

/**
 * An error reported by hyperd (an ErrorResponse). Carries the SQLSTATE and every field the
 * server sent. The SQL text and parameters of the failed statement are attached as
 * non-enumerable properties so they do not leak into logs by accident.
 */
export class HyperError extends HyperDbError {
  readonly code = "HYPER_ERROR" as const;
  /** Five-character SQLSTATE, e.g. `42P01` (undefined table). */
  readonly sqlstate: string;
  /** `ERROR`, `FATAL` or `PANIC`. */
  readonly severity: string;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  /** 1-based character position in the SQL text where the error was found. */
  readonly position: number | undefined;
  /** Hyper's `B` field: where the error originated. */
  readonly origin: string | undefined;
  /** All fields, keyed by their one-letter protocol code. */
  readonly fields: ServerMessageFields;
  /** SQL text of the statement that failed (non-enumerable). */
  declare readonly query?: string;
  /** Bound parameter values of the statement that failed (non-enumerable). */
  declare readonly parameters?: readonly unknown[];

  constructor(fields: ServerMessageFields) {
    const sqlstate = fields[ErrorField.sqlstate] ?? "XX000";
    super(fields[ErrorField.message] ?? "unknown server error");
    this.sqlstate = sqlstate;
    this.severity = fields[ErrorField.severityNonLocalized] ?? fields[ErrorField.severity] ?? "ERROR";
    this.detail = fields[ErrorField.detail];
    this.hint = fields[ErrorField.hint];
    const position = fields[ErrorField.position];
    this.position = position === undefined ? undefined : Number(position);
    this.origin = fields[ErrorField.origin];
    this.fields = fields;
  }

  /** Attaches the failed statement without making it enumerable. Returns `this`. */
  withStatement(query: string, parameters?: readonly unknown[]): this {
    Object.defineProperty(this, "query", { value: query, enumerable: false, configurable: true });
    if (parameters !== undefined) {
      Object.defineProperty(this, "parameters", { value: parameters, enumerable: false, configurable: true });
    }
    return this;
  }

  /** Fatal errors (`FATAL`, `PANIC`) end the session. */
  get isFatal(): boolean {
    return this.severity === "FATAL" || this.severity === "PANIC";
  }
}

/** Builds the notice object handed to listeners from a NoticeResponse's fields. */
export function toServerNotice(fields: ServerMessageFields): ServerNotice {
  return {
    severity: fields[ErrorField.severityNonLocalized] ?? fields[ErrorField.severity] ?? "NOTICE",
    sqlstate: fields[ErrorField.sqlstate] ?? "00000",
    message: fields[ErrorField.message] ?? "",
    detail: fields[ErrorField.detail],
    hint: fields[ErrorField.hint],
    fields,
  };
}
