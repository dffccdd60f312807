/**
 * After a statement succeeds, the session's list of temporary objects follows what it did
 * (temporary-objects.ts): CREATE TEMPORARY TABLE | VIEW adds the object, with what drops it when
 * the session ends; DROP TABLE | VIEW of one removes it, so the name resolves to a permanent
 * object of that name again.
 */
import type { Catalog } from '../catalog/catalog.js';
import { resolveTableName } from '../plan/bind-query.js';
import type { Statement } from '../sql/ast.js';
import type { SessionTransaction } from './session-transaction.js';
import type { SessionContext } from './statement-result.js';
import { dropTemporaryTable, dropTemporaryView, storedTemporaryName, temporaryKey } from './temporary-objects.js';

export function noteTemporaries(catalog: Catalog, st: Statement, session: SessionContext, txn: SessionTransaction): void {
  switch (st.kind) {
    case 'create_table':
    case 'create_view': {
      if (!st.temporary) return;
      const n = resolveTableName({ session }, st.name, true);
      const stored = storedTemporaryName(txn.scope, n.table);
      const key = temporaryKey(n.database, n.schema, n.table);
      if (st.kind === 'create_table') {
        txn.addTemporary('TABLE', key, stored, () => dropTemporaryTable(catalog, n.database, n.schema, stored));
      } else {
        txn.addTemporary('VIEW', key, stored, () => {
          const schema = catalog.getSchema(n.database, n.schema);
          if (schema) dropTemporaryView(catalog, schema.id, stored);
        });
      }
      return;
    }
    case 'drop_table':
    case 'drop_view': {
      const n = resolveTableName({ session }, st.name, true);
      const key = temporaryKey(n.database, n.schema, n.table);
      const kind = st.kind === 'drop_table' ? 'TABLE' : 'VIEW';
      const stored = (kind === 'TABLE' ? session.temporary?.tables : session.temporary?.views)?.get(key);
      if (stored === undefined) return;
      const schema = catalog.getSchema(n.database, n.schema);
      const gone = kind === 'TABLE' ? catalog.getTable(n.database, n.schema, stored) === null : !schema || catalog.views.getView(schema.id, stored) === null;
      if (gone) txn.forgetTemporary(kind, key);
      return;
    }
    default:
  }
}
