/**
 * The error raised when the health port is already bound by someone else.
 *
 * @module
 */
import { AlreadyExistsError } from "@hyperdb-ts/hyperdb-api/errors";

/**
 * Binding the health port failed because the port is taken. Since the health port is the
 * daemon's single-instance lock, this usually means another daemon is already running there.
 */
export class HealthPortInUseError extends AlreadyExistsError {
  /** The port that could not be bound. */
  readonly port: number;
  /** The address the bind was attempted on. */
  readonly host: string;

  constructor(host: string, port: number, options?: ErrorOptions) {
    super(
      `health port ${host}:${port} is already in use (another hyperdb-ts-mcp daemon, or another program, holds it)`,
      options,
    );
    this.host = host;
    this.port = port;
  }
}
