import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readLogTail } from "../../../src/process/log-tail.ts";

const dir = mkdtempSync(join(tmpdir(), "log-tail-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("readLogTail", () => {
  it("returns the last lines without the trailing newline", async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const tail = await readLogTail(file("a.log", `${lines.join("\n")}\n`));
    expect(tail).toBe(lines.slice(-20).join("\n"));
  });

  it("returns the whole of a short file", async () => {
    expect(await readLogTail(file("b.log", "one\r\ntwo\n\n"))).toBe("one\ntwo");
  });

  it("drops the line cut by the byte limit", async () => {
    const path = file("c.log", "aaaaaaaaaa\nbbbb\ncccc\n");
    expect(await readLogTail(path, { maxBytes: 12 })).toBe("bbbb\ncccc");
  });

  it("honours maxLines", async () => {
    expect(await readLogTail(file("d.log", "1\n2\n3\n"), { maxLines: 2 })).toBe("2\n3");
  });

  it("returns an empty string for a missing or empty file", async () => {
    expect(await readLogTail(join(dir, "missing.log"))).toBe("");
    expect(await readLogTail(file("e.log", ""))).toBe("");
    expect(await readLogTail(dir)).toBe("");
  });
});
