// Builders for backend messages, byte by byte, so protocol tests start from the wire format.

function message(tag: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header[0] = tag.charCodeAt(0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function int16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(value);
  return b;
}

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

function cstring(value: string): Buffer {
  return Buffer.concat([Buffer.from(value, "utf8"), Buffer.from([0])]);
}

export const backend = {
  authenticationOk: () => message("R", int32(0)),
  authenticationCleartext: () => message("R", int32(3)),
  authenticationMd5: (salt: Buffer) => message("R", Buffer.concat([int32(5), salt])),
  parameterStatus: (name: string, value: string) =>
    message("S", Buffer.concat([cstring(name), cstring(value)])),
  backendKeyData: (processId: number, secret: number) =>
    message("K", Buffer.concat([int32(processId), int32(secret)])),
  readyForQuery: (status = "I") => message("Z", Buffer.from(status)),
  rowDescription: (columns: readonly { name: string; typeOid: number; typmod?: number }[]) =>
    message(
      "T",
      Buffer.concat([
        int16(columns.length),
        ...columns.map((c) =>
          Buffer.concat([
            cstring(c.name),
            int32(0),
            int16(0),
            int32(c.typeOid),
            int16(-1),
            int32(c.typmod ?? -1),
            int16(0),
          ]),
        ),
      ]),
    ),
  dataRow: (fields: readonly (Buffer | null)[]) =>
    message(
      "D",
      Buffer.concat([
        int16(fields.length),
        ...fields.map((f) => (f === null ? int32(-1) : Buffer.concat([int32(f.length), f]))),
      ]),
    ),
  commandComplete: (tag: string) => message("C", cstring(tag)),
  error: (fields: Record<string, string>) =>
    message(
      "E",
      Buffer.concat([
        ...Object.entries(fields).map(([k, v]) => Buffer.concat([Buffer.from(k), cstring(v)])),
        Buffer.from([0]),
      ]),
    ),
  notice: (fields: Record<string, string>) =>
    message(
      "N",
      Buffer.concat([
        ...Object.entries(fields).map(([k, v]) => Buffer.concat([Buffer.from(k), cstring(v)])),
        Buffer.from([0]),
      ]),
    ),
  notification: (processId: number, channel: string, payload: string) =>
    message("A", Buffer.concat([int32(processId), cstring(channel), cstring(payload)])),
  parseComplete: () => message("1", Buffer.alloc(0)),
  bindComplete: () => message("2", Buffer.alloc(0)),
  raw: message,
};
