/**
 * Splits SQL text into statements at top-level semicolons, the way the REPL and `firn sql`
 * send them to the server one by one.
 *
 * Contract: semicolons inside 'strings' (with '' or backslash escapes), "identifiers",
 * $$dollar strings$$, -- and // line comments and block comments do not split; a '//' right
 * after ':' is a URL (PUT file:///tmp/a.csv @s;), not a comment. Returned
 * statements are trimmed and lack their ';'; segments holding only whitespace and comments
 * are dropped. `rest` is the unterminated tail (possibly inside a string or comment), which
 * the REPL keeps for the next line; when `restHasCode` it is a statement missing its ';',
 * which `firn sql` and the end of piped input run as the last one.
 */
export type SplitResult = { statements: string[]; rest: string; restHasCode: boolean };

const State = {
  CODE: 0,
  SINGLE: 1,
  DOUBLE: 2,
  DOLLAR: 3,
  LINE_COMMENT: 4,
  BLOCK_COMMENT: 5,
} as const;
type State = (typeof State)[keyof typeof State];

export function splitStatements(text: string): SplitResult {
  const statements: string[] = [];
  let state: State = State.CODE;
  let start = 0;
  let hasCode = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text[i]!;
    const next = i + 1 < n ? text[i + 1] : '';
    switch (state) {
      case State.CODE:
        if (ch === ';') {
          if (hasCode) statements.push(text.slice(start, i).trim());
          start = i + 1;
          hasCode = false;
        } else if (ch === "'") {
          state = State.SINGLE;
          hasCode = true;
        } else if (ch === '"') {
          state = State.DOUBLE;
          hasCode = true;
        } else if (ch === '$' && next === '$') {
          state = State.DOLLAR;
          hasCode = true;
          i++;
        } else if (ch === ':' && next === '/' && text[i + 2] === '/') {
          // A URL's '://' (PUT file:///tmp/a.csv @s), not the start of a // comment.
          hasCode = true;
          i += 2;
        } else if ((ch === '-' && next === '-') || (ch === '/' && next === '/')) {
          state = State.LINE_COMMENT;
          i++;
        } else if (ch === '/' && next === '*') {
          state = State.BLOCK_COMMENT;
          i++;
        } else if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') {
          hasCode = true;
        }
        break;
      case State.SINGLE:
        if (ch === '\\') i++;
        else if (ch === "'") {
          if (next === "'") i++;
          else state = State.CODE;
        }
        break;
      case State.DOUBLE:
        if (ch === '"') {
          if (next === '"') i++;
          else state = State.CODE;
        }
        break;
      case State.DOLLAR:
        if (ch === '$' && next === '$') {
          state = State.CODE;
          i++;
        }
        break;
      case State.LINE_COMMENT:
        if (ch === '\n') state = State.CODE;
        break;
      case State.BLOCK_COMMENT:
        if (ch === '*' && next === '/') {
          state = State.CODE;
          i++;
        }
        break;
    }
  }
  const rest = text.slice(start);
  const keep = hasCode || state === State.BLOCK_COMMENT;
  return { statements, rest: keep ? rest : '', restHasCode: hasCode };
}
