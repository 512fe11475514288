import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core/errors";

/** A value of an extra hyperd setting; see {@link buildHyperdArguments}. */
export type HyperdParameterValue = string | number | boolean;

/** Input of {@link buildHyperdArguments}. */
export interface HyperdArgumentsInput {
  /** Descriptor of the callback listener, `tab.tcp://127.0.0.1:<port>`. */
  readonly callbackDescriptor: string;
  /** Descriptor hyperd listens on, e.g. `tab.tcp://localhost:0`. */
  readonly listenDescriptor: string;
  /** Directory hyperd writes `hyperd.log` to. */
  readonly logDir: string;
  /** Storage format version of newly created databases. */
  readonly defaultDatabaseVersion: number;
  /**
   * Extra settings; keys in `snake_case` or `kebab-case`. A key that hyperd already gets by
   * default (e.g. `date_style`) replaces the default value.
   * @default {}
   */
  readonly parameters?: Readonly<Record<string, HyperdParameterValue>> | undefined;
  /**
   * Whether logins need a password (given to hyperd on stdin). Without one, hyperd trusts
   * every local login (`--no-password`).
   * @default false
   */
  readonly requirePassword?: boolean | undefined;
}

/** The user hyperd is initialized with (`--init-user`), the login of every connection. */
export const HYPERD_LOGIN_USER = "tableau_internal_user";

/** Keys the caller may not set through `parameters`, and what to use instead. */
const reservedKeys: Readonly<Record<string, string>> = {
  "callback-connection": "it is how the process launcher learns hyperd's endpoint",
  "log-dir": "use the logDir option",
};

const keyPattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Builds the command line for `hyperd run` (the returned array starts with `run`).
 *
 * Settings are passed as `--key-with-dashes=value`; an empty string gives a bare `--key`, and
 * booleans become `true` / `false` (hyperd rejects bare flags for boolean settings such as
 * `--log-connection`, while `--skip-license=true` is accepted).
 *
 * @throws InvalidArgumentError for a malformed key, a non-finite number, or a key that is
 *   reserved (`callback_connection`, `log_dir`).
 */
export function buildHyperdArguments(input: HyperdArgumentsInput): string[] {
  const settings = new Map<string, string>([
    ["callback-connection", input.callbackDescriptor],
    ["listen-connection", input.listenDescriptor],
    ["init-user", HYPERD_LOGIN_USER],
    ["language", "en_US"],
    ["log-config", "file,json,all,hyperd,0"],
    ["date-style", "MDY"],
    ["date-style-lenient", "false"],
    // Without it hyperd writes its log next to its own executable.
    ["log-dir", input.logDir],
    // Without it hyperd asks for a password on stdin.
    ["no-password", ""],
    // Without it hyperd exits at once.
    ["skip-license", ""],
    ["default-database-version", String(input.defaultDatabaseVersion)],
  ]);
  if (input.requirePassword === true) settings.delete("no-password");

  for (const [rawKey, value] of Object.entries(input.parameters ?? {})) {
    const key = normalizeKey(rawKey);
    const reason = reservedKeys[key];
    if (reason !== undefined) {
      throw new InvalidArgumentError(`hyperd parameter "${rawKey}" cannot be set: ${reason}`);
    }
    settings.set(key, formatValue(rawKey, value));
  }

  const args = ["run"];
  for (const [key, value] of settings) {
    args.push(value === "" ? `--${key}` : `--${key}=${value}`);
  }
  return args;
}

function normalizeKey(rawKey: string): string {
  const key = rawKey.startsWith("--") ? rawKey.slice(2) : rawKey;
  if (!keyPattern.test(key)) {
    throw new InvalidArgumentError(`hyperd parameter name "${rawKey}" is not a valid setting name`);
  }
  return key.replaceAll("_", "-");
}

function formatValue(rawKey: string, value: HyperdParameterValue): string {
  const type: string = typeof value;
  if (type !== "string" && type !== "number" && type !== "boolean") {
    throw new InvalidArgumentError(
      `hyperd parameter "${rawKey}" must be a string, number or boolean, got ${type}`,
    );
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new InvalidArgumentError(`hyperd parameter "${rawKey}" must be a finite number, got ${value}`);
  }
  return String(value);
}
