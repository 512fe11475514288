import { HyperDbError } from "@hyperdb-ts/hyperdb-api-core";
import { describe, expect, it } from "vitest";
import { HyperdNotFoundError, HyperdStartError } from "../../../src/process/errors.ts";

describe("process errors", () => {
  it("are HyperDbErrors with stable codes and names", () => {
    const notFound = new HyperdNotFoundError("nope");
    expect(HyperDbError.isInstance(notFound)).toBe(true);
    expect(notFound.code).toBe("HYPERD_NOT_FOUND");
    expect(notFound.name).toBe("HyperdNotFoundError");

    const cause = new Error("root");
    const start = new HyperdStartError("failed", { logTail: "a\nb", cause });
    expect(HyperDbError.isInstance(start)).toBe(true);
    expect(start.code).toBe("HYPERD_START_FAILED");
    expect(start.logTail).toBe("a\nb");
    expect(start.cause).toBe(cause);
  });

  it("defaults logTail to an empty string", () => {
    expect(new HyperdStartError("failed").logTail).toBe("");
  });
});
