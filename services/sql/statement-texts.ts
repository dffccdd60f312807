/**
 * The source text of each statement of a script, split exactly as parseSql splits it (top-level
 * semicolons, empty statements skipped), so the i-th text is the i-th parsed statement's: from
 * its first token to its last, without the ';' and the comments around it. Query history records
 * each statement of a multi-statement request under its own text.
 *
 * Contract: call it only on a script parseSql accepted (it tokenizes the same way, so it cannot
 * fail then); returns one string per statement parseSql returned.
 */
import { TokenKind, tokenize } from './tokenizer.js';

export function statementTexts(sql: string): string[] {
  const tokens = tokenize(sql);
  const texts: string[] = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== TokenKind.EOF && !(t.kind === TokenKind.OP && t.text === ';')) continue;
    if (i > start) texts.push(sql.slice(tokens[start].start, tokens[i - 1].end));
    start = i + 1;
  }
  return texts;
}
