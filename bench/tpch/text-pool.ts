/**
 * The text pool lineitem comments are cut from. dbgen builds a 300 MB pool from its grammar
 * and word lists (dists.dss); this is a smaller pool in the same spirit: sentences of the
 * TPC-H vocabulary ("carefully final deposits sleep above the ideas."), generated
 * deterministically from dbgen's text stream. Comments therefore have dbgen's lengths and
 * look like dbgen's, but are not its exact strings.
 *
 * Contract: textPool() returns the same string (TEXT_POOL_SIZE characters, ASCII letters,
 * spaces and , . ; : only — never '|', quotes or newlines) on every call and in every process.
 */
import { DbgenRandom, DbgenStream } from './dbgen-random.js';

export const TEXT_POOL_SIZE = 1 << 20;

const NOUNS = [
  'foxes', 'ideas', 'theodolites', 'pinto beans', 'instructions', 'dependencies', 'excuses', 'platelets', 'asymptotes',
  'courts', 'dolphins', 'multipliers', 'sauternes', 'warthogs', 'frets', 'dinos', 'attainments', 'somas', 'Tiresias',
  'patterns', 'forges', 'braids', 'hockey players', 'frays', 'warhorses', 'dugouts', 'notornis', 'epitaphs', 'pearls',
  'tithes', 'waters', 'orbits', 'gifts', 'sheaves', 'depths', 'sentiments', 'decoys', 'realms', 'pains', 'grouches',
  'escapades', 'packages', 'requests', 'accounts', 'deposits',
];
const VERBS = [
  'sleep', 'wake', 'are', 'cajole', 'haggle', 'nag', 'use', 'boost', 'affix', 'detect', 'integrate', 'maintain', 'nod',
  'was', 'lose', 'sublate', 'solve', 'thrash', 'promise', 'engage', 'hinder', 'print', 'x-ray', 'breach', 'eat', 'grow',
  'impress', 'mold', 'poach', 'serve', 'run', 'dazzle', 'snooze', 'doze', 'unwind', 'kindle', 'play', 'hang', 'believe',
  'doubt',
];
const ADJECTIVES = [
  'furious', 'sly', 'careful', 'blithe', 'quick', 'fluffy', 'slow', 'quiet', 'ruthless', 'thin', 'close', 'dogged',
  'daring', 'brave', 'stealthy', 'permanent', 'enticing', 'idle', 'busy', 'regular', 'final', 'ironic', 'even', 'bold',
  'silent', 'special', 'pending', 'express', 'unusual',
];
const ADVERBS = [
  'sometimes', 'always', 'never', 'furiously', 'slyly', 'carefully', 'blithely', 'quickly', 'fluffily', 'slowly',
  'quietly', 'ruthlessly', 'thinly', 'closely', 'doggedly', 'daringly', 'bravely', 'stealthily', 'permanently',
  'enticingly', 'idly', 'busily', 'regularly', 'finally', 'ironically', 'evenly', 'boldly', 'silently',
];
const PREPOSITIONS = [
  'about', 'above', 'according to', 'across', 'after', 'against', 'along', 'alongside of', 'among', 'around', 'at',
  'atop', 'before', 'behind', 'beneath', 'beside', 'besides', 'between', 'beyond', 'by', 'despite', 'during', 'except',
  'for', 'from', 'in place of', 'inside', 'instead of', 'into', 'near', 'of', 'on', 'outside', 'over', 'past', 'since',
  'through', 'throughout', 'to', 'toward', 'under', 'until', 'up', 'upon', 'without', 'with', 'within',
];
const TERMINATORS = ['.', ';', ':', '.', ',', '.'];

let pool: string | null = null;

export function textPool(): string {
  if (pool !== null) return pool;
  const rng = new DbgenRandom();
  const pick = (words: readonly string[]): string => words[rng.unif(DbgenStream.TEXT, 0, words.length - 1)];
  const parts: string[] = [];
  let size = 0;
  while (size < TEXT_POOL_SIZE) {
    // "[adverb] adjective noun verb [adverb] preposition the adjective noun<terminator> "
    let s = '';
    if (rng.unif(DbgenStream.TEXT, 0, 1) === 1) s += `${pick(ADVERBS)} `;
    s += `${pick(ADJECTIVES)} ${pick(NOUNS)} ${pick(VERBS)} `;
    if (rng.unif(DbgenStream.TEXT, 0, 1) === 1) s += `${pick(ADVERBS)} `;
    s += `${pick(PREPOSITIONS)} the ${pick(ADJECTIVES)} ${pick(NOUNS)}${pick(TERMINATORS)} `;
    parts.push(s);
    size += s.length;
  }
  pool = parts.join('').slice(0, TEXT_POOL_SIZE);
  return pool;
}
