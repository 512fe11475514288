const MAX_SHOWN = 40;

/**
 * A short description of a JS value for error messages: `"abc" (string)`, `1.5 (number)`,
 * `10n (bigint)`, `null`, `a Date`, `an Array`. Long strings are cut.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string": {
      const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
      return `${JSON.stringify(shown)} (string)`;
    }
    case "number":
      return `${Object.is(value, -0) ? "-0" : String(value)} (number)`;
    case "bigint":
      return `${value}n (bigint)`;
    case "boolean":
      return `${value} (boolean)`;
    case "undefined":
      return "undefined";
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default: {
      if (value === null) return "null";
      const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor
        ?.name;
      if (typeof name !== "string" || name === "" || name === "Object") return "an object";
      return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
    }
  }
}
