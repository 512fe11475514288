/**
 * Builds the {@link ServerConfig} from parsed flags and the environment, once at start-up.
 *
 * @module
 */
import type { GlobalFlags } from "../cli/parse-args.ts";
import { resolveStateDir } from "../daemon/state-dir.ts";
import { type PathEnvironment, resolvePersistentPath } from "./persistent-path.ts";
import { readQueryTimeout } from "./query-timeout.ts";
import type { ServerConfig } from "./server-config.ts";

/** Environment variable naming the hyperd binary or its folder. */
export const HYPERD_PATH_ENV = "HYPERD_PATH";

/** Resolves the configuration; pure apart from what `environment` carries. */
export function resolveServerConfig(flags: GlobalFlags, environment: PathEnvironment): ServerConfig {
  const persistent = flags.ephemeralOnly ? null : resolvePersistentPath(flags.persistentDb, environment);
  const hyperdPath = environment.env[HYPERD_PATH_ENV];
  return {
    readOnly: flags.readOnly,
    ephemeralOnly: flags.ephemeralOnly,
    noDaemon: flags.noDaemon,
    persistentPath: persistent?.path ?? null,
    persistentPathSource: persistent?.source ?? null,
    stateDir: resolveStateDir(environment.env, environment.homedir),
    hyperdPath: hyperdPath !== undefined && hyperdPath.trim() !== "" ? hyperdPath : undefined,
    queryTimeout: readQueryTimeout(environment.env),
  };
}

/** The process's own path environment. */
export function processEnvironment(): PathEnvironment {
  return {
    env: process.env,
    // os.homedir() falls back to the passwd entry; HOME wins when set, as users expect.
    homedir: process.env.HOME ?? process.env.USERPROFILE ?? "",
    platform: process.platform,
    cwd: process.cwd(),
  };
}
