/**
 * The object name a string names, as IDENTIFIER('<name>') and IDENTIFIER($variable) read it:
 * Snowflake's identifier rules applied to the text (`db.sch."My Table"`: unquoted parts
 * upper-cased, "quoted" parts verbatim), 1 to `maxParts` parts.
 *
 * Contract: anything else in the text (an empty string, a reserved word, an operator, too many
 * parts) is INVALID_IDENTIFIER (000904) naming the text.
 */
import { CompilationError, FirnError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { ObjectName } from './ast.js';
import { RESERVED_WORDS, TokenKind, tokenize, type Token } from './tokenizer.js';

export function objectNameFromText(text: string, maxParts: number): ObjectName {
  const invalid = () => new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '${clipValue(text)}'`);
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (err) {
    if (err instanceof FirnError) throw invalid();
    throw err;
  }
  const parts: string[] = [];
  for (let i = 0; ; i += 2) {
    const t = tokens[i];
    if (t.kind === TokenKind.QUOTED) parts.push(t.value);
    else if (t.kind === TokenKind.WORD && !RESERVED_WORDS.has(t.text.toUpperCase())) parts.push(t.text.toUpperCase());
    else throw invalid();
    const sep = tokens[i + 1];
    if (sep.kind === TokenKind.EOF) break;
    if (sep.kind !== TokenKind.OP || sep.text !== '.' || parts.length === maxParts) throw invalid();
  }
  return { parts };
}
