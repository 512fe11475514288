/**
 * Access rules of the HTTP server (`--http`): which addresses it may bind, where its bearer
 * token comes from, and whether one request may pass.
 *
 * - A loopback address needs nothing; any other address needs a bearer token, so that nobody
 *   else on the network gets SQL access to this machine's files.
 * - The token is read from `--http-token-file` (first line, trimmed) or from
 *   `HYPERDB_MCP_HTTP_TOKEN`. When one is configured — on loopback too — every request must
 *   carry `Authorization: Bearer <token>`; the comparison takes the same time whatever the
 *   mismatch.
 * - On a loopback address the `Host` and `Origin` headers must name a loopback host too: a web
 *   page whose domain was rebound to 127.0.0.1 (DNS rebinding) sends its own domain there.
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  validateHostHeader,
  validateOriginHeader,
} from "@modelcontextprotocol/server";

/** The environment variable that holds the bearer token. */
export const HTTP_TOKEN_ENV = "HYPERDB_MCP_HTTP_TOKEN";

/** Whether `host` (an address or name to bind) is a loopback one. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return (
    name === "localhost" ||
    name === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

/**
 * The bearer token: the first line of `tokenFile` when given, else `HYPERDB_MCP_HTTP_TOKEN`
 * (empty counts as unset); `undefined` when none is configured.
 *
 * @throws Error when the token file cannot be read or holds no token.
 */
export async function resolveHttpToken(
  env: Readonly<Record<string, string | undefined>>,
  tokenFile: string | undefined,
): Promise<string | undefined> {
  if (tokenFile !== undefined) {
    let text: string;
    try {
      text = await readFile(tokenFile, "utf8");
    } catch (error) {
      throw new Error(`cannot read the token file ${tokenFile}: ${(error as Error).message}`);
    }
    const token = (text.split(/\r?\n/)[0] ?? "").trim();
    if (token === "") {
      throw new Error(`the token file ${tokenFile} is empty`);
    }
    return token;
  }
  const fromEnv = env[HTTP_TOKEN_ENV]?.trim();
  return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
}

/** Why the server may not bind `host` with this token; `undefined` when it may. */
export function bindRefusal(host: string, token: string | undefined): string | undefined {
  if (isLoopbackHost(host) || token !== undefined) {
    return undefined;
  }
  return (
    `refusing to listen on the non-loopback address ${host} without a bearer token; ` +
    `set ${HTTP_TOKEN_ENV} or pass --http-token-file, or listen on 127.0.0.1`
  );
}

/** What a request must satisfy. */
export interface HttpAccessPolicy {
  /** The bearer token every request must carry; `undefined` for none. */
  readonly token: string | undefined;
  /** Check `Host` and `Origin` against loopback names (the server is bound to loopback). */
  readonly loopbackOnly: boolean;
}

/** A refused request: the HTTP status and a short reason. */
export interface HttpRefusal {
  readonly status: 401 | 403;
  readonly message: string;
}

/** The request headers the checks read (Node's `IncomingHttpHeaders` fits). */
export interface RequestHeaders {
  readonly host?: string | undefined;
  readonly origin?: string | undefined;
  readonly authorization?: string | undefined;
}

/** Checks one request; `undefined` when it may pass. */
export function checkRequest(headers: RequestHeaders, policy: HttpAccessPolicy): HttpRefusal | undefined {
  if (policy.loopbackOnly) {
    const host = validateHostHeader(headers.host, localhostAllowedHostnames());
    if (!host.ok) {
      return { status: 403, message: host.message };
    }
    const origin = validateOriginHeader(headers.origin, localhostAllowedOrigins());
    if (!origin.ok) {
      return { status: 403, message: origin.message };
    }
  }
  if (policy.token !== undefined && !bearerMatches(headers.authorization, policy.token)) {
    return { status: 401, message: "missing or wrong bearer token" };
  }
  return undefined;
}

/** Whether `authorization` is `Bearer <token>`, compared in constant time. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  const given = match?.[1] ?? "";
  // Comparing digests keeps the time independent of the lengths as well.
  const equal = timingSafeEqual(digest(given), digest(token));
  return match !== null && equal;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
