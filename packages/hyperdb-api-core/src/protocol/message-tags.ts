/** Tag bytes of messages the server sends (PostgreSQL v3 as hyperd speaks it). */
export const BackendTag = {
  Authentication: 0x52, // 'R'
  BackendKeyData: 0x4b, // 'K'
  BindComplete: 0x32, // '2'
  CloseComplete: 0x33, // '3'
  CommandComplete: 0x43, // 'C'
  CopyData: 0x64, // 'd'
  CopyDone: 0x63, // 'c'
  CopyInResponse: 0x47, // 'G'
  CopyOutResponse: 0x48, // 'H'
  CopyBothResponse: 0x57, // 'W'
  DataRow: 0x44, // 'D'
  EmptyQueryResponse: 0x49, // 'I'
  ErrorResponse: 0x45, // 'E'
  NegotiateProtocolVersion: 0x76, // 'v'
  NoData: 0x6e, // 'n'
  NoticeResponse: 0x4e, // 'N'
  NotificationResponse: 0x41, // 'A'
  ParameterDescription: 0x74, // 't'
  ParameterStatus: 0x53, // 'S'
  ParseComplete: 0x31, // '1'
  PortalSuspended: 0x73, // 's'
  ReadyForQuery: 0x5a, // 'Z'
  RowDescription: 0x54, // 'T'
} as const;

/** Tag bytes of messages the client sends. Startup, SSL and cancel requests have none. */
export const FrontendTag = {
  Bind: 0x42, // 'B'
  Close: 0x43, // 'C'
  CopyData: 0x64, // 'd'
  CopyDone: 0x63, // 'c'
  CopyFail: 0x66, // 'f'
  Describe: 0x44, // 'D'
  Execute: 0x45, // 'E'
  Flush: 0x48, // 'H'
  Parse: 0x50, // 'P'
  Password: 0x70, // 'p' (also SASLInitialResponse and SASLResponse)
  Query: 0x51, // 'Q'
  Sync: 0x53, // 'S'
  Terminate: 0x58, // 'X'
} as const;

/** Request codes of the untagged messages sent before authentication. */
export const RequestCode = {
  protocolVersion3: 196608,
  cancel: 80877102,
  ssl: 80877103,
} as const;

/** Authentication request subtypes in an 'R' message. */
export const AuthRequest = {
  ok: 0,
  cleartextPassword: 3,
  md5Password: 5,
  sasl: 10,
  saslContinue: 11,
  saslFinal: 12,
} as const;

/** Names a tag byte for error messages, e.g. `'D' (0x44)`. */
export function describeTag(tag: number): string {
  const printable = tag >= 0x20 && tag < 0x7f ? `'${String.fromCharCode(tag)}' ` : "";
  return `${printable}(0x${tag.toString(16).padStart(2, "0")})`;
}
