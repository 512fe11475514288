/**
 * Parsing of the `hyperdb-mcp` command line into one command plus global flags. Global flags
 * (`--persistent-db`, `--ephemeral-only`, `--read-only`, `--no-daemon`) are accepted before or
 * after a subcommand. Errors are values, not exceptions, so the caller decides how to report
 * them (usage on stderr, exit code 2).
 *
 * @module
 */

/** Flags that apply to every command. */
export interface GlobalFlags {
  readonly persistentDb: string | undefined;
  readonly ephemeralOnly: boolean;
  readonly readOnly: boolean;
  readonly noDaemon: boolean;
  /** Set when the deprecated `--workspace` spelling was used. */
  readonly usedWorkspaceAlias: boolean;
}

/** Where `--http` listens. */
export interface HttpListen {
  /** The address to bind; `127.0.0.1` when only a port (or `localhost`) was given. */
  readonly host: string;
  readonly port: number;
}

/** What to run. */
export type CliCommand =
  | { readonly kind: "serve" }
  | {
      readonly kind: "serve-http";
      readonly listen: HttpListen;
      /** File holding the bearer token (`--http-token-file`). */
      readonly tokenFile: string | undefined;
    }
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | {
      readonly kind: "daemon";
      readonly port: number | undefined;
      readonly idleTimeoutSec: number | undefined;
    }
  | { readonly kind: "daemon-stop"; readonly port: number | undefined }
  | { readonly kind: "daemon-status" }
  | { readonly kind: "doctor"; readonly json: boolean };

/** The parse outcome. */
export type ParsedArgs =
  | { readonly ok: true; readonly command: CliCommand; readonly flags: GlobalFlags }
  | { readonly ok: false; readonly message: string };

