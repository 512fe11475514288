/**
 * The live MCP sessions of the HTTP server, by session id, with a cap and an idle timeout.
 *
 * - A new session first reserves a slot ({@link SessionTable.reserve}) — the cap counts
 *   sessions being opened as well — and then is {@link SessionTable.add}ed under its id, or
 *   gives its slot back ({@link SessionTable.release}) when no session came of it.
 * - A session is busy while one of its HTTP exchanges is open (a tool call, or the client's
 *   standing SSE stream); it is idle from the end of its last exchange. A session idle for
 *   longer than the timeout is taken as abandoned and closed by {@link SessionTable.sweep}.
 * - Removing a session closes it (its engine with it); closing runs once per session.
 *
 * @module
 */

/** What the table closes. */
export interface ClosableSession {
  close(): Promise<void>;
}

/** Options of {@link SessionTable}. */
export interface SessionTableOptions {
  /** Most sessions at once (open ones plus those being opened). */
  readonly maxSessions: number;
  /** A session without an open exchange for this long is closed. */
  readonly idleTimeoutMs: number;
  /** The clock; `Date.now` by default. */
  readonly now?: () => number;
}

interface Entry<T> {
  readonly session: T;
  openExchanges: number;
  idleSince: number;
}

/** Sessions by id. */
export class SessionTable<T extends ClosableSession> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #maxSessions: number;
  readonly #idleTimeoutMs: number;
  readonly #now: () => number;
  #reserved = 0;

  constructor(options: SessionTableOptions) {
    this.#maxSessions = options.maxSessions;
    this.#idleTimeoutMs = options.idleTimeoutMs;
    this.#now = options.now ?? Date.now;
  }

  /** Open sessions. */
  get size(): number {
    return this.#entries.size;
  }

  /** Takes a slot for a session being opened; false when the cap is reached. */
  reserve(): boolean {
    if (this.#entries.size + this.#reserved >= this.#maxSessions) {
      return false;
    }
    this.#reserved++;
    return true;
  }

  /** Gives back a reserved slot that did not become a session. */
  release(): void {
    this.#reserved = Math.max(0, this.#reserved - 1);
  }

  /** Registers a session under `id`, taking over a reserved slot. */
  add(id: string, session: T): void {
    this.release();
    this.#entries.set(id, { session, openExchanges: 0, idleSince: this.#now() });
  }

  /** The session of `id`, if open. */
  get(id: string): T | undefined {
    return this.#entries.get(id)?.session;
  }

  /** Marks an exchange of session `id` as open; the returned function marks it ended. */
  begin(id: string): () => void {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      return () => undefined;
    }
    entry.openExchanges++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      entry.openExchanges--;
      entry.idleSince = this.#now();
    };
  }

  /** Removes and closes session `id`; false when it was not open. */
  async remove(id: string): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      return false;
    }
    this.#entries.delete(id);
    await entry.session.close();
    return true;
  }

  /** Closes the sessions idle for longer than the timeout; returns their ids. */
  async sweep(): Promise<string[]> {
    const now = this.#now();
    const expired = [...this.#entries]
      .filter(([, entry]) => entry.openExchanges === 0 && now - entry.idleSince > this.#idleTimeoutMs)
      .map(([id]) => id);
    await Promise.all(expired.map((id) => this.remove(id)));
    return expired;
  }

  /** Closes every session. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#entries.keys()].map((id) => this.remove(id)));
  }
}
