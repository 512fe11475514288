import { open } from "node:fs/promises";

/** Options of {@link readLogTail}. */
export interface ReadLogTailOptions {
  /**
   * Number of lines to return at most.
   * @default 20
   */
  readonly maxLines?: number;
  /**
   * Number of bytes read from the end of the file at most; bounds the work for huge logs.
   * @default 65536
   */
  readonly maxBytes?: number;
}

/**
 * Reads the last lines of a text file (hyperd's log). Never throws: a file that does not
 * exist or cannot be read gives `""`.
 */
export async function readLogTail(path: string, options: ReadLogTailOptions = {}): Promise<string> {
  const maxLines = options.maxLines ?? 20;
  const maxBytes = options.maxBytes ?? 65_536;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const start = size - length;
    const buffer = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, start + filled);
      if (bytesRead === 0) {
        break;
      }
      filled += bytesRead;
    }
    const lines = buffer.subarray(0, filled).toString("utf8").split(/\r?\n/);
    if (start > 0) {
      // The first line was cut by the byte limit.
      lines.shift();
    }
    while (lines.length > 0 && lines.at(-1)?.trim() === "") {
      lines.pop();
    }
    return lines.slice(-maxLines).join("\n");
  } catch {
    return "";
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