/** Parses `argv` (without the node and script paths). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let persistentDb: string | undefined;
  let workspace: string | undefined;
  let ephemeralOnly = false;
  let readOnly = false;
  let noDaemon = false;
  let json = false;
  let port: number | undefined;
  let idleTimeoutSec: number | undefined;
  let http: HttpListen | undefined;
  let tokenFile: string | undefined;
  let help = false;
  let version = false;
  const words: string[] = [];

  for (let index = 0; index < argv.length; index++) {
    const raw = argv[index] as string;
    const [name, inlineValue] = raw.startsWith("--") && raw.includes("=") ? splitOnce(raw) : [raw, undefined];
    const takeValue = (): string | undefined => {
      if (inlineValue !== undefined) {
        return inlineValue;
      }
      const next = argv[index + 1];
      if (next === undefined || (next.startsWith("-") && next !== "-")) {
        return undefined;
      }
      index++;
      return next;
    };
    switch (name) {
      case "-h":
      case "--help":
        help = true;
        break;
      case "-V":
      case "--version":
        version = true;
        break;
      case "--ephemeral-only":
        ephemeralOnly = true;
        break;
      case "--read-only":
        readOnly = true;
        break;
      case "--no-daemon":
        noDaemon = true;
        break;
      case "--json":
        json = true;
        break;
      case "--persistent-db":
      case "--workspace": {
        const value = takeValue();
        if (value === undefined || value === "") {
          return { ok: false, message: `${name} needs a file path` };
        }
        if (name === "--workspace") {
          workspace = value;
        } else {
          persistentDb = value;
        }
        break;
      }
      case "--port": {
        const value = takeValue();
        const parsed = parseInteger(value, 1, 65_535);
        if (parsed === undefined) {
          return { ok: false, message: `--port needs a port number from 1 to 65535, got '${value ?? ""}'` };
        }
        port = parsed;
        break;
      }
      case "--idle-timeout": {
        const value = takeValue();
        const parsed = parseInteger(value, 1, 31_536_000);
        if (parsed === undefined) {
          return {
            ok: false,
            message: `--idle-timeout needs a number of seconds (at least 1), got '${value ?? ""}'`,
          };
        }
        idleTimeoutSec = parsed;
        break;
      }
      case "--http": {
        const value = takeValue();
        const parsed = value === undefined ? undefined : parseHttpListen(value);
        if (parsed === undefined) {
          return {
            ok: false,
            message: `--http needs [HOST:]PORT with a port from 1 to 65535, got '${value ?? ""}'`,
          };
        }
        http = parsed;
        break;
      }
      case "--http-token-file": {
        const value = takeValue();
        if (value === undefined || value === "") {
          return { ok: false, message: "--http-token-file needs a file path" };
        }
        tokenFile = value;
        break;
      }
      default:
        if (name.startsWith("-")) {
          return { ok: false, message: `unknown option '${raw}'` };
        }
        words.push(name);
    }
  }

  if (persistentDb !== undefined && workspace !== undefined) {
    return { ok: false, message: "--workspace is an old name of --persistent-db; give only one of them" };
  }
  const persistent = persistentDb ?? workspace;
  if (ephemeralOnly && persistent !== undefined) {
    return { ok: false, message: "--ephemeral-only cannot be combined with --persistent-db" };
  }
  const flags: GlobalFlags = {
    persistentDb: persistent,
    ephemeralOnly,
    readOnly,
    noDaemon,
    usedWorkspaceAlias: workspace !== undefined,
  };
  if (help) {
    return { ok: true, command: { kind: "help" }, flags };
  }
  if (version) {
    return { ok: true, command: { kind: "version" }, flags };
  }

  const command = commandOf(words, { json, port, idleTimeoutSec });
  if (typeof command === "string") {
    return { ok: false, message: command };
  }
  if (http !== undefined || tokenFile !== undefined) {
    return httpCommand(command, http, tokenFile, flags);
  }
  return { ok: true, command, flags };
}

function commandOf(
  words: readonly string[],
  options: { json: boolean; port: number | undefined; idleTimeoutSec: number | undefined },
): CliCommand | string {
  const [first, second, ...rest] = words;
  const misplaced = (flag: string, where: string): string => `${flag} is only valid with ${where}`;
  if (first === undefined) {
    if (options.json) return misplaced("--json", "doctor");
    if (options.port !== undefined) return misplaced("--port", "daemon");
    if (options.idleTimeoutSec !== undefined) return misplaced("--idle-timeout", "daemon");
    return { kind: "serve" };
  }
  if (first === "doctor") {
    if (second !== undefined) return `unexpected argument '${second}' after doctor`;
    if (options.port !== undefined) return misplaced("--port", "daemon");
    if (options.idleTimeoutSec !== undefined) return misplaced("--idle-timeout", "daemon");
    return { kind: "doctor", json: options.json };
  }
  if (first === "daemon") {
    if (options.json) return misplaced("--json", "doctor");
    if (rest.length > 0) return `unexpected argument '${rest[0]}'`;
    if (second === undefined) {
      return { kind: "daemon", port: options.port, idleTimeoutSec: options.idleTimeoutSec };
    }
    if (options.idleTimeoutSec !== undefined) return misplaced("--idle-timeout", "daemon (foreground)");
    if (second === "stop") return { kind: "daemon-stop", port: options.port };
    if (second === "status") {
      if (options.port !== undefined) return misplaced("--port", "daemon or daemon stop");
      return { kind: "daemon-status" };
    }
    return `unknown daemon command '${second}' (use: daemon, daemon stop, daemon status)`;
  }
  return `unknown command '${first}'`;
}

function httpCommand(
  command: CliCommand,
  listen: HttpListen | undefined,
  tokenFile: string | undefined,
  flags: GlobalFlags,
): ParsedArgs {
  if (command.kind !== "serve") {
    return {
      ok: false,
      message: `${listen === undefined ? "--http-token-file" : "--http"} is only valid without a command`,
    };
  }
  if (listen === undefined) {
    return { ok: false, message: "--http-token-file is only valid with --http" };
  }
  return { ok: true, command: { kind: "serve-http", listen, tokenFile }, flags };
}

/**
 * Parses `PORT`, `HOST:PORT` or `[IPV6]:PORT`. Without a host, and for `localhost`, the server
 * binds `127.0.0.1` (a name could also resolve to a non-loopback address).
 */
export function parseHttpListen(value: string): HttpListen | undefined {
  const match = /^(?:(?:\[([^\]]+)\]|([^:[\]]*)):)?(\d+)$/.exec(value);
  if (match === null) {
    return undefined;
  }
  const port = parseInteger(match[3], 1, 65_535);
  const host = match[1] ?? match[2] ?? "";
  if (port === undefined || (match[2] !== undefined && host === "")) {
    return undefined;
  }
  return { host: host === "" || host.toLowerCase() === "localhost" ? "127.0.0.1" : host, port };
}

function splitOnce(text: string): [string, string] {
  const at = text.indexOf("=");
  return [text.slice(0, at), text.slice(at + 1)];
}

function parseInteger(value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) {
    return undefined;
  }
  const parsed = Number(value);
  return parsed >= min && parsed <= max ? parsed : undefined;
}
