import { ByteWriter } from "../buffers/byte-writer.ts";
import { FrontendTag, RequestCode } from "./message-tags.ts";

/** A parameter as it goes on the wire: its format code and bytes (null = SQL NULL). */
export interface WireParameter {
  readonly format: 0 | 1 | 2;
  readonly value: Buffer | string | null;
}

/**
 * Builds client messages into one growing buffer, so a pipeline (Parse, Bind, Describe,
 * Execute, Sync) becomes a single socket write. Each connection owns one instance.
 */
export class FrontendWriter {
  private readonly out = new ByteWriter(16 * 1024);

  /** Starts a tagged message and returns the offset of its length field. */
  private begin(tag: number): number {
    this.out.uint8(tag);
    return this.out.reserve(4);
  }

  private finish(lengthOffset: number): this {
    this.out.int32beAt(lengthOffset, this.out.length - lengthOffset);
    return this;
  }

  get length(): number {
    return this.out.length;
  }

  /** Returns everything written as one buffer and starts over. */
  flush(): Buffer {
    const bytes = this.out.toBuffer();
    this.out.reset();
    return bytes;
  }

  startup(parameters: Readonly<Record<string, string>>): this {
    const lengthOffset = this.out.reserve(4);
    this.out.int32be(RequestCode.protocolVersion3);
    for (const [key, value] of Object.entries(parameters)) {
      this.out.cstring(key);
      this.out.cstring(value);
    }
    this.out.uint8(0);
    this.out.int32beAt(lengthOffset, this.out.length - lengthOffset);
    return this;
  }

  /** CancelRequest: sent alone on a fresh connection. */
  cancelRequest(processId: number, secretKey: number): this {
    this.out.int32be(16).int32be(RequestCode.cancel).int32be(processId).int32be(secretKey);
    return this;
  }

  password(password: string): this {
    const at = this.begin(FrontendTag.Password);
    this.out.cstring(password);
    return this.finish(at);
  }

  saslInitialResponse(mechanism: string, data: Buffer): this {
    const at = this.begin(FrontendTag.Password);
    this.out.cstring(mechanism);
    this.out.int32be(data.length).bytes(data);
    return this.finish(at);
  }

  saslResponse(data: Buffer): this {
    const at = this.begin(FrontendTag.Password);
    this.out.bytes(data);
    return this.finish(at);
  }

  query(sql: string): this {
    const at = this.begin(FrontendTag.Query);
    this.out.cstring(sql);
    return this.finish(at);
  }

  parse(statementName: string, sql: string, parameterOids: readonly number[]): this {
    const at = this.begin(FrontendTag.Parse);
    this.out.cstring(statementName);
    this.out.cstring(sql);
    this.out.int16be(parameterOids.length);
    for (const oid of parameterOids) this.out.int32be(oid | 0);
    return this.finish(at);
  }

  bind(
    portalName: string,
    statementName: string,
    parameters: readonly WireParameter[],
    resultFormats: readonly number[],
  ): this {
    const at = this.begin(FrontendTag.Bind);
    this.out.cstring(portalName);
    this.out.cstring(statementName);
    this.out.int16be(parameters.length);
    for (const parameter of parameters) this.out.int16be(parameter.format);
    this.out.int16be(parameters.length);
    for (const parameter of parameters) {
      const value = parameter.value;
      if (value === null) {
        this.out.int32be(-1);
      } else if (typeof value === "string") {
        const lengthOffset = this.out.reserve(4);
        this.out.int32beAt(lengthOffset, this.out.utf8(value));
      } else {
        this.out.int32be(value.length).bytes(value);
      }
    }
    this.out.int16be(resultFormats.length);
    for (const format of resultFormats) this.out.int16be(format);
    return this.finish(at);
  }

  /** Describe a prepared statement (`S`) or a portal (`P`). */
  describe(kind: "S" | "P", name: string): this {
    const at = this.begin(FrontendTag.Describe);
    this.out.uint8(kind.charCodeAt(0));
    this.out.cstring(name);
    return this.finish(at);
  }

  execute(portalName: string, maxRows: number): this {
    const at = this.begin(FrontendTag.Execute);
    this.out.cstring(portalName);
    this.out.int32be(maxRows);
    return this.finish(at);
  }

  /** Close a prepared statement (`S`) or a portal (`P`). */
  close(kind: "S" | "P", name: string): this {
    const at = this.begin(FrontendTag.Close);
    this.out.uint8(kind.charCodeAt(0));
    this.out.cstring(name);
    return this.finish(at);
  }

  sync(): this {
    this.out.uint8(FrontendTag.Sync).int32be(4);
    return this;
  }

  flushRequest(): this {
    this.out.uint8(FrontendTag.Flush).int32be(4);
    return this;
  }

  copyData(data: Uint8Array): this {
    const at = this.begin(FrontendTag.CopyData);
    this.out.bytes(data);
    return this.finish(at);
  }

  copyDone(): this {
    this.out.uint8(FrontendTag.CopyDone).int32be(4);
    return this;
  }

  copyFail(message: string): this {
    const at = this.begin(FrontendTag.CopyFail);
    this.out.cstring(message);
    return this.finish(at);
  }

  terminate(): this {
    this.out.uint8(FrontendTag.Terminate).int32be(4);
    return this;
  }
}

/** The 5-byte header of a CopyData message carrying `payloadLength` bytes. */
export function copyDataHeader(payloadLength: number): Buffer {
  const header = Buffer.allocUnsafe(5);
  header[0] = FrontendTag.CopyData;
  header.writeInt32BE(payloadLength + 4, 1);
  return header;
}
