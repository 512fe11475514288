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

  // The 2026-07-28 revision has no initialize handshake: the client probes with server/discover
  // (on a short-lived sibling process, as stdio servers may exit on a request before
  // initialize), then starts the real process and sends every request with the per-request
  // `_meta` envelope that names the version.
  it("negotiates the 2026-07-28 revision via server/discover and serves tools on it", async () => {
    const server = await startServer({ pinProtocolVersion: "2026-07-28" });
    try {
      expect(server.client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
      expect(server.client.getProtocolEra()).toBe("modern");
      expect(server.client.getDiscoverResult()?.supportedVersions).toContain("2026-07-28");
      expect(server.client.getServerVersion()?.name).toBe("hyperdb-mcp");
      const { tools } = await server.client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(["status", "query"]));
      await expectStatusWorks(server.client);
      const result = (await server.client.callTool({
        name: "query",
        arguments: { sql: "SELECT 41 + 1 AS answer" },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual(expect.objectContaining({ result: [{ answer: 42 }] }));
    } finally {
      await server.client.close();
    }
    expect(await waitForExit(server.pid, 15_000)).toBe(true);
  });
});
