import nodeSqlParser from 'node-sql-parser/build/snowflake.js';
import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../storage/errors/firn-error.js';
import { parseSql } from './parse-sql.js';
import { VendorAstTracker } from './vendor-ast-tracker.js';

const vendor = new nodeSqlParser.Parser();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function vendorSelect(sql: string): any {
  const ast = vendor.astify(sql, { database: 'snowflake' });
  return Array.isArray(ast) ? ast[0] : ast;
}

describe('VendorAstTracker', () => {
  it('fails on the EXCLUDE the converter used to drop: a star read only for its table and column', () => {
    const raw = vendorSelect('SELECT * EXCLUDE (c) FROM t');
    const tracker = new VendorAstTracker();
    const ast = tracker.track(raw);
    tracker.skip(ast, 'from');
    // What the converter read for a star before: type, columns[0].expr.{type, table, column}, as.
    const item = ast.columns[0];
    expect([ast.type, item.as, item.expr.type, item.expr.table, item.expr.column]).toEqual(['select', null, 'column_ref', null, '*']);
    expect(() => tracker.assertConsumed(raw)).toThrow(new NotSupportedError('EXCLUDE in column references'));
    // Reading the suffix is consuming it.
    void [item.expr.suffix.name.name[0].type, item.expr.suffix.name.name[0].value];
    void item.expr.suffix.type;
    void item.expr.suffix.args.type;
    void item.expr.suffix.args.value[0].type;
    void item.expr.suffix.args.value[0].table;
    void item.expr.suffix.args.value[0].column;
    expect(() => tracker.assertConsumed(raw)).not.toThrow();
  });

  it('accepts unread defaults (null, false, empty lists, objects of defaults) and unread positions', () => {
    const raw = { type: 'x', a: null, b: false, c: '', d: [], e: { f: null, g: [] }, loc: { start: 1 }, parentheses: true };
    const tracker = new VendorAstTracker();
    void tracker.track(raw).type;
    expect(() => tracker.assertConsumed(raw)).not.toThrow();
  });

  it('fails on an unread element of a read list, and on unread keys deep inside read nodes', () => {
    const raw = { type: 'function', args: { type: 'expr_list', value: [{ type: 'number', value: 1 }, { type: 'number', value: 2 }] } };
    const tracker = new VendorAstTracker();
    const t = tracker.track(raw);
    void t.type;
    void t.args.type;
    void [t.args.value[0].type, t.args.value[0].value];
    expect(() => tracker.assertConsumed(raw)).toThrow(NotSupportedError);
    void [t.args.value[1].type];
    expect(() => tracker.assertConsumed(raw)).toThrow(new NotSupportedError('VALUE in number expressions'));
    void [t.args.value[1].value];
    expect(() => tracker.assertConsumed(raw)).not.toThrow();
  });

  it('makes the parser refuse what the converter does not read: x::INT ARRAY ran as x::INT before', () => {
    expect(() => parseSql('SELECT x::INT ARRAY FROM t')).toThrow(new NotSupportedError('ARRAY in cast types'));
  });
});
