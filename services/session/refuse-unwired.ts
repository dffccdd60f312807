/**
 * Issue 9's statements and clauses that the parser reads but the engine does not run yet:
 * CREATE ... CLONE, UNDROP, SHOW TABLES HISTORY and SHOW
 * VERSIONS. FirnEngine.execute checks every statement of a request here before running any of
 * them, as when the parser refused them, and each is refused with NotSupportedError (390201 /
 * 0A000), the error the parser gave for them before it could read them, so none silently
 * does nothing or something else. Time
 * travel (AT | BEFORE) on a table reference is refused where tables are bound
 * (services/plan/bind-query.ts). A piece that wires a statement removes its case here.
 */
import { NotSupportedError } from '../../storage/errors/firn-error.js';
import type { Statement } from '../sql/ast.js';

/** Throws NotSupportedError when `st` is a statement (or form) the engine cannot run yet. */
export function refuseUnwired(st: Statement): void {
  const construct = unwiredConstruct(st);
  if (construct !== null) throw new NotSupportedError(construct);
}

/** The name of the unwired construct `st` is, else null. */
function unwiredConstruct(st: Statement): string | null {
  switch (st.kind) {
    case 'create_clone':
      return `CREATE ${st.objectType} ... CLONE`;
    case 'undrop':
      return `UNDROP ${st.objectType}`;
    case 'show':
      return st.history ? `SHOW ${st.objectType} HISTORY` : null;
    case 'show_versions':
      return 'SHOW VERSIONS';
    default:
      return null;
  }
}
