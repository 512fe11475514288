import { AuthenticationError, HyperError, ProtocolError } from "../errors/index.ts";
import { md5PasswordMessage } from "../protocol/auth/md5-password.ts";
import { chooseSaslMechanism, ScramSha256Client } from "../protocol/auth/scram-sha-256.ts";
import {
  type BackendKeyData,
  parseBackendKeyData,
  parseServerMessageFields,
} from "../protocol/backend-messages.ts";
import { BufferReader } from "../protocol/buffer-reader.ts";
import { AuthRequest, BackendTag, describeTag } from "../protocol/message-tags.ts";
import { deferred } from "./deferred.ts";
import type { Operation, OperationContext } from "./operation.ts";

/** Login: StartupMessage, the authentication exchange, then wait for ReadyForQuery. */
export class StartupOperation implements Operation {
  private readonly parameters: Readonly<Record<string, string>>;
  private readonly password: string | undefined;
  private readonly onKeyData: (key: BackendKeyData) => void;
  private readonly completion = deferred<void>();
  private context: OperationContext | null = null;
  private scram: ScramSha256Client | null = null;
  private error: Error | null = null;

  constructor(
    parameters: Readonly<Record<string, string>>,
    password: string | undefined,
    onKeyData: (key: BackendKeyData) => void,
  ) {
    this.parameters = parameters;
    this.password = password;
    this.onKeyData = onKeyData;
  }

  get done(): Promise<void> {
    return this.completion.promise;
  }

  start(context: OperationContext): void {
    this.context = context;
    void context.send(context.writer.startup(this.parameters).flush()).catch(() => {});
  }

  handleMessage(tag: number, buffer: Buffer, start: number, end: number): boolean {
    switch (tag) {
      case BackendTag.Authentication:
        this.authenticate(new BufferReader(buffer, start, end));
        return false;
      case BackendTag.BackendKeyData:
        this.onKeyData(parseBackendKeyData(buffer, start, end));
        return false;
      case BackendTag.NegotiateProtocolVersion:
        return false;
      case BackendTag.ErrorResponse:
        // A login error is followed by the server closing the socket, not by ReadyForQuery.
        this.error = new HyperError(parseServerMessageFields(buffer, start, end));
        this.completion.reject(this.error);
        return true;
      case BackendTag.ReadyForQuery:
        this.completion.resolve();
        return true;
      default:
        throw new ProtocolError(`unexpected message ${describeTag(tag)} during login`);
    }
  }

  fail(error: Error): void {
    this.completion.reject(this.error ?? error);
  }

  private authenticate(reader: BufferReader): void {
    const context = this.context;
    if (context === null) throw new ProtocolError("authentication request before startup");
    const writer = context.writer;
    const request = reader.int32be();
    switch (request) {
      case AuthRequest.ok:
        return;
      case AuthRequest.cleartextPassword:
        void context.send(writer.password(this.requirePassword("cleartext")).flush()).catch(() => {});
        return;
      case AuthRequest.md5Password: {
        const salt = reader.bytes(4);
        const message = md5PasswordMessage(this.parameters.user ?? "", this.requirePassword("MD5"), salt);
        void context.send(writer.password(message).flush()).catch(() => {});
        return;
      }
      case AuthRequest.sasl: {
        const mechanisms: string[] = [];
        while (reader.remaining > 1) mechanisms.push(reader.cstring());
        const mechanism = chooseSaslMechanism(mechanisms);
        this.scram = new ScramSha256Client(this.requirePassword("SCRAM-SHA-256"));
        void context
          .send(writer.saslInitialResponse(mechanism, this.scram.initialResponse()).flush())
          .catch(() => {});
        return;
      }
      case AuthRequest.saslContinue: {
        const reply = this.requireScram().handleServerFirst(reader.rest().toString("utf8"));
        void context.send(writer.saslResponse(reply).flush()).catch(() => {});
        return;
      }
      case AuthRequest.saslFinal:
        this.requireScram().verifyServerFinal(reader.rest().toString("utf8"));
        return;
      default:
        throw new AuthenticationError(
          `the server asked for an unsupported authentication method (${request})`,
        );
    }
  }

  private requirePassword(method: string): string {
    if (this.password === undefined) {
      throw new AuthenticationError(`the server asks for a password (${method}) but none was given`);
    }
    return this.password;
  }

  private requireScram(): ScramSha256Client {
    if (this.scram === null) throw new ProtocolError("SASL continuation without a SASL exchange");
    return this.scram;
  }
}
