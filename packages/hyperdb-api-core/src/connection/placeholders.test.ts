import { describe, expect, it } from "vitest";
import { countPlaceholders } from "./placeholders.ts";

describe("countPlaceholders", () => {
  it("finds the highest $n", () => {
    expect(countPlaceholders("SELECT 1")).toBe(0);
    expect(countPlaceholders("SELECT $1, $3, $2")).toBe(3);
    expect(countPlaceholders("SELECT $12::int")).toBe(12);
  });

  it("ignores placeholders inside literals, quoted names and comments", () => {
    expect(countPlaceholders("SELECT '$5', \"$6\", 'it''s $7' -- $8\n, $1 /* $9 /* $10 */ */")).toBe(1);
  });
});
