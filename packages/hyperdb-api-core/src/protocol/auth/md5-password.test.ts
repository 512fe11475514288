import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { md5PasswordMessage } from "./md5-password.ts";

/** Independent formulation: concatenate the whole input into one buffer, hash once per step. */
function reference(user: string, password: string, salt: Uint8Array): string {
  const inner = createHash("md5")
    .update(Buffer.concat([Buffer.from(password), Buffer.from(user)]))
    .digest()
    .toString("hex");
  const outer = createHash("md5")
    .update(Buffer.concat([Buffer.from(inner, "latin1"), Buffer.from(salt)]))
    .digest()
    .toString("hex");
  return "md5".concat(outer);
}

describe("md5PasswordMessage", () => {
  const salt = Uint8Array.of(0x01, 0x02, 0x03, 0x04);

  it("matches a vector computed with md5sum/openssl", () => {
    // printf passuser | md5sum -> 7f409a7c046daea1c2c60502d7e2becc
    // { printf 7f409a7c046daea1c2c60502d7e2becc; printf '\x01\x02\x03\x04'; } | md5sum
    expect(md5PasswordMessage("user", "pass", salt)).toBe("md56cf524962d8413e6b0cdf79fddff891c");
  });

  it("agrees with an independent formulation", () => {
    expect(md5PasswordMessage("user", "pass", salt)).toBe(reference("user", "pass", salt));
    const salt2 = Uint8Array.of(0xff, 0x00, 0x80, 0x7f);
    expect(md5PasswordMessage("größe", "pässwörd", salt2)).toBe(reference("größe", "pässwörd", salt2));
    expect(md5PasswordMessage("", "", salt2)).toBe(reference("", "", salt2));
  });

  it("appends the salt as raw bytes, so different salts give different answers", () => {
    const a = md5PasswordMessage("user", "pass", salt);
    const b = md5PasswordMessage("user", "pass", Uint8Array.of(0x01, 0x02, 0x03, 0x05));
    expect(a).not.toBe(b);
    expect(a).toMatch(/^md5[0-9a-f]{32}$/);
  });
});
