import type { CallToolResult, Client } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import { startServer, waitForExit } from "./mcp-client.ts";

async function expectStatusWorks(client: Client): Promise<void> {
  const result = (await client.callTool({ name: "status", arguments: {} })) as CallToolResult;
  expect(result.isError).toBeFalsy();
  expect(result.structuredContent).toEqual(
    expect.objectContaining({ server: expect.objectContaining({ name: "hyperdb-mcp" }) }),
  );
}

describe("protocol versions", () => {
  for (const version of ["2025-06-18", "2025-11-25"]) {
    it(`negotiates ${version} over initialize and serves tools/call status`, async () => {
      const server = await startServer({ protocolVersions: [version] });
      try {
        expect(server.client.getNegotiatedProtocolVersion()).toBe(version);
        await expectStatusWorks(server.client);
      } finally {
        await server.client.close();
      }
      expect(await waitForExit(server.pid, 15_000)).toBe(true);
    });
  }

  // Not served yet. Listing "2026-07-28" in McpServer's `supportedProtocolVersions` does register
  // the server/discover handler, but a client pinned to 2026-07-28 (versionNegotiation pin, see
  // mcp-client.ts `pinProtocolVersion`) still failed with "the server did not offer pinned
  // protocol version 2026-07-28 via server/discover" over stdio; to be investigated with the
  // SDK's stdio probe (it runs on a sibling process).
  it.todo("negotiates the stateless 2026-07-28 revision (server/discover) and serves tools/call status");
});
