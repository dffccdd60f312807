import { describe, expect, it } from 'vitest';
import { CompilationError, SqlSyntaxError } from '../../storage/errors/firn-error.js';
import { parseStageLocation } from './parse-stage-location.js';

describe('parseStageLocation', () => {
  it.each([
    ['@s', { kind: 'named', name: { parts: ['S'] }, path: '' }],
    ['@my_stage/dir/', { kind: 'named', name: { parts: ['MY_STAGE'] }, path: 'dir/' }],
    ['@db.sch.s/a/b.csv.gz', { kind: 'named', name: { parts: ['DB', 'SCH', 'S'] }, path: 'a/b.csv.gz' }],
    ['@"My ""Stage"""/x', { kind: 'named', name: { parts: ['My "Stage"'] }, path: 'x' }],
    ['@sch."a.b"', { kind: 'named', name: { parts: ['SCH', 'a.b'] }, path: '' }],
    ['@~', { kind: 'user', path: '' }],
    ['@~/staged/a.csv', { kind: 'user', path: 'staged/a.csv' }],
    ['@%t', { kind: 'table', table: { parts: ['T'] }, path: '' }],
    ['@db.sch.%"T1"/x.csv', { kind: 'table', table: { parts: ['DB', 'SCH', 'T1'] }, path: 'x.csv' }],
  ])('%s', (text, expected) => {
    expect(parseStageLocation(text)).toEqual(expected);
  });

  it.each(['s', '@', '@a.b.c.d', '@"open', '@s#x', '@1s'])('refuses %j as a syntax error', (text) => {
    expect(() => parseStageLocation(text)).toThrow(SqlSyntaxError);
  });

  it.each(['@s/../x', '@s//etc/passwd', '@~/%2e%2e/', '@%t/a\\b'])('refuses the path of %j', (text) => {
    expect(() => parseStageLocation(text)).toThrow(CompilationError);
  });
});
