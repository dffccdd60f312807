/**
 * Issue 9's statements that the parser reads but the engine does not run yet: ALTER TABLE /
 * DATABASE / SCHEMA. FirnEngine.execute checks every statement of a request here before running any of
 * them, as when the parser refused them, and each is refused with NotSupportedError (390201 /
 * 0A000), the error the parser gave for them before it could read them, so none silently
 * does nothing or something else. A piece that wires a statement removes its case here.
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
    case 'alter_table':
      return 'ALTER TABLE';
    case 'alter_container':
      return `ALTER ${st.objectType}`;
    default:
      return null;
  }
}
