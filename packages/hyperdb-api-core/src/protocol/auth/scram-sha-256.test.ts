import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AuthenticationError, InvalidArgumentError } from "../../errors/index.ts";
import { chooseSaslMechanism, SCRAM_SHA_256, ScramSha256Client, saslprep } from "./scram-sha-256.ts";

// RFC 7677, section 3.
const RFC = {
  password: "pencil",
  clientNonce: "rOprNGfwEbeRWgbNEkqO",
  clientFirst: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
  serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
  clientFinal:
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
  serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
};

function rfcClient(): ScramSha256Client {
  return new ScramSha256Client(RFC.password, RFC.clientNonce, { username: "user" });
}

/** A client that has sent its first message and processed the RFC server-first. */
function rfcClientAfterFirst(): ScramSha256Client {
  const client = rfcClient();
  client.initialResponse();
  client.handleServerFirst(RFC.serverFirst);
  return client;
}

/** Plain re-statement of RFC 5802 section 3, to check the `n=*` path. */
function referenceExchange(password: string, clientFirstBare: string, serverFirst: string) {
  const fields = new Map(serverFirst.split(",").map((p) => [p.slice(0, 1), p.slice(2)]));
  const salted = pbkdf2Sync(
    password,
    Buffer.from(fields.get("s")!, "base64"),
    Number(fields.get("i")),
    32,
    "sha256",
  );
  const withoutProof = `c=biws,r=${fields.get("r")}`;
  const authMessage = [clientFirstBare, serverFirst, withoutProof].join(",");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const signature = createHmac("sha256", storedKey).update(authMessage).digest();
  const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  const serverSignature = createHmac("sha256", serverKey).update(authMessage).digest();
  return {
    clientFinal: `${withoutProof},p=${proof.toString("base64")}`,
    serverFinal: `v=${serverSignature.toString("base64")}`,
  };
}

function expectAuthError(fn: () => unknown, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AuthenticationError);
  if (message) expect((caught as Error).message).toMatch(message);
}

