/**
 * The text pool TPC-H comments are cut from, built as dbgen builds it (text.c): sentences from
 * dbgen's grammar ("N V T", "N V P T", ...), noun and verb phrases and weighted word lists
 * (dbgen-dists.ts), drawn from dbgen's text stream, each followed by one space. dbgen's pool
 * is 300 MiB; this one is its first TEXT_POOL_SIZE characters (the pool is generated front to
 * back from one stream, so a prefix is the same text), which is plenty for the bench and
 * cheap to build. Comments therefore have dbgen's lengths, words and word frequencies, but
 * since they are cut at offsets into a shorter pool they are not dbgen's exact strings.
 *
 * Contract: textPool() returns the same string (TEXT_POOL_SIZE characters: letters, spaces,
 * '-' and , . ; : ? ! only; never '|', quotes or newlines) on every call and in every process.
 */
import { pickIndex, TextDists, type Distribution } from './dbgen-dists.js';
import { DbgenRandom, DbgenStream } from './dbgen-random.js';

export const TEXT_POOL_SIZE = 1 << 20;

const SD = DbgenStream.TEXT;
const { nouns, verbs, adjectives, adverbs, auxillaries, articles, prepositions, terminators, grammar, np, vp } = TextDists;

function word(rng: DbgenRandom, dist: Distribution): string {
  return dist.members[pickIndex(rng, SD, dist)];
}

/** dbgen's txt_np / txt_vp: a phrase form, then one word per part of speech, each followed by its punctuation and a space. */
function phrase(rng: DbgenRandom, forms: Distribution): string {
  let out = '';
  for (const token of word(rng, forms).split(' ')) {
    const src =
      token[0] === 'N' ? nouns : token[0] === 'V' ? verbs : token[0] === 'J' ? adjectives : token[0] === 'D' ? adverbs : token[0] === 'X' ? auxillaries : articles;
    out += `${word(rng, src)}${token.slice(1)} `;
  }
  return out;
}

/** dbgen's txt_sentence: phrases in the grammar's order; the terminator replaces the last space. */
function sentence(rng: DbgenRandom): string {
  let out = '';
  for (const part of word(rng, grammar).split(' ')) {
    if (part === 'N') out += phrase(rng, np);
    else if (part === 'V') out += phrase(rng, vp);
    else if (part === 'P') out += `${word(rng, prepositions)} the ${phrase(rng, np)}`;
    else out = out.slice(0, -1) + word(rng, terminators);
  }
  return out;
}

let pool: string | null = null;

export function textPool(): string {
  if (pool !== null) return pool;
  const rng = new DbgenRandom();
  const parts: string[] = [];
  let size = 0;
  while (size < TEXT_POOL_SIZE) {
    const s = `${sentence(rng)} `;
    parts.push(s);
    size += s.length;
  }
  pool = parts.join('').slice(0, TEXT_POOL_SIZE);
  return pool;
}
