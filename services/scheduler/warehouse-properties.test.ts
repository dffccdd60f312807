import { describe, expect, it } from 'vitest';
import type { WarehouseSetting } from '../sql/ast.js';
import {
  applyWarehouseSettings,
  DEFAULT_WAREHOUSE_PROPERTIES,
  propertiesFromJson,
  propertiesToJson,
  unsetWarehouseProperties,
} from './warehouse-properties.js';

const set = (name: string, text: string, kind: WarehouseSetting['value']['kind'] = /^-?\d/.test(text) ? 'number' : 'word'): WarehouseSetting => ({ name, value: { kind, text } });

describe('warehouse properties', () => {
  it('has Snowflake\'s defaults', () => {
    expect(DEFAULT_WAREHOUSE_PROPERTIES).toEqual({
      size: 'XSMALL',
      autoSuspend: 600,
      autoResume: true,
      minClusterCount: 1,
      maxClusterCount: 1,
      scalingPolicy: 'STANDARD',
      maxConcurrencyLevel: 8,
      statementQueuedTimeoutInSeconds: 0,
      statementTimeoutInSeconds: 172_800,
      comment: null,
    });
  });

  it('applies settings in order, normalizing sizes and turning AUTO_SUSPEND 0 or NULL into never', () => {
    const p = applyWarehouseSettings(DEFAULT_WAREHOUSE_PROPERTIES, [
      set('WAREHOUSE_SIZE', 'x-large', 'string'),
      set('AUTO_SUSPEND', '0'),
      set('AUTO_RESUME', 'false'),
      set('MAX_CLUSTER_COUNT', '4'),
      set('MIN_CLUSTER_COUNT', '2'),
      set('SCALING_POLICY', 'economy'),
      set('MAX_CONCURRENCY_LEVEL', '16'),
      set('STATEMENT_QUEUED_TIMEOUT_IN_SECONDS', '30', 'string'),
      set('STATEMENT_TIMEOUT_IN_SECONDS', '0'),
      set('COMMENT', "it's mine", 'string'),
      set('WAREHOUSE_SIZE', '6X-LARGE', 'string'),
    ]);
    expect(p).toEqual({
      size: 'X6LARGE',
      autoSuspend: null,
      autoResume: false,
      minClusterCount: 2,
      maxClusterCount: 4,
      scalingPolicy: 'ECONOMY',
      maxConcurrencyLevel: 16,
      statementQueuedTimeoutInSeconds: 30,
      statementTimeoutInSeconds: 0,
      comment: "it's mine",
    });
    expect(applyWarehouseSettings(p, [set('AUTO_SUSPEND', 'NULL', 'null'), set('COMMENT', 'NULL', 'null')])).toMatchObject({ autoSuspend: null, comment: null });
    expect(applyWarehouseSettings(p, [set('AUTO_SUSPEND', '60')]).autoSuspend).toBe(60);
  });

  it.each([
    [set('WAREHOUSE_SIZE', 'HUGE'), "invalid value 'HUGE' for property 'WAREHOUSE_SIZE'"],
    [set('WAREHOUSE_SIZE', 'NULL', 'null'), "invalid value 'NULL' for property 'WAREHOUSE_SIZE'"],
    [set('AUTO_SUSPEND', '-5'), "invalid value '-5' for property 'AUTO_SUSPEND'"],
    [set('AUTO_SUSPEND', '1.5'), "invalid value '1.5' for property 'AUTO_SUSPEND'"],
    [set('AUTO_RESUME', 'YES'), "invalid value 'YES' for property 'AUTO_RESUME'"],
    [set('MIN_CLUSTER_COUNT', '0'), "invalid value '0' for property 'MIN_CLUSTER_COUNT'"],
    [set('MAX_CLUSTER_COUNT', '11'), "invalid value '11' for property 'MAX_CLUSTER_COUNT'"],
    [set('SCALING_POLICY', 'FAST'), "invalid value 'FAST' for property 'SCALING_POLICY'"],
    [set('MAX_CONCURRENCY_LEVEL', '0'), "invalid value '0' for property 'MAX_CONCURRENCY_LEVEL'"],
    [set('STATEMENT_TIMEOUT_IN_SECONDS', '604801'), "invalid value '604801' for property 'STATEMENT_TIMEOUT_IN_SECONDS'"],
    [set('STATEMENT_QUEUED_TIMEOUT_IN_SECONDS', 'TRUE'), "invalid value 'TRUE' for property 'STATEMENT_QUEUED_TIMEOUT_IN_SECONDS'"],
    [set('COMMENT', '12'), "invalid value '12' for property 'COMMENT'"],
  ])('refuses %o with 001044', (s, message) => {
    expect(() => applyWarehouseSettings(DEFAULT_WAREHOUSE_PROPERTIES, [s])).toThrow(expect.objectContaining({ code: '001044', sqlState: '22023', message }));
  });

  it('refuses MIN_CLUSTER_COUNT above MAX_CLUSTER_COUNT, judged after every setting of the statement', () => {
    expect(() => applyWarehouseSettings(DEFAULT_WAREHOUSE_PROPERTIES, [set('MIN_CLUSTER_COUNT', '3')])).toThrow(
      "invalid value '3' for property 'MIN_CLUSTER_COUNT': it must not be greater than MAX_CLUSTER_COUNT (1)",
    );
    expect(applyWarehouseSettings(DEFAULT_WAREHOUSE_PROPERTIES, [set('MIN_CLUSTER_COUNT', '3'), set('MAX_CLUSTER_COUNT', '3')])).toMatchObject({ minClusterCount: 3, maxClusterCount: 3 });
  });

  it('refuses an unknown property with 001423', () => {
    expect(() => applyWarehouseSettings(DEFAULT_WAREHOUSE_PROPERTIES, [set('COLOUR', 'BLUE')])).toThrow(
      expect.objectContaining({ code: '001423', message: "SQL compilation error: invalid property 'COLOUR' for 'WAREHOUSE'" }),
    );
    expect(() => unsetWarehouseProperties(DEFAULT_WAREHOUSE_PROPERTIES, ['COLOUR'])).toThrow(expect.objectContaining({ code: '001423' }));
  });

  it('UNSET puts the defaults back, still checking the cluster counts', () => {
    const p = applyWarehouseSettings(DEFAULT_WAREHOUSE_PROPERTIES, [set('MAX_CLUSTER_COUNT', '3'), set('MIN_CLUSTER_COUNT', '2'), set('COMMENT', 'x', 'string'), set('WAREHOUSE_SIZE', 'LARGE')]);
    expect(unsetWarehouseProperties(p, ['COMMENT', 'WAREHOUSE_SIZE'])).toEqual({ ...p, comment: null, size: 'XSMALL' });
    expect(() => unsetWarehouseProperties(p, ['MAX_CLUSTER_COUNT'])).toThrow(/MIN_CLUSTER_COUNT/);
    expect(unsetWarehouseProperties(p, ['MIN_CLUSTER_COUNT', 'MAX_CLUSTER_COUNT'])).toMatchObject({ minClusterCount: 1, maxClusterCount: 1 });
  });

  it('round-trips through the catalog\'s JSON, the size kept in its own column', () => {
    const p = applyWarehouseSettings(DEFAULT_WAREHOUSE_PROPERTIES, [set('WAREHOUSE_SIZE', 'SMALL'), set('AUTO_SUSPEND', 'NULL', 'null'), set('COMMENT', 'c', 'string')]);
    const json = propertiesToJson(p);
    expect(JSON.parse(json)).not.toHaveProperty('size');
    expect(propertiesFromJson('SMALL', json)).toEqual(p);
    expect(propertiesFromJson('MEDIUM', null)).toEqual({ ...DEFAULT_WAREHOUSE_PROPERTIES, size: 'MEDIUM' });
  });
});
