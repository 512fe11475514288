import { describe, expect, it } from "vitest";
import * as z from "zod";
import { queryOutputSchema, SAMPLE_OUTPUT } from "./query.ts";

describe("query output preparation", () => {
  it("prepares with a sample that is a valid result and sets every optional field", () => {
    // An invalid sample stops zod's parse at the first error and leaves later parts unprepared.
    expect(queryOutputSchema().safeParse(SAMPLE_OUTPUT).success).toBe(true);
    const optional = Object.entries(queryOutputSchema().shape)
      .filter(([, field]) => field instanceof z.ZodOptional)
      .map(([key]) => key);
    expect(optional.length).toBeGreaterThan(0);
    for (const key of optional) expect(SAMPLE_OUTPUT).toHaveProperty(key);
  });
});
