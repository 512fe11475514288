import { describe, expect, it } from "vitest";
import { mentionsPersistent } from "./engine.ts";
import { mentionsWord } from "./sql-mentions.ts";

describe("mentionsWord", () => {
  it("finds a whole identifier word, not a part of one", () => {
    expect(mentionsWord("select * from sales.public.t", "sales")).toBe(true);
    expect(mentionsWord("select * from wholesales.t", "sales")).toBe(false);
    expect(mentionsWord("select * from sales_2024.t", "sales")).toBe(false);
    expect(mentionsWord("select * from sales$x.t", "sales")).toBe(false);
    expect(mentionsWord("select salesx, sales from t", "sales")).toBe(true);
  });

  it("tells whether SQL may name the persistent database, in any case", () => {
    expect(mentionsPersistent('SELECT * FROM Persistent."public".t')).toBe(true);
    expect(mentionsPersistent("SELECT * FROM persistent_copy")).toBe(false);
  });
});
