import { describe, expect, it } from "vitest";
import {
  parseBackendKeyData,
  parseRowDescription,
  parseServerMessageFields,
  rowCountOfCommandTag,
} from "../../src/protocol/backend-messages.ts";
import { MessageFramer } from "../../src/protocol/message-framer.ts";
import { backend } from "../testing/backend-bytes.ts";

function payloadOf(message: Buffer): [Buffer, number, number] {
  let result: [Buffer, number, number] | null = null;
  new MessageFramer().push(message, (_tag, buffer, start, end) => {
    result = [buffer, start, end];
  });
  if (result === null) throw new Error("no message");
  return result;
}

describe("backend message parsers", () => {
  it("reads a RowDescription", () => {
    const columns = parseRowDescription(
      ...payloadOf(
        backend.rowDescription([
          { name: "id", typeOid: 23 },
          { name: "amount", typeOid: 1700, typmod: 655366 },
        ]),
      ),
    );
    expect(columns).toEqual([
      { name: "id", tableOid: 0, columnNumber: 0, typeOid: 23, typeSize: -1, typmod: -1 },
      { name: "amount", tableOid: 0, columnNumber: 0, typeOid: 1700, typeSize: -1, typmod: 655366 },
    ]);
  });

  it("reads every field of an ErrorResponse, including Hyper's B field", () => {
    const fields = parseServerMessageFields(
      ...payloadOf(
        backend.error({ S: "ERROR", C: "42P01", M: 'table "x" does not exist', B: "User", P: "15" }),
      ),
    );
    expect(fields).toEqual({ S: "ERROR", C: "42P01", M: 'table "x" does not exist', B: "User", P: "15" });
  });

  it("reads BackendKeyData", () => {
    expect(parseBackendKeyData(...payloadOf(backend.backendKeyData(3, -5)))).toEqual({
      processId: 3,
      secretKey: -5,
    });
  });

  it("finds row counts in command tags", () => {
    expect(rowCountOfCommandTag("SELECT 5")).toBe(5);
    expect(rowCountOfCommandTag("INSERT 0 12")).toBe(12);
    expect(rowCountOfCommandTag("COPY 3")).toBe(3);
    expect(rowCountOfCommandTag("DELETE 0")).toBe(0);
    expect(rowCountOfCommandTag("CREATE TABLE")).toBeNull();
  });
});
