/**
 * Ranks of a string dictionary: rank[code] orders the dictionary's strings so that comparing
 * two rows of a 'str' vector is an Int32 compare instead of a string compare.
 *
 * Contract: ranks follow JS string order (UTF-16 code units, the order ORDER BY and MIN/MAX
 * use); equal strings (a dictionary need not be unique) get equal ranks; ranks are dense
 * from 0. Cost O(d log d) string compares for a dictionary of d entries, paid once.
 */
export function rankDictionary(dict: readonly string[]): Int32Array {
  const d = dict.length;
  const order = new Int32Array(d);
  for (let i = 0; i < d; i++) order[i] = i;
  order.sort((a, b) => {
    const x = dict[a];
    const y = dict[b];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const rank = new Int32Array(d);
  let r = -1;
  let prev: string | undefined;
  for (let k = 0; k < d; k++) {
    const s = dict[order[k]];
    if (k === 0 || s !== prev) r++;
    rank[order[k]] = r;
    prev = s;
  }
  return rank;
}
