/**
 * The catalog's record of sequences (catalog migration 15): named sequences in a schema (CREATE
 * SEQUENCE) and the unnamed ones of identity columns (AUTOINCREMENT / IDENTITY), and the handing
 * out of their values. Apart from catalog.ts so the shared interface grows by one member
 * (`catalog.sequences`); the SQLite implementation is sqlite-sequence-store.ts.
 *
 * Contract:
 * - Values are 64-bit integers (BigInt). A sequence's `next` is the first value no statement has
 *   been given. `reserve` hands out, for each request, `count` values first, first + increment,
 *   ... and moves `next` past them, for all requests in ONE catalog transaction that is durable
 *   when it returns (the catalog syncs every commit): so two statements never get the same value,
 *   and a value is never given again, even after a crash, whatever became of the statement that
 *   got it (gaps are allowed, as in Snowflake). A request whose block would move `next` outside
 *   the 64-bit range fails the whole call with SEQUENCE_OVERFLOW (390240) and reserves nothing.
 *   Reserving a sequence that no longer exists is OBJECT_NOT_FOUND.
 * - Named sequences live in a schema (by id, so they follow it through DROP and UNDROP SCHEMA |
 *   DATABASE) and have their own namespace there (a table may share a sequence's name, as in
 *   Snowflake). `createSequence` with `orReplace` replaces one of the same name in the same
 *   transaction and answers it; without, a taken name is OBJECT_EXISTS (002002). DROP deletes the
 *   row: there is no UNDROP SEQUENCE. A column default naming a dropped sequence fails its INSERT.
 * - ALTER changes the increment (from the next value on), ORDER / NOORDER, the comment, or the name
 *   and schema (OBJECT_EXISTS when taken); `next` is never moved back.
 * - Identity sequences have no name and no owner; they belong to their column and are listed by
 *   no SHOW. Which sequence a column's default takes is the catalog's (ColumnInfo.sequence).
 */
export type SequenceRecord = {
  id: number;
  schemaId: number;
  /** null: an identity column's own sequence. */
  name: string | null;
  start: bigint;
  increment: bigint;
  next: bigint;
  ordered: boolean;
  comment: string | null;
  /** The role that created it (its owner now is the grant store's); null for an identity sequence. */
  owner: string | null;
  createdAt: Date;
  alteredAt: Date;
};

export type NewSequence = { schemaId: number; name: string; start: bigint; increment: bigint; ordered: boolean; comment: string | null; owner: string };

/** An ALTER SEQUENCE change: each property given is set; `name` / `schemaId` rename or move it. */
export type SequenceChange = { increment?: bigint; ordered?: boolean; comment?: string | null; schemaId?: number; name?: string };

/** `count` (>= 1) values of sequence `sequence`. */
export type SequenceRequest = { sequence: number; count: number };
/** The values a request got: first, first + increment, ... (`count` of them). */
export type SequenceBlock = { first: bigint; increment: bigint };

export interface SequenceStore {
  createSequence(seq: NewSequence, opts: { orReplace: boolean }): { created: SequenceRecord; replaced: SequenceRecord | null };
  /** A named sequence of the schema, or null. */
  getSequence(schemaId: number, name: string): SequenceRecord | null;
  /** Any sequence (named or identity) by id, or null once dropped. */
  getSequenceById(id: number): SequenceRecord | null;
  /** `DB.SCHEMA.NAME` of a named sequence (its schema live or dropped), null for an identity sequence or a dropped one. */
  qualifiedName(id: number): string | null;
  /** The schema's named sequences, by name. */
  listSequences(schemaId: number): SequenceRecord[];
  dropSequence(schemaId: number, name: string): SequenceRecord | null;
  alterSequence(id: number, change: SequenceChange): SequenceRecord;
  /** One block per request, in request order, all reserved in one durable transaction (see the module comment). */
  reserve(requests: readonly SequenceRequest[]): SequenceBlock[];
}
