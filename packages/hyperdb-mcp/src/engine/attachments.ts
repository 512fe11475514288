/**
 * The databases a session attached with `attach_database`, by alias.
 *
 * The registry is what the session remembers, not what hyperd holds: like the persistent
 * database, an attachment is attached on a pooled connection only for the calls that use it and
 * detached afterwards (hyperd writes a database file only while no session holds it, so this is
 * what keeps committed rows safe from a crash of hyperd). A reconnect or a restarted hyperd
 * therefore loses no attachment: the next call attaches the file again.
 *
 * @module
 */
import { LOCAL_ALIAS, LOCAL_DATABASE, PERSISTENT_ALIAS } from "./engine.ts";
import { mentionsWord } from "./sql-mentions.ts";

/** One database attached by the client. */
export interface Attachment {
  /** Lower-case alias; also the SQL name of the database. */
  readonly alias: string;
  /** Only local files are supported. */
  readonly kind: "local_file";
  /** Absolute, canonical path of the `.hyper` file. */
  readonly path: string;
  /** Whether tools may write to it; a read-only attachment is attached read-only in hyperd too. */
  readonly writable: boolean;
  /** When the client attached it (ISO 8601). */
  readonly attachedAt: string;
}

/** Valid aliases: an SQL-identifier-like name of at most 63 characters. */
export const ALIAS_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Names an alias cannot take: the session's own databases and their SQL aliases. */
const RESERVED_ALIASES: ReadonlySet<string> = new Set([LOCAL_DATABASE, LOCAL_ALIAS, PERSISTENT_ALIAS]);

/** Why `alias` cannot be used, or undefined when it can (before lower-casing). */
export function aliasProblem(alias: string): string | undefined {
  if (!ALIAS_PATTERN.test(alias)) {
    return `invalid alias '${alias.slice(0, 100)}': use a letter or underscore followed by letters, digits or underscores, at most 63 characters`;
  }
  const lower = alias.toLowerCase();
  if (RESERVED_ALIASES.has(lower)) {
    return `the alias '${lower}' is reserved for the session's own databases; choose another alias`;
  }
  if (lower.startsWith("_hyperdb")) {
    return `the alias '${lower}' uses the reserved _hyperdb prefix; choose another alias`;
  }
  return undefined;
}

/** The attachments of one session. */
export class AttachmentRegistry {
  readonly #byAlias = new Map<string, Attachment>();

  /** The attachment under `alias` (any case). */
  get(alias: string): Attachment | undefined {
    return this.#byAlias.get(alias.toLowerCase());
  }

  /** Records an attachment; its alias must be free. */
  add(attachment: Attachment): void {
    if (this.#byAlias.has(attachment.alias)) {
      throw new Error(`an attachment named '${attachment.alias}' exists already`);
    }
    this.#byAlias.set(attachment.alias, attachment);
  }

  /** Forgets the attachment under `alias` (any case); returns it, or undefined when there was none. */
  remove(alias: string): Attachment | undefined {
    const key = alias.toLowerCase();
    const attachment = this.#byAlias.get(key);
    this.#byAlias.delete(key);
    return attachment;
  }

  /** Every attachment, in the order they were made. */
  list(): Attachment[] {
    return [...this.#byAlias.values()];
  }

  /** The aliases SQL text may name (as a whole word, any case), so a call must attach them. */
  mentionedIn(sql: string): string[] {
    if (this.#byAlias.size === 0) return [];
    const lower = sql.toLowerCase();
    return [...this.#byAlias.keys()].filter((alias) => mentionsWord(lower, alias));
  }
}
