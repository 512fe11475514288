import { nodeCrypto } from "./node-crypto.ts";

/**
 * Computes the password message for PostgreSQL's `AuthenticationMD5Password` challenge:
 * `"md5" + hex(md5(hex(md5(password + user)) + salt))`.
 *
 * The inner digest is the stored `pg_authid` form of the password; the outer one mixes in the
 * 4-byte salt the server sent, appended as raw bytes (not hex). Strings are encoded as UTF-8.
 *
 * @param user - The user name sent in the startup message.
 * @param password - The clear-text password.
 * @param salt - The 4 salt bytes from the `AuthenticationMD5Password` message.
 * @returns The 35-character string to send in the `PasswordMessage`.
 */
export function md5PasswordMessage(user: string, password: string, salt: Uint8Array): string {
  const { createHash } = nodeCrypto();
  const inner = createHash("md5").update(password, "utf8").update(user, "utf8").digest("hex");
  const outer = createHash("md5").update(inner, "utf8").update(salt).digest("hex");
  return `md5${outer}`;
}
