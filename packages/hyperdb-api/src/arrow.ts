// Public API of @hyperdb-ts/hyperdb-api/arrow: Apache Arrow in and out. Needs the
// `apache-arrow` package, which is an optional peer dependency.
export {};
