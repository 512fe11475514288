import { posix } from "node:path";

/** Where a running hyperd accepts PostgreSQL-protocol connections. */
export type HyperdEndpoint =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | { readonly kind: "unix"; readonly path: string };

const tcpPrefix = "tab.tcp://";
const domainPrefix = "tab.domain://";
const domainSeparator = "/domain/";

/**
 * Parses a hyperd connection descriptor:
 *
 * - `tab.tcp://host:port` (IPv6 hosts in brackets: `tab.tcp://[::1]:7483`);
 * - `tab.domain://<dir>/domain/<name>`, a Unix domain socket whose file is `<dir>/<name>`
 *   (`/domain/` is a separator, not a directory).
 *
 * @returns the endpoint, or `undefined` if the descriptor has neither form.
 */
export function parseEndpointDescriptor(descriptor: string): HyperdEndpoint | undefined {
  if (descriptor.startsWith(tcpPrefix)) {
    const rest = descriptor.slice(tcpPrefix.length);
    const colon = rest.lastIndexOf(":");
    if (colon <= 0) {
      return undefined;
    }
    let host = rest.slice(0, colon);
    const portText = rest.slice(colon + 1);
    if (!/^\d{1,5}$/.test(portText)) {
      return undefined;
    }
    const port = Number(portText);
    if (port < 1 || port > 65_535) {
      return undefined;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.slice(1, -1);
    }
    return host === "" ? undefined : { kind: "tcp", host, port };
  }
  if (descriptor.startsWith(domainPrefix)) {
    const rest = descriptor.slice(domainPrefix.length);
    const separator = rest.lastIndexOf(domainSeparator);
    if (separator < 0) {
      return undefined;
    }
    const dir = rest.slice(0, separator);
    const name = rest.slice(separator + domainSeparator.length);
    if (dir === "" || name === "" || name.includes("/")) {
      return undefined;
    }
    return { kind: "unix", path: posix.join(dir, name) };
  }
  return undefined;
}

/** Builds the `tab.domain://` descriptor that makes hyperd listen on the socket `<directory>/<name>`. */
export function domainSocketDescriptor(directory: string, name: string): string {
  return `${domainPrefix}${directory}${domainSeparator}${name}`;
}
