import { createHash } from "node:crypto";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  Connection,
  type Notification,
  ProtocolError,
  type ServerNotice,
} from "../../src/index.ts";
import { backend } from "../testing/backend-bytes.ts";
import { type ClientMessage, startScriptedServer } from "../testing/scripted-server.ts";

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

function welcome(socket: Socket): void {
  socket.write(
    Buffer.concat([
      backend.authenticationOk(),
      backend.parameterStatus("server_version", "9.1.0"),
      backend.backendKeyData(1, 2),
      backend.readyForQuery(),
    ]),
  );
}

let stop: (() => Promise<void>) | undefined;

afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe("login methods a local hyperd does not use by default", () => {
  it("answers a cleartext password request", async () => {
    const received: string[] = [];
    const server = await startScriptedServer((message: ClientMessage, socket) => {
      if (message.tag === "startup") socket.write(backend.authenticationCleartext());
      if (message.tag === "p") {
        received.push(message.body.toString("utf8", 0, message.body.length - 1));
        welcome(socket);
      }
    });
    stop = server.close;
    await using connection = await Connection.connect({
      endpoint: `127.0.0.1:${server.port}`,
      password: "s3cret",
    });
    expect(received).toEqual(["s3cret"]);
    expect(connection.parameter("server_version")).toBe("9.1.0");
  });

  it("answers an MD5 password request with md5(md5(password + user) + salt)", async () => {
    const salt = Buffer.from([9, 8, 7, 6]);
    const received: string[] = [];
    const server = await startScriptedServer((message, socket) => {
      if (message.tag === "startup") socket.write(backend.authenticationMd5(salt));
      if (message.tag === "p") {
        received.push(message.body.toString("utf8", 0, message.body.length - 1));
        welcome(socket);
      }
    });
    stop = server.close;
    await using _connection = await Connection.connect({
      endpoint: `127.0.0.1:${server.port}`,
      user: "alice",
      password: "pw",
    });
    const inner = createHash("md5").update("pwalice").digest("hex");
    const expected = `md5${createHash("md5")
      .update(Buffer.concat([Buffer.from(inner), salt]))
      .digest("hex")}`;
    expect(received).toEqual([expected]);
  });

  it("fails with AuthenticationError when a password is needed but none was given", async () => {
    const server = await startScriptedServer((message, socket) => {
      if (message.tag === "startup") socket.write(backend.authenticationCleartext());
    });
    stop = server.close;
    await expect(Connection.connect({ endpoint: `127.0.0.1:${server.port}` })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });

  it("fails with AuthenticationError for an unknown method", async () => {
    const server = await startScriptedServer((message, socket) => {
      if (message.tag === "startup") socket.write(backend.raw("R", int32(7)));
    });
    stop = server.close;
    await expect(Connection.connect({ endpoint: `127.0.0.1:${server.port}`, password: "x" })).rejects.toThrow(
      /unsupported authentication method \(7\)/,
    );
  });
});

describe("asynchronous messages", () => {
  it("accepts ParameterStatus ('alive'), notices and notifications between data rows", async () => {
    const server = await startScriptedServer((message, socket) => {
      if (message.tag === "startup") welcome(socket);
      if (message.tag === "S") {
        socket.write(
          Buffer.concat([
            backend.parseComplete(),
            backend.bindComplete(),
            backend.rowDescription([{ name: "x", typeOid: 23 }]),
            backend.dataRow([Buffer.from([1, 0, 0, 0])]),
            backend.parameterStatus("alive", "?"),
            backend.notice({ S: "WARNING", C: "01000", M: "careful" }),
            backend.notification(4, "jobs", "done"),
            backend.dataRow([Buffer.from([2, 0, 0, 0])]),
            backend.commandComplete("SELECT 2"),
            backend.readyForQuery(),
          ]),
        );
      }
    });
    stop = server.close;
    const notices: ServerNotice[] = [];
    const notifications: Notification[] = [];
    await using connection = await Connection.connect({
      endpoint: `127.0.0.1:${server.port}`,
      onNotice: (notice) => notices.push(notice),
      onNotification: (notification) => notifications.push(notification),
    });
    const { rows } = await connection.query("SELECT x").all();
    expect(rows).toEqual([[1], [2]]);
    expect(connection.parameter("alive")).toBe("?");
    expect(notices).toMatchObject([{ severity: "WARNING", sqlstate: "01000", message: "careful" }]);
    expect(notifications).toEqual([{ processId: 4, channel: "jobs", payload: "done" }]);
  });

  it("breaks the connection with a ProtocolError on an unknown message tag", async () => {
    const server = await startScriptedServer((message, socket) => {
      if (message.tag === "startup") welcome(socket);
      if (message.tag === "S") socket.write(backend.raw("?", Buffer.alloc(0)));
    });
    stop = server.close;
    const connection = await Connection.connect({ endpoint: `127.0.0.1:${server.port}` });
    await expect(connection.query("SELECT 1").all()).rejects.toBeInstanceOf(ProtocolError);
    expect(connection.isOpen).toBe(false);
  });
});

describe("cancel requests that land late", () => {
  it("hold the next statement back until the cancel landed, then start it exactly once", async () => {
    let syncs = 0;
    const server = await startScriptedServer(
      (message, socket) => {
        if (message.tag === "startup") {
          if (message.body.length === 12) {
            // A CancelRequest: take a while before confirming it by closing.
            setTimeout(() => socket.destroy(), 300);
          } else {
            welcome(socket);
          }
          return;
        }
        if (message.tag === "S") {
          syncs++;
          socket.write(
            Buffer.concat([
              backend.parseComplete(),
              backend.bindComplete(),
              backend.rowDescription([{ name: "n", typeOid: 23 }]),
              backend.dataRow([Buffer.from([syncs, 0, 0, 0])]),
              backend.commandComplete("SELECT 1"),
              backend.readyForQuery(),
            ]),
          );
        }
      },
      { allowHalfOpen: true },
    );
    stop = server.close;
    await using connection = await Connection.connect({ endpoint: `127.0.0.1:${server.port}` });
    const controller = new AbortController();
    const first = connection.query("SELECT n", { signal: controller.signal });
    controller.abort(); // the cancel request goes out while the statement runs
    expect((await first.all()).rows).toEqual([[1]]);
    const started = performance.now();
    expect((await connection.query("SELECT n").all()).rows).toEqual([[2]]);
    expect(performance.now() - started).toBeGreaterThan(150);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(syncs).toBe(2);
    expect(connection.isOpen).toBe(true);
  });
});
