import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HyperProcess } from "../../../hyperdb-api/src/process/hyper-process.ts";
import { AuthenticationError, Connection, HyperError } from "../../src/index.ts";

describe("SCRAM-SHA-256 login against a password-protected hyperd", () => {
  let hyper: HyperProcess;
  let endpoint: string;

  beforeAll(async () => {
    hyper = await HyperProcess.start({ password: "correct horse ✓" });
    if (hyper.endpoint.kind !== "tcp") throw new Error("expected a TCP endpoint");
    endpoint = `${hyper.endpoint.host}:${hyper.endpoint.port}`;
  });

  afterAll(async () => {
    await hyper?.close();
  });

  it("logs in with the right password", async () => {
    await using connection = await Connection.connect({ endpoint, password: "correct horse ✓" });
    expect((await connection.query("SELECT 'logged in'").all()).rows).toEqual([["logged in"]]);
  });

  it("is refused by the server with a wrong password", async () => {
    const attempt = Connection.connect({ endpoint, password: "wrong" });
    await expect(attempt).rejects.toBeInstanceOf(HyperError);
    await expect(attempt).rejects.toMatchObject({ sqlstate: expect.stringMatching(/^(28|42)/) });
  });

  it("fails with AuthenticationError when no password is given", async () => {
    await expect(Connection.connect({ endpoint })).rejects.toBeInstanceOf(AuthenticationError);
  });
});
