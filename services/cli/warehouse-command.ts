/**
 * `firn warehouse list|create|resize|suspend|resume` as the SQL statement it stands for, so
 * warehouse management goes through the same statement path (and errors) as `firn sql`.
 *
 * Contract: returns the SQL, or throws a RequestError (BAD_REQUEST) whose message tells the
 * user what is wrong with the command line. Names must be identifiers (plain, or already
 * "quoted"); sizes are words like XSMALL or X-SMALL.
 */
import { RequestError } from '../../storage/errors/firn-error.js';

function usage(message: string): RequestError {
  return new RequestError('BAD_REQUEST', message);
}

const PLAIN_IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const QUOTED_IDENT = /^"(?:[^"]|"")+"$/;

function ident(name: string | undefined, what: string): string {
  if (name === undefined) throw usage(`missing ${what}`);
  if (PLAIN_IDENT.test(name) || QUOTED_IDENT.test(name)) return name;
  throw usage(`invalid ${what} '${name}': use letters, digits, _ and $, or a "quoted" name`);
}

function size(s: string | undefined): string {
  if (s === undefined) throw usage('missing warehouse size (e.g. XSMALL, SMALL, MEDIUM, LARGE)');
  if (/^[A-Za-z0-9_]+$/.test(s)) return s.toUpperCase();
  if (/^[A-Za-z0-9_-]+$/.test(s)) return `'${s.toUpperCase()}'`;
  throw usage(`invalid warehouse size '${s}'`);
}

export function warehouseSql(args: string[], opts: { size?: string }): string {
  const [action, name, extra] = args;
  const expectArgs = (n: number) => {
    if (args.length > n) throw usage(`too many arguments for 'warehouse ${action}'`);
  };
  switch (action) {
    case 'list':
      expectArgs(1);
      return 'SHOW WAREHOUSES';
    case 'create': {
      expectArgs(2);
      const wh = ident(name, 'warehouse name');
      return opts.size === undefined ? `CREATE WAREHOUSE ${wh}` : `CREATE WAREHOUSE ${wh} WAREHOUSE_SIZE = ${size(opts.size)}`;
    }
    case 'resize':
      expectArgs(3);
      return `ALTER WAREHOUSE ${ident(name, 'warehouse name')} SET WAREHOUSE_SIZE = ${size(extra ?? opts.size)}`;
    case 'suspend':
      expectArgs(2);
      return `ALTER WAREHOUSE ${ident(name, 'warehouse name')} SUSPEND`;
    case 'resume':
      expectArgs(2);
      return `ALTER WAREHOUSE ${ident(name, 'warehouse name')} RESUME`;
    case undefined:
      throw usage('missing warehouse action: list, create, resize, suspend or resume');
    default:
      throw usage(`unknown warehouse action '${action}': use list, create, resize, suspend or resume`);
  }
}
