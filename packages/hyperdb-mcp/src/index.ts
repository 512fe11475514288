/**
 * @hyperdb-ts/hyperdb-mcp: a Model Context Protocol server for SQL analytics over local files
 * with the Hyper engine. The server is under construction; this entry point only names it.
 */
export const SERVER_NAME = "hyperdb-mcp";
