/**
 * hyperd's first query, run by the daemon as soon as hyperd is up.
 *
 * A fresh hyperd answers its first extended-protocol query (Parse, Bind, Execute: what every
 * client of the wire layer sends) 5 to 8 ms slower than every later one, whichever session
 * asks; a simple-protocol query does not take that cost away. On a cold start that first query
 * would be the client's, on the critical path of its first answer. The daemon sends a
 * `SELECT 1` instead, while it publishes `daemon.json` and the client connects and sets up its
 * session, which takes about as long.
 *
 * The few messages are written out here rather than through the wire layer: loading the wire
 * layer costs the daemon more CPU than the warm-up saves, at the moment the client loads its own
 * code on the same cores. Any failure is ignored: the warm-up only saves time, and the watchdog
 * is what checks hyperd's health.
 *
 * @module
 */
import { HYPERD_LOGIN_USER, type HyperProcess } from "@hyperdb-ts/hyperdb-api/process";

const { connect } = process.getBuiltinModule("node:net");

/** The protocol number of a PostgreSQL v3 startup message. */
const PROTOCOL_V3 = 196_608;

/** How long the warm-up may take before it is given up. */
const WARM_UP_TIMEOUT_MS = 5_000;

/** Where the warm-up connects: hyperd's Unix domain socket when it has one, else its TCP port. */
export type WarmUpEndpoint = { readonly path: string } | { readonly host: string; readonly port: number };

/** The endpoint of `hyper` the warm-up uses. */
export function warmUpEndpointOf(hyper: HyperProcess): WarmUpEndpoint | undefined {
  if (hyper.unixSocketPath !== null) return { path: hyper.unixSocketPath };
  const endpoint = hyper.endpoint;
  return endpoint.kind === "tcp" ? { host: endpoint.host, port: endpoint.port } : undefined;
}

function startupMessage(user: string): Buffer {
  const body = Buffer.from(`user\0${user}\0\0`, "utf8");
  const message = Buffer.alloc(8 + body.length);
  message.writeInt32BE(message.length, 0);
  message.writeInt32BE(PROTOCOL_V3, 4);
  body.copy(message, 8);
  return message;
}

function message(tag: string, body: Uint8Array = new Uint8Array(0)): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out.write(tag, 0, "latin1");
  out.writeInt32BE(4 + body.length, 1);
  out.set(body, 5);
  return out;
}

/** Parse, Bind (binary results), Describe, Execute and Sync of `SELECT 1`, as clients send them. */
function selectOne(): Buffer {
  // Unnamed portal and statement, no parameter formats, no parameters, one result format: binary.
  const bind = Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
  return Buffer.concat([
    message("P", Buffer.from("\0SELECT 1\0\0\0", "latin1")),
    message("B", bind),
    message("D", Buffer.from("P\0", "latin1")),
    message("E", Buffer.from([0, 0, 0, 0, 0])),
    message("S"),
  ]);
}

/**
 * Logs in to hyperd at `endpoint` as `user`, runs `SELECT 1` and disconnects. Resolves with
 * whether the query completed (false on any error, a password request or the timeout); never
 * rejects.
 */
export function warmUpHyperd(endpoint: WarmUpEndpoint, user: string = HYPERD_LOGIN_USER): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(endpoint);
    let queried = false;
    let settled = false;
    let pending: Buffer = Buffer.alloc(0);
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (ok) socket.end(message("X"));
      else socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), WARM_UP_TIMEOUT_MS);
    timer.unref();
    socket.on("error", () => finish(false));
    socket.on("close", () => finish(false));
    socket.on("connect", () => socket.write(startupMessage(user)));
    socket.on("data", (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (!settled && pending.length >= 5) {
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) return;
        const tag = String.fromCharCode(pending[0] as number);
        const authenticationOk = tag === "R" && length === 8 && pending.readInt32BE(5) === 0;
        pending = pending.subarray(1 + length);
        if (tag === "E" || (tag === "R" && !authenticationOk)) {
          // An error, or a password this login does not have.
          finish(false);
        } else if (tag === "Z" && !queried) {
          queried = true;
          socket.write(selectOne());
        } else if (tag === "Z") {
          finish(true);
        }
      }
    });
  });
}
