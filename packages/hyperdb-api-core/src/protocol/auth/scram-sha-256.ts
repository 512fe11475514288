import { AuthenticationError, InvalidArgumentError } from "../../errors/index.ts";
import { nodeCrypto } from "./node-crypto.ts";

/** The SASL mechanism name of SCRAM-SHA-256 (RFC 7677) without channel binding. */
export const SCRAM_SHA_256 = "SCRAM-SHA-256";

/** The channel-binding variant; needs TLS, which this client does not use. */
const SCRAM_SHA_256_PLUS = "SCRAM-SHA-256-PLUS";

/** GS2 header for "client does not support channel binding", and its base64 form for `c=`. */
const GS2_HEADER = "n,,";
const GS2_HEADER_BASE64 = Buffer.from(GS2_HEADER).toString("base64");

/** Length in bytes of a SHA-256 digest: the size of the client proof and the server signature. */
const DIGEST_LENGTH = 32;

/**
 * Picks the SASL mechanism to use from the list in `AuthenticationSASL`.
 *
 * @param offered - The mechanism names the server offered, in its order.
 * @returns {@link SCRAM_SHA_256} when offered.
 * @throws AuthenticationError when SCRAM-SHA-256 is not among them (for example when only
 *   SCRAM-SHA-256-PLUS is offered, which needs TLS channel binding).
 */
export function chooseSaslMechanism(offered: readonly string[]): string {
  if (offered.includes(SCRAM_SHA_256)) return SCRAM_SHA_256;
  const list = offered.length === 0 ? "none" : offered.join(", ");
  const hint = offered.includes(SCRAM_SHA_256_PLUS)
    ? `; ${SCRAM_SHA_256_PLUS} requires TLS channel binding, which this client does not support`
    : "";
  throw new AuthenticationError(
    `The server offered no supported SASL authentication mechanism (offered: ${list}); ` +
      `only ${SCRAM_SHA_256} is supported${hint}`,
  );
}

/** Options of {@link ScramSha256Client}. */
export interface ScramSha256ClientOptions {
  /**
   * The user name put in the client-first-message (`n=`). PostgreSQL ignores it, since the
   * startup message already names the user, so the default is `"*"`. `=` and `,` are escaped
   * as `=3D` and `=2C` (RFC 5802).
   */
  readonly username?: string;
}

type State = "initial" | "sent-first" | "sent-final" | "done" | "failed";

/**
 * Client side of a SASL SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) without channel binding
 * (GS2 header `n,,`), as PostgreSQL speaks it.
 *
 * Use: send {@link ScramSha256Client.initialResponse} in `SASLInitialResponse`, pass the text of
 * `AuthenticationSASLContinue` to {@link ScramSha256Client.handleServerFirst} and send the
 * result in `SASLResponse`, then pass the text of `AuthenticationSASLFinal` to
 * {@link ScramSha256Client.verifyServerFinal}. Each step may be done once, in this order;
 * anything else, and every malformed or failing server message, throws `AuthenticationError`.
 * After an error the exchange is over: every further call throws.
 */
export class ScramSha256Client {
  readonly #password: string;
  readonly #clientNonce: string;
  readonly #clientFirstBare: string;
  #state: State = "initial";
  #expectedServerSignature: Buffer | undefined;

  /**
   * @param password - The clear-text password; prepared with {@link saslprep} before hashing.
   * @param clientNonce - The client nonce. Defaults to 18 random bytes in base64; give one only
   *   in tests. Must be printable ASCII without `,`.
   * @param options - See {@link ScramSha256ClientOptions}.
   * @throws InvalidArgumentError when `clientNonce` is empty or has characters not allowed in a nonce.
   */
  constructor(password: string, clientNonce?: string, options: ScramSha256ClientOptions = {}) {
    const nonce = clientNonce ?? nodeCrypto().randomBytes(18).toString("base64");
    if (!isValidNonce(nonce)) {
      throw new InvalidArgumentError("SCRAM client nonce must be non-empty printable ASCII without ','");
    }
    this.#password = password;
    this.#clientNonce = nonce;
    this.#clientFirstBare = `n=${escapeSaslName(options.username ?? "*")},r=${nonce}`;
  }

  /** The client nonce in use. */
  get clientNonce(): string {
    return this.#clientNonce;
  }

