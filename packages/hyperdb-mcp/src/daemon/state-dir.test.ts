import { join, resolve } from "node:path";
import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api";
import { describe, expect, it } from "vitest";
import { resolveStateDir } from "./state-dir.ts";

describe("resolveStateDir", () => {
  it("defaults to ~/.hyperdb-ts, never the upstream ~/.hyperdb", () => {
    expect(resolveStateDir({}, "/home/u")).toBe(join("/home/u", ".hyperdb-ts"));
  });

  it("honours HYPERDB_STATE_DIR, made absolute", () => {
    expect(resolveStateDir({ HYPERDB_STATE_DIR: "/tmp/state" }, "/home/u")).toBe(resolve("/tmp/state"));
    expect(resolveStateDir({ HYPERDB_STATE_DIR: "rel/state" }, "/home/u")).toBe(resolve("rel/state"));
  });

  it("ignores an empty override", () => {
    expect(resolveStateDir({ HYPERDB_STATE_DIR: " " }, "/home/u")).toBe(join("/home/u", ".hyperdb-ts"));
  });

  it("fails without a home directory or override", () => {
    expect(() => resolveStateDir({}, "")).toThrow(InvalidArgumentError);
  });
});
