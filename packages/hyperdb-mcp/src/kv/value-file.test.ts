import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KV_VALUE_FILE_MAX_BYTES, readValueFile } from "./value-file.ts";

const folder = mkdtempSync(join(tmpdir(), "hyperdb-mcp-value-file-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("readValueFile", () => {
  it("reads a UTF-8 file, also through a symlink", async () => {
    const path = join(folder, "note.json");
    writeFileSync(path, '{"a": "é"}');
    symlinkSync(path, join(folder, "link.json"));
    expect(await readValueFile(path)).toEqual({ ok: true, value: '{"a": "é"}' });
    expect(await readValueFile(join(folder, "link.json"))).toEqual({ ok: true, value: '{"a": "é"}' });
  });

  it("refuses a relative path, a missing file, a directory and a device", async () => {
    expect(await readValueFile("notes/a.txt")).toEqual({
      ok: false,
      code: "INVALID_ARGUMENT",
      message: "value_path path 'notes/a.txt' must be absolute",
    });
    expect(await readValueFile(join(folder, "missing.txt"))).toMatchObject({
      ok: false,
      code: "FILE_NOT_FOUND",
      message: expect.stringContaining("Cannot resolve value_path path"),
    });
    expect(await readValueFile(folder)).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
    expect(await readValueFile("/dev/zero")).toMatchObject({
      ok: false,
      code: "INVALID_ARGUMENT",
      message: "value_path '/dev/zero' is not a regular file",
    });
  });

  it("refuses a file over 64 MiB by its size, and accepts exactly 64 MiB", async () => {
    const huge = join(folder, "huge.txt");
    execFileSync("truncate", ["-s", String(KV_VALUE_FILE_MAX_BYTES + 1), huge]);
    expect(await readValueFile(huge)).toEqual({
      ok: false,
      code: "INVALID_ARGUMENT",
      message: expect.stringMatching(/^value_path file is 67108865 bytes \(> 67108864 hard limit\)/),
    });
    rmSync(huge);
    const cap = join(folder, "cap.txt");
    execFileSync("truncate", ["-s", String(KV_VALUE_FILE_MAX_BYTES), cap]);
    const read = await readValueFile(cap);
    expect(read.ok && read.value.length).toBe(KV_VALUE_FILE_MAX_BYTES);
    rmSync(cap);
  });

  it("refuses bytes that are not UTF-8", async () => {
    const path = join(folder, "latin1.txt");
    writeFileSync(path, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    expect(await readValueFile(path)).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
  });
});
