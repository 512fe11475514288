/**
 * Whether SQL text names a database alias, so that a call attaches it first. A loose check on
 * purpose: a whole word anywhere, in any case (also in a string or a comment), because attaching
 * a database that the statement then does not use costs little, and missing one fails the call.
 *
 * @module
 */

/** Whether `lowerText` (lower-cased SQL) has `lowerWord` as a whole identifier word. */
export function mentionsWord(lowerText: string, lowerWord: string): boolean {
  let from = 0;
  for (;;) {
    const at = lowerText.indexOf(lowerWord, from);
    if (at < 0) return false;
    const before = at === 0 ? "" : (lowerText[at - 1] ?? "");
    const after = lowerText[at + lowerWord.length] ?? "";
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = at + 1;
  }
}

function isWordChar(char: string): boolean {
  return /[a-z0-9_$]/.test(char);
}
