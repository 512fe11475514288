/**
 * Comparing daemon versions for the newer-client takeover: a front process that is strictly
 * newer than the running daemon replaces it; equal, older or unparseable versions on either side
 * reuse the running daemon (never a downgrade, never a guess).
 *
 * @module
 */

interface ParsedVersion {
  readonly core: readonly [number, number, number];
  readonly prerelease: readonly string[];
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parse(version: string): ParsedVersion | undefined {
  const match = SEMVER.exec(version.trim());
  if (match === null) {
    return undefined;
  }
  const core: [number, number, number] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!core.every(Number.isSafeInteger)) {
    return undefined;
  }
  return { core, prerelease: match[4] === undefined ? [] : match[4].split(".") };
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) {
    return Math.sign(Number(a) - Number(b));
  }
  if (aNumeric !== bNumeric) {
    return aNumeric ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Semver precedence of `a` against `b`: -1, 0 or 1; `undefined` when either is not a semver
 * version. Build metadata is ignored; a prerelease sorts before its release.
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  const left = parse(a);
  const right = parse(b);
  if (left === undefined || right === undefined) {
    return undefined;
  }
  for (let index = 0; index < 3; index++) {
    const diff = Math.sign((left.core[index] ?? 0) - (right.core[index] ?? 0));
    if (diff !== 0) {
      return diff as -1 | 1;
    }
  }
  const lp = left.prerelease;
  const rp = right.prerelease;
  if (lp.length === 0 || rp.length === 0) {
    return lp.length === rp.length ? 0 : lp.length === 0 ? 1 : -1;
  }
  for (let index = 0; index < Math.min(lp.length, rp.length); index++) {
    const diff = compareIdentifiers(lp[index] ?? "", rp[index] ?? "");
    if (diff !== 0) {
      return diff as -1 | 1;
    }
  }
  return Math.sign(lp.length - rp.length) as -1 | 0 | 1;
}

/** Whether a client of version `own` should replace a daemon of version `daemon`. */
export function shouldTakeOver(own: string, daemon: string): boolean {
  return compareVersions(own, daemon) === 1;
}
