export { md5PasswordMessage } from "./md5-password.ts";
export {
  chooseSaslMechanism,
  SCRAM_SHA_256,
  ScramSha256Client,
  type ScramSha256ClientOptions,
  saslprep,
} from "./scram-sha-256.ts";
