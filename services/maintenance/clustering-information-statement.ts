/**
 * Recognises `SELECT SYSTEM$CLUSTERING_INFORMATION(...) [[AS] alias]` (a FROM-less SELECT of
 * that one call, nothing else) and answers it in services (clustering-information.ts): one
 * row, one VARCHAR column named after the alias, else after the call as written. Any other
 * statement gives null and runs as usual.
 */
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Catalog } from '../catalog/catalog.js';
import { exprText } from '../plan/expr-text.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { Query } from '../sql/ast.js';
import type { Answer } from '../session/answer.js';
import type { SessionContext } from '../session/statement-result.js';
import { clusteringInformation } from './clustering-information.js';

export function clusteringInformationStatement(ctx: { catalog: Catalog; session: SessionContext }, q: Query): Answer | null {
  if (q.with.length > 0 || q.orderBy.length > 0 || q.limit !== null || q.offset !== null) return null;
  const s = q.body;
  if (s.kind !== 'select' || s.from !== null || s.distinct || s.where !== null || s.groupBy.length > 0) return null;
  if (s.groupingSets !== null || s.having !== null || s.qualify !== null || s.items.length !== 1) return null;
  const item = s.items[0];
  if (item.kind !== 'expr' || item.expr.kind !== 'function' || item.expr.name.toUpperCase() !== 'SYSTEM$CLUSTERING_INFORMATION') return null;
  const columns: Column[] = [{ name: item.alias ?? exprText(item.expr), type: Types.varchar, nullable: false }];
  return { columns, batch: rowsToBatch(columns, [[clusteringInformation(ctx, item.expr.args)]]) };
}
