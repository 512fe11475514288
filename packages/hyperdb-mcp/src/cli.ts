#!/usr/bin/env node
// The hyperdb-mcp command. The MCP server is under construction.
process.stderr.write("hyperdb-mcp: the MCP server is not released yet\n");
process.exitCode = 1;
