/**
 * Node's on-disk compile cache, turned on by the process entries before they load the rest.
 *
 * An ES module is compiled as a whole before any of its code runs, so the cache only helps the
 * modules loaded after it is on. It lives in Node's default folder (`NODE_COMPILE_CACHE`
 * overrides it, `NODE_DISABLE_COMPILE_CACHE=1` turns it off).
 *
 * @module
 */

/** Turns the cache on; a cache that cannot be used only costs the compilation, so never throws. */
export function turnOnCompileCache(): void {
  try {
    process.getBuiltinModule("node:module").enableCompileCache();
  } catch {
    // Start-up without the cache works the same.
  }
}
