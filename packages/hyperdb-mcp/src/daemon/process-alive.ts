/**
 * Whether a local process exists, with no dependency: the launcher asks before loading the server.
 *
 * @module
 */

/** Whether a local process with this pid exists (one we may not signal counts as existing). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
