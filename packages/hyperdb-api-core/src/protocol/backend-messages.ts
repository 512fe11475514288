import type { ServerMessageFields } from "../errors/index.ts";
import { BufferReader } from "./buffer-reader.ts";

/** One column of a RowDescription. */
export interface ColumnDescription {
  readonly name: string;
  /** OID of the source table, 0 for computed columns. */
  readonly tableOid: number;
  /** Attribute number in the source table, 0 for computed columns. */
  readonly columnNumber: number;
  readonly typeOid: number;
  readonly typeSize: number;
  /** Type modifier: NUMERIC precision/scale, VARCHAR/CHAR length; -1 when none. */
  readonly typmod: number;
}

export interface BackendKeyData {
  readonly processId: number;
  readonly secretKey: number;
}

export interface Notification {
  readonly processId: number;
  readonly channel: string;
  readonly payload: string;
}

export interface CopyResponse {
  /** 0 = textual, 1 = binary. hyperd reports 0 for every format, so do not rely on it. */
  readonly format: number;
  readonly columnFormats: readonly number[];
}

/** Reads the fields of an ErrorResponse or NoticeResponse. */
export function parseServerMessageFields(buffer: Buffer, start: number, end: number): ServerMessageFields {
  const reader = new BufferReader(buffer, start, end);
  const fields: Record<string, string> = {};
  while (reader.remaining > 0) {
    const code = reader.uint8();
    if (code === 0) break;
    fields[String.fromCharCode(code)] = reader.cstring();
  }
  return fields;
}

export function parseRowDescription(buffer: Buffer, start: number, end: number): ColumnDescription[] {
  const reader = new BufferReader(buffer, start, end);
  const count = reader.int16be();
  const columns: ColumnDescription[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const name = reader.cstring();
    const tableOid = reader.uint32be();
    const columnNumber = reader.int16be();
    const typeOid = reader.uint32be();
    const typeSize = reader.int16be();
    const typmod = reader.int32be();
    reader.int16be(); // format code: hyperd always reports 0, whatever was requested
    columns[i] = { name, tableOid, columnNumber, typeOid, typeSize, typmod };
  }
  return columns;
}

export function parseParameterDescription(buffer: Buffer, start: number, end: number): number[] {
  const reader = new BufferReader(buffer, start, end);
  const count = reader.int16be();
  const oids: number[] = new Array(count);
  for (let i = 0; i < count; i++) oids[i] = reader.uint32be();
  return oids;
}

export function parseParameterStatus(buffer: Buffer, start: number, end: number): [string, string] {
  const reader = new BufferReader(buffer, start, end);
  return [reader.cstring(), reader.cstring()];
}

export function parseBackendKeyData(buffer: Buffer, start: number, end: number): BackendKeyData {
  const reader = new BufferReader(buffer, start, end);
  return { processId: reader.int32be(), secretKey: reader.int32be() };
}

export function parseNotification(buffer: Buffer, start: number, end: number): Notification {
  const reader = new BufferReader(buffer, start, end);
  return { processId: reader.int32be(), channel: reader.cstring(), payload: reader.cstring() };
}

export function parseCopyResponse(buffer: Buffer, start: number, end: number): CopyResponse {
  const reader = new BufferReader(buffer, start, end);
  const format = reader.uint8();
  const count = reader.int16be();
  const columnFormats: number[] = new Array(count);
  for (let i = 0; i < count; i++) columnFormats[i] = reader.int16be();
  return { format, columnFormats };
}

export function parseCommandTag(buffer: Buffer, start: number, end: number): string {
  return new BufferReader(buffer, start, end).cstring();
}

/**
 * The row count carried by a command tag (`SELECT 5`, `INSERT 0 5`, `COPY 5`), or null for
 * tags without one (`CREATE TABLE`).
 */
export function rowCountOfCommandTag(tag: string): number | null {
  const match = /^(?:SELECT|INSERT \d+|UPDATE|DELETE|COPY|MOVE|FETCH|MERGE) (\d+)$/.exec(tag);
  return match ? Number(match[1]) : null;
}
