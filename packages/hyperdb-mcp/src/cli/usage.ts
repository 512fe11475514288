/**
 * The `--help` text of `hyperdb-mcp`.
 *
 * @module
 */

/** Usage, options, commands and environment variables, as printed by `--help`. */
export const USAGE = `Usage: hyperdb-mcp [options] [command]

A Model Context Protocol server for SQL analytics over local CSV, JSON, Parquet and Arrow files
with the Hyper engine (hyperd). Without a command it serves MCP over stdio (stdin/stdout); logs go
to stderr. By default one shared background daemon per user owns one hyperd for all servers; it
is started by the first server that needs it and stays resident.

Commands:
  (none)                     serve MCP over stdio
  daemon [--port N] [--idle-timeout SECS]
                             run the shared daemon in the foreground (binds exactly port N,
                             default the base port; exits after SECS idle when given)
  daemon stop [--port N]     ask the running daemon to stop (found through daemon.json and the
                             port range when --port is omitted); exit 1 when none runs
  daemon status              print the running daemon's pid, hyperd endpoint, health port,
                             start time and version; exit 1 when none runs
  doctor [--json]            diagnostics: versions, hyperd, paths, daemon, warnings.
                             Starts nothing and writes nothing

Options (valid before or after a command):
  --persistent-db PATH       the persistent database file (created when missing), attached to
                             every session as "persistent"
  --ephemeral-only           no persistent database; only each session's local database
  --read-only                refuse every tool that could write (READ_ONLY_VIOLATION)
  --no-daemon                use a private hyperd owned by this server instead of the daemon
  --http [HOST:]PORT         serve MCP over Streamable HTTP at http://HOST:PORT/mcp instead of
                             stdio, one session (own local database) per client; HOST defaults
                             to 127.0.0.1. A non-loopback HOST (e.g. 0.0.0.0) needs a bearer
                             token. At most 16 sessions; one idle for 30 minutes is closed
  --http-token-file PATH     read the bearer token of --http from PATH (first line)
  -h, --help                 print this help and exit
  -V, --version              print the version and exit

Environment:
  HYPERD_PATH                the hyperd executable or the folder that holds it (default: the
                             hyperd of the installed hyperdb-mcp-<platform> npm package)
  HYPERDB_PERSISTENT_DB      the persistent database file when --persistent-db is not given
                             (default: ~/.local/share/hyperdb-ts/workspace.hyper on Linux,
                             ~/Library/Application Support/hyperdb-ts/ on macOS,
                             %APPDATA%\\hyperdb-ts\\ on Windows)
  HYPERDB_STATE_DIR          the daemon's state folder: daemon.json and logs (default ~/.hyperdb-ts)
  HYPERDB_DAEMON_PORT        pin the daemon's health port (default: the first free port of 7535-7550)
  HYPERDB_DAEMON_IDLE_TIMEOUT
                             seconds of inactivity after which the daemon exits (default: never)
  HYPERDB_QUERY_TIMEOUT_MS   per-call timeout of query, in ms (default: none)
  HYPERDB_MCP_HTTP_TOKEN     bearer token of --http: every request must send
                             "Authorization: Bearer <token>" (--http-token-file wins)
`;
