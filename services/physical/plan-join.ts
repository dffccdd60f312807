/**
 * Physical planning of one join: its condition split into hashable equality keys (one
 * side's columns against the other's, cast to one type) and a residual predicate over the
 * combined row; and the build side, the smaller input once both are known.
 *
 * Contract: keys use SQL equality (NULL never matches), so a conjunct `l = r` becomes a key
 * only when each side reads columns of one input and both can be given one type (NUMBERs of
 * different scales are rescaled to the larger scale); every other conjunct stays residual.
 * A null-safe `l IS NOT DISTINCT FROM r` under the same conditions becomes two keys that are
 * never NULL: `l IS NULL = r IS NULL` and `COALESCE(l, d) = COALESCE(r, d)` for a fixed value
 * d of the key type, so NULL meets NULL and no NULL meets d.
 */
import { Types, type DataType } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { JoinKey } from '../../warehouse/execute/join/join-spec.js';
import { collectColumns, remapColumns } from '../../warehouse/fragment/bound-expr-walk.js';
import { conjuncts } from '../optimizer/rules/push-down-filter.js';

export type SplitCondition = { keys: JoinKey[]; residual: BoundExpr | null };

export function splitJoinCondition(condition: BoundExpr | null, leftWidth: number, rightWidth: number): SplitCondition {
  const keys: JoinKey[] = [];
  const residual: BoundExpr[] = [];
  const toRight = Int32Array.from({ length: leftWidth + rightWidth }, (_, i) => i - leftWidth);
  const side = (e: BoundExpr): 'left' | 'right' | 'both' | 'none' => {
    const cols = [...collectColumns(e, new Set())];
    if (cols.length === 0) return 'none';
    if (cols.every((c) => c < leftWidth)) return 'left';
    if (cols.every((c) => c >= leftWidth)) return 'right';
    return 'both';
  };
  for (const c of conjuncts(condition)) {
    if (c.kind === 'call' && (c.fn === 'eq' || c.fn === 'is_not_distinct_from') && c.args.length === 2) {
      const [a, b] = c.args;
      const sa = side(a);
      const sb = side(b);
      const pair = sa === 'left' && sb === 'right' ? [a, b] : sa === 'right' && sb === 'left' ? [b, a] : null;
      const type = pair ? keyType(pair[0].type, pair[1].type) : null;
      if (pair && type) {
        const key = { left: castKey(pair[0], type), right: castKey(remapColumns(pair[1], toRight), type) };
        if (c.fn === 'eq') {
          keys.push(key);
          continue;
        }
        const fill = nullSafeFill(type);
        if (fill !== undefined) {
          keys.push(...nullSafeKeys(key, type, fill));
          continue;
        }
      }
    }
    residual.push(c);
  }
  return { keys, residual: residual.length === 0 ? null : residual.length === 1 ? residual[0] : { kind: 'and', args: residual, type: Types.boolean } };
}

/** A value of `type` to stand for NULL in a null-safe key (its NULLs are told apart by a second key). */
function nullSafeFill(type: DataType): Scalar | undefined {
  switch (type.kind) {
    case 'NUMBER':
      return 0n;
    case 'TIMESTAMP_NTZ':
      return 0n;
    case 'FLOAT':
    case 'DATE':
      return 0;
    case 'VARCHAR':
    case 'BINARY':
      return '';
    case 'BOOLEAN':
      return false;
    default:
      return undefined;
  }
}

/** The two never-NULL keys of `l IS NOT DISTINCT FROM r`: (l IS NULL, COALESCE(l, fill)). */
function nullSafeKeys(key: JoinKey, type: DataType, fill: Scalar): JoinKey[] {
  const isNull = (e: BoundExpr): BoundExpr => ({ kind: 'is_null', expr: e, negated: false, type: Types.boolean });
  const filled = (e: BoundExpr): BoundExpr => ({ kind: 'call', fn: 'coalesce', args: [e, { kind: 'literal', value: fill, type }], type });
  return [
    { left: isNull(key.left), right: isNull(key.right) },
    { left: filled(key.left), right: filled(key.right) },
  ];
}

/** The one type both sides of an equality key can be hashed as, or null. */
function keyType(a: DataType, b: DataType): DataType | null {
  if (a.kind === 'NUMBER' && b.kind === 'NUMBER') return a.scale === b.scale ? a : Types.number(38, Math.max(a.scale, b.scale));
  if (a.kind !== b.kind) return null;
  return a;
}

function castKey(e: BoundExpr, type: DataType): BoundExpr {
  if (e.type.kind !== 'NUMBER' || type.kind !== 'NUMBER' || e.type.scale === type.scale) return e;
  return { kind: 'cast', expr: e, type, try: false };
}
