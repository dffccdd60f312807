/**
 * Cuts user values quoted in error messages.
 *
 * Why: messages quote the value that failed (a CSV field, a string cast to NUMBER, an
 * identifier, a token). Values can be megabytes long, and an error about a 10 MB field must
 * not come back as a 10 MB response. Every message that quotes a user value passes it
 * through `clipValue`; FirnError bounds whole messages as a safety net (MAX_MESSAGE_CHARS).
 *
 * Contract: `clipValue(v)` returns `v` unchanged up to CLIP_CHARS (100) characters, else its
 * first 100 characters followed by "…". Characters are UTF-16 code units, except that a cut
 * never splits a surrogate pair.
 */

export const CLIP_CHARS = 100;

export function clipValue(value: string): string {
  if (value.length <= CLIP_CHARS) return value;
  const code = value.charCodeAt(CLIP_CHARS - 1);
  const cut = code >= 0xd800 && code <= 0xdbff ? CLIP_CHARS - 1 : CLIP_CHARS;
  return `${value.slice(0, cut)}…`;
}