  /**
   * Returns the client-first-message, `n,,n=<user>,r=<nonce>`, for `SASLInitialResponse`.
   *
   * @throws AuthenticationError when called more than once.
   */
  initialResponse(): Buffer {
    this.#expectState("initial", "initialResponse");
    this.#state = "sent-first";
    return Buffer.from(GS2_HEADER + this.#clientFirstBare, "utf8");
  }

  /**
   * Handles the server-first-message (`r=<nonce>,s=<salt>,i=<iterations>`) and returns the
   * client-final-message `c=biws,r=<nonce>,p=<proof>` for `SASLResponse`.
   *
   * @param message - The data of `AuthenticationSASLContinue`, decoded as UTF-8.
   * @throws AuthenticationError when the message is malformed, the server nonce does not extend
   *   the client nonce, the iteration count is below 1, or this is called out of order.
   */
  handleServerFirst(message: string): Buffer {
    this.#expectState("sent-first", "handleServerFirst");
    this.#state = "failed";
    const attributes = parseAttributes(message, "server-first-message");
    const [nonceAttr, saltAttr, iterAttr] = attributes;
    if (nonceAttr?.[0] !== "r" || saltAttr?.[0] !== "s" || iterAttr?.[0] !== "i") {
      const mandatory = attributes[0]?.[0] === "m" ? " (mandatory extensions are not supported)" : "";
      throw malformed("server-first-message", `expected r=, s=, i= in this order${mandatory}`);
    }
    const serverNonce = nonceAttr[1];
    if (!isValidNonce(serverNonce)) {
      throw malformed("server-first-message", "the nonce has characters not allowed in a nonce");
    }
    if (!serverNonce.startsWith(this.#clientNonce) || serverNonce.length === this.#clientNonce.length) {
      throw new AuthenticationError(
        "SCRAM authentication failed: the server nonce does not extend the client nonce",
      );
    }
    const salt = decodeBase64(saltAttr[1]);
    if (salt === undefined || salt.length === 0) {
      throw malformed("server-first-message", "the salt is not valid non-empty base64");
    }
    if (!/^[1-9][0-9]{0,9}$/.test(iterAttr[1])) {
      throw malformed("server-first-message", "the iteration count must be an integer of at least 1");
    }
    const iterations = Number(iterAttr[1]);
    if (iterations > 0x7fffffff) {
      throw malformed("server-first-message", "the iteration count is too large");
    }

    const clientFinalWithoutProof = `c=${GS2_HEADER_BASE64},r=${serverNonce}`;
    const authMessage = `${this.#clientFirstBare},${message},${clientFinalWithoutProof}`;

    const { createHash, pbkdf2Sync } = nodeCrypto();
    const saltedPassword = pbkdf2Sync(saslprep(this.#password), salt, iterations, DIGEST_LENGTH, "sha256");
    const clientKey = hmac(saltedPassword, "Client Key");
    const storedKey = createHash("sha256").update(clientKey).digest();
    const clientSignature = hmac(storedKey, authMessage);
    const proof = Buffer.alloc(DIGEST_LENGTH);
    for (let i = 0; i < DIGEST_LENGTH; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!;
    const serverKey = hmac(saltedPassword, "Server Key");
    this.#expectedServerSignature = hmac(serverKey, authMessage);
    saltedPassword.fill(0);
    clientKey.fill(0);
    serverKey.fill(0);

    this.#state = "sent-final";
    return Buffer.from(`${clientFinalWithoutProof},p=${proof.toString("base64")}`, "utf8");
  }

  /**
   * Checks the server-final-message: `v=<signature>` must carry the expected server signature
   * (compared in constant time); `e=<error>` reports a failure.
   *
   * @param message - The data of `AuthenticationSASLFinal`, decoded as UTF-8.
   * @throws AuthenticationError when the server reports an error, the signature does not match,
   *   the message is malformed, or this is called out of order.
   */
  verifyServerFinal(message: string): void {
    this.#expectState("sent-final", "verifyServerFinal");
    const expected = this.#expectedServerSignature!;
    this.#state = "failed";
    this.#expectedServerSignature = undefined;
    const [first] = parseAttributes(message, "server-final-message");
    if (first?.[0] === "e") {
      throw new AuthenticationError(`SCRAM authentication failed: the server reported "${first[1]}"`);
    }
    if (first?.[0] !== "v") {
      throw malformed("server-final-message", "expected v= or e=");
    }
    const signature = decodeBase64(first[1]);
    if (signature === undefined) {
      throw malformed("server-final-message", "the server signature is not valid base64");
    }
    if (signature.length !== expected.length || !nodeCrypto().timingSafeEqual(signature, expected)) {
      throw new AuthenticationError(
        "SCRAM authentication failed: the server signature does not match (the server does not know the password)",
      );
    }
    this.#state = "done";
  }

  #expectState(state: State, method: string): void {
    if (this.#state !== state) {
      throw new AuthenticationError(
        `SCRAM exchange out of order: ${method}() called in state "${this.#state}"`,
      );
    }
  }
}

function hmac(key: Buffer, data: string): Buffer {
  return nodeCrypto().createHmac("sha256", key).update(data, "utf8").digest();
}

function malformed(what: string, detail: string): AuthenticationError {
  return new AuthenticationError(`Malformed SCRAM ${what}: ${detail}`);
}

/** A nonce is printable ASCII (0x21–0x7E) except `,` (RFC 5802 `printable`). */
function isValidNonce(nonce: string): boolean {
  return /^[\x21-\x2b\x2d-\x7e]+$/.test(nonce);
}

/** Escapes a saslname: `=` → `=3D`, `,` → `=2C`. */
function escapeSaslName(name: string): string {
  return name.replaceAll("=", "=3D").replaceAll(",", "=2C");
}

/** Strict base64 (with padding) to bytes, or `undefined` when the text is not base64. */
function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, "base64");
}

/**
 * Splits `a=value,b=value,…` into `[name, value]` pairs. Every attribute must be a single
 * ASCII letter followed by `=`; values may contain `=` but not `,`.
 */
function parseAttributes(message: string, what: string): Array<readonly [string, string]> {
  if (message.length === 0) throw malformed(what, "the message is empty");
  return message.split(",").map((part) => {
    if (!/^[A-Za-z]=/.test(part)) {
      throw malformed(what, `"${truncate(part)}" is not an attribute of the form x=value`);
    }
    return [part.charAt(0), part.slice(2)] as const;
  });
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

type Ranges = ReadonlyArray<readonly [number, number]>;

/** RFC 3454 C.1.2: non-ASCII space characters, mapped to U+0020. */
const NON_ASCII_SPACE: Ranges = [
  [0x00a0, 0x00a0],
  [0x1680, 0x1680],
  [0x2000, 0x200b],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];

/** RFC 3454 B.1: characters commonly mapped to nothing. */
const MAPPED_TO_NOTHING: Ranges = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x1806, 0x1806],
  [0x180b, 0x180d],
  [0x200b, 0x200d],
  [0x2060, 0x2060],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
];

/**
 * RFC 4013 prohibited output: controls (C.2), private use (C.3), non-characters (C.4),
 * surrogates (C.5), inappropriate for plain text / canonical representation (C.6, C.7),
 * display-changing characters (C.8) and tagging characters (C.9). Non-ASCII spaces (C.1.2)
 * are already mapped to U+0020 when this is checked.
 */
const PROHIBITED: Ranges = [
  [0x0000, 0x001f],
  [0x007f, 0x009f],
  [0x0340, 0x0341],
  [0x06dd, 0x06dd],
  [0x070f, 0x070f],
  [0x180e, 0x180e],
  [0x200c, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2063],
  [0x206a, 0x206f],
  [0x2ff0, 0x2ffb],
  [0xd800, 0xdfff],
  [0xe000, 0xf8ff],
  [0xfdd0, 0xfdef],
  [0xfeff, 0xfeff],
  [0xfff9, 0xffff],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
  [0xf0000, 0x10ffff],
];

function inRanges(codePoint: number, ranges: Ranges): boolean {
  return ranges.some(([low, high]) => codePoint >= low && codePoint <= high);
}

/** Code points U+nFFFE and U+nFFFF are non-characters in every plane (RFC 3454 C.4). */
function isProhibited(codePoint: number): boolean {
  return inRanges(codePoint, PROHIBITED) || (codePoint & 0xfffe) === 0xfffe;
}

/**
 * Prepares a password the way PostgreSQL's `pg_saslprep` does, minus the unassigned-code-point
 * and bidirectional checks ("SASLprep-lite"): ASCII passwords are used as they are; otherwise
 * non-ASCII spaces become U+0020, characters "commonly mapped to nothing" are removed, and the
 * result is NFKC-normalised. When the result would be empty or contains a prohibited
 * character, the password is used unchanged — as the server does, so both sides agree.
 *
 * @param password - The clear-text password.
 * @returns The string to feed into PBKDF2 (encoded as UTF-8).
 */
export function saslprep(password: string): string {
  let ascii = true;
  for (let i = 0; i < password.length; i++) {
    if (password.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return password;
  let mapped = "";
  // `for…of` walks code points; a lone surrogate comes out as itself and is prohibited below.
  for (const char of password) {
    const codePoint = char.codePointAt(0)!;
    if (inRanges(codePoint, NON_ASCII_SPACE)) mapped += " ";
    else if (!inRanges(codePoint, MAPPED_TO_NOTHING)) mapped += char;
  }
  const prepared = mapped.normalize("NFKC");
  if (prepared.length === 0) return password;
  for (const char of prepared) {
    if (isProhibited(char.codePointAt(0)!)) return password;
  }
  return prepared;
}
