/**
 * Values built on first use. The tools' zod schemas are: a session calls a few of its 33 tools,
 * and building every schema at start-up (a few hundred zod constructors) was a sixth of a cold
 * start's CPU time. Listing the tools needs none of them when the build ships their JSON
 * Schemas (see tool-schemas-file.ts).
 *
 * @module
 */

/** `build`, called once on the first call of the returned function. */
export function lazy<T>(build: () => T): () => T {
  let built: { readonly value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
