import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bearerMatches, bindRefusal, checkRequest, isLoopbackHost, resolveHttpToken } from "./http-auth.ts";

describe("isLoopbackHost", () => {
  it.each(["127.0.0.1", "127.1.2.3", "localhost", "LocalHost", "::1", "[::1]", "::ffff:127.0.0.1"])(
    "takes %s as loopback",
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );

  it.each(["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "127.0.0.1.nip.io", "128.0.0.1"])(
    "takes %s as not loopback",
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

describe("bindRefusal", () => {
  it("allows loopback without a token and anything with one", () => {
    expect(bindRefusal("127.0.0.1", undefined)).toBeUndefined();
    expect(bindRefusal("0.0.0.0", "secret")).toBeUndefined();
  });

  it("refuses a non-loopback address without a token, naming the ways out", () => {
    const message = bindRefusal("0.0.0.0", undefined);
    expect(message).toContain("0.0.0.0");
    expect(message).toContain("HYPERDB_MCP_HTTP_TOKEN");
    expect(message).toContain("--http-token-file");
  });
});

describe("resolveHttpToken", () => {
  it("reads the environment variable, ignoring an empty one", async () => {
    expect(await resolveHttpToken({ HYPERDB_MCP_HTTP_TOKEN: " s3cret\n" }, undefined)).toBe("s3cret");
    expect(await resolveHttpToken({ HYPERDB_MCP_HTTP_TOKEN: "" }, undefined)).toBeUndefined();
    expect(await resolveHttpToken({}, undefined)).toBeUndefined();
  });

  it("prefers the first line of the token file and refuses an empty or missing file", async () => {
    const directory = await mkdtemp(join(tmpdir(), "hyperdb-mcp-token-"));
    const file = join(directory, "token");
    await writeFile(file, "from-file\nignored\n");
    expect(await resolveHttpToken({ HYPERDB_MCP_HTTP_TOKEN: "from-env" }, file)).toBe("from-file");
    await writeFile(file, "\n");
    await expect(resolveHttpToken({}, file)).rejects.toThrow("is empty");
    await expect(resolveHttpToken({}, join(directory, "missing"))).rejects.toThrow(
      "cannot read the token file",
    );
  });
});

describe("bearerMatches", () => {
  it("accepts exactly `Bearer <token>`", () => {
    expect(bearerMatches("Bearer abc", "abc")).toBe(true);
    expect(bearerMatches("bearer abc", "abc")).toBe(true);
    expect(bearerMatches("Bearer abd", "abc")).toBe(false);
    expect(bearerMatches("Bearer abcd", "abc")).toBe(false);
    expect(bearerMatches("Basic abc", "abc")).toBe(false);
    expect(bearerMatches("abc", "abc")).toBe(false);
    expect(bearerMatches(undefined, "abc")).toBe(false);
    expect(bearerMatches("Bearer ", "abc")).toBe(false);
  });
});

describe("checkRequest", () => {
  const loopback = { token: undefined, loopbackOnly: true };

  it("lets loopback Host and Origin headers pass", () => {
    expect(checkRequest({ host: "127.0.0.1:8080" }, loopback)).toBeUndefined();
    expect(
      checkRequest({ host: "localhost:8080", origin: "http://localhost:3000" }, loopback),
    ).toBeUndefined();
    expect(checkRequest({ host: "[::1]:8080" }, loopback)).toBeUndefined();
  });

  it("refuses other Host or Origin headers on loopback (DNS rebinding) with 403", () => {
    expect(checkRequest({ host: "evil.example:8080" }, loopback)?.status).toBe(403);
    expect(checkRequest({}, loopback)?.status).toBe(403);
    expect(checkRequest({ host: "127.0.0.1:8080", origin: "https://evil.example" }, loopback)?.status).toBe(
      403,
    );
  });

  it("does not check the Host header when bound elsewhere", () => {
    expect(checkRequest({ host: "db.example:8080" }, { token: "t", loopbackOnly: false })).toEqual({
      status: 401,
      message: "missing or wrong bearer token",
    });
    expect(
      checkRequest(
        { host: "db.example:8080", authorization: "Bearer t" },
        { token: "t", loopbackOnly: false },
      ),
    ).toBeUndefined();
  });

  it("asks for the bearer token on loopback too when one is configured", () => {
    const policy = { token: "t", loopbackOnly: true };
    expect(checkRequest({ host: "127.0.0.1:1" }, policy)?.status).toBe(401);
    expect(checkRequest({ host: "127.0.0.1:1", authorization: "Bearer x" }, policy)?.status).toBe(401);
    expect(checkRequest({ host: "127.0.0.1:1", authorization: "Bearer t" }, policy)).toBeUndefined();
  });
});
