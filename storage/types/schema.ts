/**
 * Table and result schemas: ordered, named, typed columns.
 *
 * Contract: names are stored as resolved identifiers (unquoted identifiers upper-cased,
 * quoted ones verbatim), so comparisons are exact string compares.
 */
import type { DataType } from './data-type.js';

export type Column = { name: string; type: DataType; nullable: boolean };
export type Schema = { columns: Column[] };
