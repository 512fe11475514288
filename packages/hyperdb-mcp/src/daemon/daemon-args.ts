/**
 * Parsing `daemon [--port N] [--idle-timeout S]`, the arguments a front process passes when it
 * spawns the daemon (also accepted as `--port=N` / `--idle-timeout=S`).
 *
 * @module
 */
import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api/errors";
import { isPort } from "./daemon-info.ts";
import { parseIdleTimeoutSec } from "./idle-policy.ts";

/** Parsed daemon arguments; `undefined` fields were not given. */
export interface DaemonArgs {
  readonly port: number | undefined;
  /** `undefined`: not given (the environment decides); `null`: `--idle-timeout 0`. */
  readonly idleTimeoutSec: number | null | undefined;
}

/**
 * Parses the arguments after the program name; the leading `daemon` word is required.
 *
 * @throws InvalidArgumentError for unknown or malformed arguments.
 */
export function parseDaemonArgs(argv: readonly string[]): DaemonArgs {
  if (argv[0] !== "daemon") {
    throw new InvalidArgumentError(`usage: daemon [--port N] [--idle-timeout SECS], got "${argv.join(" ")}"`);
  }
  let port: number | undefined;
  let idleTimeoutSec: number | null | undefined;
  for (let index = 1; index < argv.length; index++) {
    const arg = argv[index] ?? "";
    const [name, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) {
        return inline;
      }
      const next = argv[++index];
      if (next === undefined) {
        throw new InvalidArgumentError(`${name} needs a value`);
      }
      return next;
    };
    if (name === "--port") {
      const text = value();
      const parsed = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!isPort(parsed)) {
        throw new InvalidArgumentError(`--port must be a port number in 1..65535, got "${text}"`);
      }
      port = parsed;
    } else if (name === "--idle-timeout") {
      idleTimeoutSec = parseIdleTimeoutSec(value(), "--idle-timeout");
    } else {
      throw new InvalidArgumentError(`unknown daemon argument "${arg}"`);
    }
  }
  return { port, idleTimeoutSec };
}
