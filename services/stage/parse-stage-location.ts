/**
 * Reads a stage location as written in SQL (one STAGE token, services/sql/tokenizer.ts), in a
 * quoted string ('@s/dir with space/'), or in the `location` of the stage file endpoint.
 *
 * Contract: parseStageLocation(text) accepts
 *   `@name[/path]`, `@schema.name[/path]`, `@db.schema.name[/path]` (a named stage; unquoted
 *   names upper-cased, "quoted" ones verbatim with "" for a quote),
 *   `@~[/path]` (the user's own stage) and `@%table[/path]`, `@db.schema.%table[/path]` (a
 *   table's stage),
 * and returns the location with its path checked by normalizeStagePath (stage-path.ts). Any
 * other text is a SqlSyntaxError naming it (clipped), a bad path CompilationError
 * INVALID_STAGE_PATH.
 */
import { SqlSyntaxError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { StageLocation } from '../sql/ast.js';
import { normalizeStagePath } from './stage-path.js';

const UNQUOTED = /^[A-Za-z_][A-Za-z0-9_$]*/;

export function parseStageLocation(text: string): StageLocation {
  const bad = (why: string) => new SqlSyntaxError(`invalid stage location '${clipValue(text)}': ${why}`);
  if (!text.startsWith('@')) throw bad("a stage location starts with '@'");
  let i = 1;
  if (text[i] === '~') {
    i++;
    return { kind: 'user', path: pathAfter(text, i, bad) };
  }
  const parts: string[] = [];
  let table = false;
  for (;;) {
    if (text[i] === '%') {
      table = true;
      i++;
    }
    const { name, next } = identifier(text, i, bad);
    parts.push(name);
    i = next;
    if (table || text[i] !== '.') break;
    if (parts.length === 3) throw bad('a stage name has at most three parts (database.schema.stage)');
    i++;
  }
  const path = pathAfter(text, i, bad);
  return table ? { kind: 'table', table: { parts }, path } : { kind: 'named', name: { parts }, path };
}

function identifier(text: string, at: number, bad: (why: string) => Error): { name: string; next: number } {
  if (text[at] === '"') {
    let name = '';
    let j = at + 1;
    for (;;) {
      if (j >= text.length) throw bad('an unterminated quoted name');
      if (text[j] === '"') {
        if (text[j + 1] === '"') {
          name += '"';
          j += 2;
          continue;
        }
        j++;
        break;
      }
      name += text[j];
      j++;
    }
    if (name === '') throw bad('an empty quoted name');
    return { name, next: j };
  }
  const m = UNQUOTED.exec(text.slice(at));
  if (!m) throw bad('a stage name is missing');
  return { name: m[0].toUpperCase(), next: at + m[0].length };
}

function pathAfter(text: string, at: number, bad: (why: string) => Error): string {
  if (at === text.length) return '';
  if (text[at] !== '/') throw bad(`unexpected '${clipValue(text.slice(at, at + 1))}' after the stage name`);
  return normalizeStagePath(text.slice(at + 1));
}
