import "vitest";

declare module "vitest" {
  /** Values the global setup hands to tests through `inject()`. */
  export interface ProvidedContext {
    /** The one hyperd started for the whole integration test run (see hyperd-global-setup.ts). */
    hyperd: {
      /** TCP host of the PostgreSQL-protocol endpoint. */
      host: string;
      /** TCP port of the PostgreSQL-protocol endpoint. */
      port: number;
      /** Unix domain socket the same hyperd also listens on; `null` where there is none (Windows). */
      socketPath: string | null;
      /** Directory with `hyperd.log`. */
      logDir: string;
      /** Process id of hyperd. */
      pid: number;
    };
  }
}