describe("ScramSha256Client", () => {
  it("reproduces the RFC 7677 test vector", () => {
    const client = rfcClient();
    expect(client.initialResponse().toString("utf8")).toBe(RFC.clientFirst);
    expect(client.handleServerFirst(RFC.serverFirst).toString("utf8")).toBe(RFC.clientFinal);
    expect(() => client.verifyServerFinal(RFC.serverFinal)).not.toThrow();
  });

  it("sends n=* by default and signs exactly the client-first-bare it sent", () => {
    const client = new ScramSha256Client(RFC.password, RFC.clientNonce);
    const first = client.initialResponse().toString("utf8");
    expect(first).toBe(`n,,n=*,r=${RFC.clientNonce}`);
    const expected = referenceExchange(RFC.password, first.slice(3), RFC.serverFirst);
    const final = client.handleServerFirst(RFC.serverFirst).toString("utf8");
    expect(final).toBe(expected.clientFinal);
    expect(final).not.toBe(RFC.clientFinal);
    client.verifyServerFinal(expected.serverFinal);
  });

  it("escapes = and , in the user name", () => {
    const client = new ScramSha256Client("pw", "abc", { username: "a=b,c" });
    expect(client.initialResponse().toString("utf8")).toBe("n,,n=a=3Db=2Cc,r=abc");
  });

  it("generates a random 18-byte base64 nonce by default", () => {
    const a = new ScramSha256Client("pw");
    const b = new ScramSha256Client("pw");
    expect(a.clientNonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(Buffer.from(a.clientNonce, "base64")).toHaveLength(18);
    expect(a.clientNonce).not.toBe(b.clientNonce);
    expect(a.initialResponse().toString("utf8")).toBe(`n,,n=*,r=${a.clientNonce}`);
  });

  it("rejects an invalid client nonce", () => {
    expect(() => new ScramSha256Client("pw", "")).toThrow(InvalidArgumentError);
    expect(() => new ScramSha256Client("pw", "a,b")).toThrow(InvalidArgumentError);
    expect(() => new ScramSha256Client("pw", "a b")).toThrow(InvalidArgumentError);
  });

  it("rejects a wrong server signature", () => {
    const client = rfcClientAfterFirst();
    const wrong = `v=${Buffer.alloc(32, 7).toString("base64")}`;
    expectAuthError(() => client.verifyServerFinal(wrong), /server signature does not match/);
    // Same prefix as the RFC signature, different tail.
    const almost = rfcClientAfterFirst();
    expectAuthError(
      () => almost.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dEhknX32o9A7WGY="),
      /server signature does not match/,
    );
  });

  it("rejects a server signature of the wrong length", () => {
    const client = rfcClientAfterFirst();
    expectAuthError(() => client.verifyServerFinal("v=AAAA"), /server signature does not match/);
  });

  it("reports the server's e= error", () => {
    const client = rfcClientAfterFirst();
    expectAuthError(() => client.verifyServerFinal("e=invalid-proof"), /invalid-proof/);
  });

  it("rejects malformed server-final messages", () => {
    for (const bad of ["", "x", "q=abc", "v=not base64!", "v=abc"]) {
      const client = rfcClientAfterFirst();
      expectAuthError(() => client.verifyServerFinal(bad), /Malformed SCRAM server-final-message/);
    }
  });

  it("rejects a server nonce that does not extend the client nonce", () => {
    for (const nonce of ["XXXXNGfwEbeRWgbNEkqO%hvYDpWUa2", "rOprNGfwEbeRWgbNEkq", RFC.clientNonce]) {
      const client = rfcClient();
      client.initialResponse();
      expectAuthError(
        () => client.handleServerFirst(`r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`),
        /nonce does not extend/,
      );
    }
  });

  it("rejects malformed server-first messages", () => {
    const r = "r=rOprNGfwEbeRWgbNEkqO%hvY";
    const cases = [
      "",
      "garbage",
      `${r},s=W22ZaJ0SNY7soEsUEjb6gQ==`,
      `s=W22ZaJ0SNY7soEsUEjb6gQ==,${r},i=4096`,
      `m=ext,${r},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`,
      `${r},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0`,
      `${r},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-1`,
      `${r},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=abc`,
      `${r},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=`,
      `${r},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999`,
      `${r},s=not*base64,i=4096`,
      `${r},s=,i=4096`,
      `${r},s=W22ZaJ0SNY7soEsUEjb6gQ==,,i=4096`,
      "r=rOprNGfwEbeRWgbNEkqO\u00e9,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
    ];
    for (const bad of cases) {
      const client = rfcClient();
      client.initialResponse();
      expectAuthError(() => client.handleServerFirst(bad), /Malformed SCRAM server-first-message/);
    }
  });

  it("accepts extensions after i=", () => {
    const client = rfcClient();
    client.initialResponse();
    const serverFirst = `${RFC.serverFirst},x=ext`;
    const expected = referenceExchange(RFC.password, "n=user,r=rOprNGfwEbeRWgbNEkqO", serverFirst);
    expect(client.handleServerFirst(serverFirst).toString("utf8")).toBe(expected.clientFinal);
  });

  it("enforces the order of the steps and ends after an error", () => {
    const client = rfcClient();
    expectAuthError(() => client.handleServerFirst(RFC.serverFirst), /out of order/);
    expectAuthError(() => client.verifyServerFinal(RFC.serverFinal), /out of order/);
    client.initialResponse();
    expectAuthError(() => client.initialResponse(), /out of order/);
    expectAuthError(() => client.handleServerFirst("garbage"));
    expectAuthError(() => client.handleServerFirst(RFC.serverFirst), /out of order/);

    const done = rfcClientAfterFirst();
    done.verifyServerFinal(RFC.serverFinal);
    expectAuthError(() => done.verifyServerFinal(RFC.serverFinal), /out of order/);
  });

  it("prepares non-ASCII passwords with SASLprep", () => {
    // U+2168 ROMAN NUMERAL NINE normalises to "IX" under NFKC.
    const a = new ScramSha256Client("\u2168", "abc");
    const b = new ScramSha256Client("IX", "abc");
    a.initialResponse();
    b.initialResponse();
    const serverFirst = "r=abcdef,s=c2FsdA==,i=1";
    expect(a.handleServerFirst(serverFirst).toString()).toBe(b.handleServerFirst(serverFirst).toString());
  });
});

describe("saslprep", () => {
  it("leaves ASCII alone, control characters included", () => {
    expect(saslprep("pencil")).toBe("pencil");
    expect(saslprep("a\u0007b")).toBe("a\u0007b");
    expect(saslprep("")).toBe("");
  });

  it("maps, removes and normalises (RFC 4013 examples)", () => {
    expect(saslprep("I\u00adX")).toBe("IX");
    expect(saslprep("\u00aa")).toBe("a");
    expect(saslprep("\u2168")).toBe("IX");
    expect(saslprep("a\u00a0b\u3000c")).toBe("a b c");
    expect(saslprep("caf\u0065\u0301")).toBe("caf\u00e9");
    expect(saslprep("\u{1d400}\u00e9")).toBe("A\u00e9");
  });

  it("falls back to the raw password when the result is prohibited or empty", () => {
    expect(saslprep("\u0007\u00e9")).toBe("\u0007\u00e9");
    expect(saslprep("\ue000\u00e9")).toBe("\ue000\u00e9");
    expect(saslprep("\u00ad")).toBe("\u00ad");
    expect(saslprep("\ud800x\u00e9")).toBe("\ud800x\u00e9");
    expect(saslprep("\u{1fffe}\u00e9")).toBe("\u{1fffe}\u00e9");
    expect(saslprep("\u{e0041}\u00e9")).toBe("\u{e0041}\u00e9");
  });
});

describe("chooseSaslMechanism", () => {
  it("picks SCRAM-SHA-256", () => {
    expect(SCRAM_SHA_256).toBe("SCRAM-SHA-256");
    expect(chooseSaslMechanism(["SCRAM-SHA-256"])).toBe("SCRAM-SHA-256");
    expect(chooseSaslMechanism(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"])).toBe("SCRAM-SHA-256");
  });

  it("rejects SCRAM-SHA-256-PLUS alone and names the offered list", () => {
    expectAuthError(() => chooseSaslMechanism(["SCRAM-SHA-256-PLUS"]), /offered: SCRAM-SHA-256-PLUS\).*TLS/);
    expectAuthError(() => chooseSaslMechanism(["FOO", "BAR"]), /offered: FOO, BAR/);
    expectAuthError(() => chooseSaslMechanism([]), /offered: none/);
  });
});
