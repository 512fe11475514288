import { InvalidArgumentError } from "../errors/index.ts";

/** Where a hyperd listens: a TCP host and port, or a Unix domain socket file. */
export type Endpoint =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | { readonly kind: "unix"; readonly path: string };

/**
 * Parses the endpoint spellings users and hyperd use:
 * `host:port`, `[::1]:port`, `tab.tcp://host:port`, `tab.domain://<dir>/domain/<name>`
 * (the socket file is `<dir>/<name>`), and a plain absolute socket path.
 */
export function parseEndpoint(text: string): Endpoint {
  const value = text.trim();
  if (value.startsWith("tab.domain://")) {
    const rest = value.slice("tab.domain://".length);
    const separator = rest.lastIndexOf("/domain/");
    if (separator < 0)
      throw new InvalidArgumentError(`unix endpoint "${text}" lacks the "/domain/" separator`);
    return { kind: "unix", path: `${rest.slice(0, separator)}/${rest.slice(separator + "/domain/".length)}` };
  }
  if (value.startsWith("/")) return { kind: "unix", path: value };
  const hostPort = value.startsWith("tab.tcp://") ? value.slice("tab.tcp://".length) : value;
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(hostPort);
  const port = Number(match?.[3]);
  if (!match || !(port > 0 && port < 65536)) {
    throw new InvalidArgumentError(`cannot parse endpoint "${text}"; expected host:port or a socket path`);
  }
  return { kind: "tcp", host: match[1] ?? match[2] ?? "", port };
}

/** Human-readable form of an endpoint, for messages. */
export function formatEndpoint(endpoint: Endpoint): string {
  if (endpoint.kind === "unix") return endpoint.path;
  return endpoint.host.includes(":")
    ? `[${endpoint.host}]:${endpoint.port}`
    : `${endpoint.host}:${endpoint.port}`;
}
