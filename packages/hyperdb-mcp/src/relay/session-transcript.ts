/**
 * What the stdio relay remembers of the MCP messages it passes on, so that it can hand the
 * session to a server in its own process if the daemon goes away: the client's `initialize`
 * request and `notifications/initialized` (to replay the handshake), and which of the client's
 * requests are still unanswered (to answer them with an error).
 *
 * Messages are newline-delimited JSON. A client line longer than {@link CLIENT_LINE_LIMIT}, or a
 * server line longer than {@link SERVER_LINE_LIMIT}, is not kept whole: only its head and tail
 * are, which is where the SDKs put `method` and `id`. Server lines are results, which can be
 * megabytes; all the relay needs of one is its id, so a big one is never parsed.
 *
 * @module
 */
import { isRecord, parseJsonRecord } from "../json-record.ts";

/** Client lines up to this size are parsed as JSON; longer ones only by their head and tail. */
const CLIENT_LINE_LIMIT = 1024 * 1024;
/** The same for server lines. */
const SERVER_LINE_LIMIT = 64 * 1024;
const EDGE_BYTES = 512;

const JSONRPC_MEMBER = String.raw`"jsonrpc"\s*:\s*"2\.0"`;
/** An `id` member; group 1 is its value (a number or a string, as JSON). */
const ID_MEMBER = String.raw`"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")`;
const NEXT = String.raw`\s*,\s*`;
/** `method` as the first member, or after `jsonrpc` and `id` in either order; group 2 is its name. */
const METHOD_AT_HEAD = new RegExp(
  String.raw`^\s*\{\s*(?:(?:${JSONRPC_MEMBER}|${ID_MEMBER})${NEXT}){0,2}"method"\s*:\s*"([^"\\]*)"`,
);
const ID_AT_HEAD = new RegExp(String.raw`^\s*\{\s*(?:${JSONRPC_MEMBER}${NEXT})?${ID_MEMBER}${NEXT}`);
const ID_AT_TAIL = new RegExp(String.raw`${ID_MEMBER}\s*\}\s*$`);

/** The client's `initialize` request as sent. */
export interface InitializeRequest {
  readonly line: string;
  readonly message: Record<string, unknown>;
  /** `JSON.stringify` of its id. */
  readonly idKey: string;
}

/** A JSON-RPC message, as far as it was read. */
interface Seen {
  readonly method: string | undefined;
  /** `JSON.stringify(id)`, or undefined without an id. */
  readonly idKey: string | undefined;
  /** The parsed message and its line, for lines parsed whole. */
  readonly message?: Record<string, unknown>;
  readonly line?: string;
}

/** Splits a byte stream into lines, keeping each line whole only up to its size limit. */
class LineReader {
  #parts: Buffer[] = [];
  #length = 0;
  #head: Buffer | undefined;
  #tail: Buffer = Buffer.alloc(0);

  readonly #onLine: (seen: Seen) => void;
  readonly #fullLineLimit: number;

  constructor(fullLineLimit: number, onLine: (seen: Seen) => void) {
    this.#fullLineLimit = fullLineLimit;
    this.#onLine = onLine;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline < 0) {
        this.#append(chunk.subarray(start));
        return;
      }
      this.#append(chunk.subarray(start, newline));
      this.#onLine(this.#finishLine());
      start = newline + 1;
    }
  }

  /** The bytes of the line read so far, when they were all kept. */
  partial(): Buffer {
    return this.#head === undefined ? Buffer.concat(this.#parts) : Buffer.alloc(0);
  }

  #append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#length += bytes.length;
    if (this.#head === undefined) {
      this.#parts.push(bytes);
      if (this.#length > this.#fullLineLimit) {
        const whole = Buffer.concat(this.#parts);
        this.#head = whole.subarray(0, EDGE_BYTES);
        this.#tail = whole.subarray(whole.length - EDGE_BYTES);
        this.#parts = [];
      }
      return;
    }
    const joined = Buffer.concat([this.#tail, bytes]);
    this.#tail = joined.subarray(Math.max(0, joined.length - EDGE_BYTES));
  }

  #finishLine(): Seen {
    const head = this.#head;
    const parts = this.#parts;
    const tail = this.#tail;
    this.#parts = [];
    this.#length = 0;
    this.#head = undefined;
    this.#tail = Buffer.alloc(0);
    if (head !== undefined) {
      const headText = head.toString("utf8");
      return {
        method: METHOD_AT_HEAD.exec(headText)?.[2],
        idKey: ID_AT_HEAD.exec(headText)?.[1] ?? ID_AT_TAIL.exec(tail.toString("utf8"))?.[1],
      };
    }
    const line = Buffer.concat(parts).toString("utf8");
    const record = parseJsonRecord(line);
    if (record === undefined) {
      return { method: undefined, idKey: undefined };
    }
    return {
      method: typeof record.method === "string" ? record.method : undefined,
      idKey: record.id === undefined || record.id === null ? undefined : JSON.stringify(record.id),
      message: record,
      line,
    };
  }
}

/** The relay's memory of one session. */
export class SessionTranscript {
  #initialize: InitializeRequest | undefined;
  #initialized: string | undefined;
  #firstClientMessage = true;
  readonly #pending = new Set<string>();
  readonly #client = new LineReader(CLIENT_LINE_LIMIT, (seen) => this.#onClientMessage(seen));
  readonly #server = new LineReader(SERVER_LINE_LIMIT, (seen) => this.#onServerMessage(seen));

  /** Bytes the client sent. */
  fromClient(chunk: Buffer): void {
    this.#client.push(chunk);
  }

  /** Bytes the server sent. */
  fromServer(chunk: Buffer): void {
    this.#server.push(chunk);
  }

  /** The client's `initialize`, when the session opened with one (protocol eras up to 2025-11-25). */
  get initialize(): InitializeRequest | undefined {
    return this.#initialize;
  }

  /** The client's `notifications/initialized` line, once sent. */
  get initialized(): string | undefined {
    return this.#initialized;
  }

  /** Ids (as `JSON.stringify(id)`) of the client's requests not answered yet. */
  inFlight(): string[] {
    return [...this.#pending];
  }

  /** The start of a client message not complete yet (empty when it was too long to keep). */
  clientPartial(): Buffer {
    return this.#client.partial();
  }

  #onClientMessage(seen: Seen): void {
    const first = this.#firstClientMessage;
    this.#firstClientMessage = false;
    if (
      seen.method === "initialize" &&
      first &&
      seen.message !== undefined &&
      seen.line !== undefined &&
      seen.idKey !== undefined
    ) {
      this.#initialize = { line: seen.line, message: seen.message, idKey: seen.idKey };
    } else if (seen.method === "notifications/initialized" && seen.line !== undefined) {
      this.#initialized = seen.line;
    } else if (seen.method === "notifications/cancelled") {
      const params = seen.message?.params;
      const requestId = isRecord(params) ? params.requestId : undefined;
      if (requestId !== undefined) this.#pending.delete(JSON.stringify(requestId));
      return;
    }
    if (seen.method !== undefined && seen.idKey !== undefined) {
      this.#pending.add(seen.idKey);
    }
  }

  #onServerMessage(seen: Seen): void {
    // A server's own request (with a method) does not answer anything.
    if (seen.method === undefined && seen.idKey !== undefined) {
      this.#pending.delete(seen.idKey);
    }
  }
}
