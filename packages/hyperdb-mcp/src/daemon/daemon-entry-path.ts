/**
 * Which script a front process starts the shared daemon with.
 *
 * The build has a daemon entry of its own (`daemon-entry.js`, beside every other built module),
 * which goes straight to the daemon: started through the command's entry instead, the new
 * process would first load the stdio relay and the command line, on the cold start's critical
 * path (the daemon's hyperd starts only after them).
 *
 * @module
 */
// Start-up path (the stdio relay loads this module): builtins without the ES module facade.
const { existsSync } = process.getBuiltinModule("node:fs");
const { fileURLToPath } = process.getBuiltinModule("node:url");

/** File name of the built daemon entry. */
export const DAEMON_ENTRY_FILE = "daemon-entry.js";

/**
 * The built daemon entry beside this module, or `commandEntry` (the command's own entry, which
 * runs the daemon too) where there is none: the package running from its sources.
 */
export function daemonEntryPath(commandEntry: string): string {
  const built = fileURLToPath(new URL(`./${DAEMON_ENTRY_FILE}`, import.meta.url));
  return existsSync(built) ? built : commandEntry;
}
