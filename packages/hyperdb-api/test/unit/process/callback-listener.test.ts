import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CallbackListener } from "../../../src/process/callback-listener.ts";

const listeners: CallbackListener[] = [];
const sockets: Socket[] = [];

afterEach(() => {
  for (const listener of listeners.splice(0)) {
    listener.close();
  }
  for (const socket of sockets.splice(0)) {
    socket.destroy();
  }
});

async function openListener(): Promise<CallbackListener> {
  const listener = await CallbackListener.open();
  listeners.push(listener);
  return listener;
}

/** Connects like hyperd does. */
async function connectTo(listener: CallbackListener): Promise<Socket> {
  const socket = connect(listener.port, "127.0.0.1");
  sockets.push(socket);
  await once(socket, "connect");
  return socket;
}

function message(descriptor: string): Buffer {
  const body = Buffer.from(`${descriptor}\0`, "latin1");
  return Buffer.concat([Buffer.from([body.length]), body]);
}

describe("CallbackListener", () => {
  it("listens on 127.0.0.1 and describes itself as tab.tcp", async () => {
    const listener = await openListener();
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.descriptor).toBe(`tab.tcp://127.0.0.1:${listener.port}`);
  });

  it("reads the length-prefixed, NUL-terminated descriptor", async () => {
    const listener = await openListener();
    const hyperd = await connectTo(listener);
    hyperd.write(message("tab.tcp://127.0.0.1:17000"));
    const { descriptor, socket } = await listener.connection;
    expect(descriptor).toBe("tab.tcp://127.0.0.1:17000");
    expect(socket.destroyed).toBe(false);
  });

  it("reassembles a message split over several packets", async () => {
    const listener = await openListener();
    const hyperd = await connectTo(listener);
    hyperd.setNoDelay(true);
    const bytes = message("tab.domain:///tmp/x/domain/hyper");
    for (let i = 0; i < bytes.length; i += 5) {
      hyperd.write(bytes.subarray(i, i + 5));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect((await listener.connection).descriptor).toBe("tab.domain:///tmp/x/domain/hyper");
  });

  it("keeps the connection open; hyperd sees it close when the owner closes it", async () => {
    const listener = await openListener();
    const hyperd = await connectTo(listener);
    hyperd.write(message("tab.tcp://127.0.0.1:1"));
    const { socket } = await listener.connection;
    listener.close();
    const ended = once(hyperd, "end");
    socket.destroy();
    await ended;
  });

  it("rejects when the connection closes before the message is complete", async () => {
    const listener = await openListener();
    const hyperd = await connectTo(listener);
    hyperd.end(Buffer.from([30, 0x74, 0x61]));
    await expect(listener.connection).rejects.toMatchObject({
      code: "HYPERD_START_FAILED",
      message: expect.stringMatching(/closed the callback connection after 3 bytes/),
    });
  });

  it("rejects an empty descriptor", async () => {
    const listener = await openListener();
    const hyperd = await connectTo(listener);
    hyperd.write(Buffer.from([1, 0]));
    await expect(listener.connection).rejects.toThrow(/empty endpoint/);
  });

  it("stops accepting connections once closed", async () => {
    const listener = await openListener();
    listener.close();
    const socket = connect(listener.port, "127.0.0.1");
    sockets.push(socket);
    const [error] = (await once(socket, "error")) as [NodeJS.ErrnoException];
    expect(error.code).toBe("ECONNREFUSED");
  });
});
