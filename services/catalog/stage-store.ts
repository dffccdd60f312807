/**
 * The catalog's record of stages and named file formats (catalog migration 10). Apart from
 * catalog.ts so the shared interface grows by one member (`catalog.stages`); the SQLite
 * implementation is sqlite-stage-store.ts.
 *
 * Contract:
 * - Stages and file formats live in a schema (by its id, so they follow the schema through
 *   UNDROP); names are unique per schema. `create*` with `orReplace` replaces an existing one
 *   of the same name in the same transaction and answers the record it replaced (an internal
 *   stage's files are the caller's to delete); without it an existing name is OBJECT_EXISTS
 *   (002002). `drop*` answers the dropped record, or null when there was none.
 * - A stage's `credentials` are stored to reach its files and are returned by get/list for
 *   that purpose only: nothing may show them to a user (SHOW and DESCRIBE say whether a stage
 *   has credentials, never what they are).
 * - `fileFormat` is stored as given: inline options, or the fully qualified name of a named
 *   file format (resolved when a COPY uses the stage).
 */
import type { CopyFileFormat, StageCredentials } from '../sql/ast.js';

export type StoredFileFormat = { kind: 'inline'; format: CopyFileFormat } | { kind: 'named'; database: string; schema: string; name: string };

export type StageRecord = {
  id: number;
  schemaId: number;
  name: string;
  /** null: an internal stage (its files under FIRN_HOME/stages/<id>/). */
  url: string | null;
  credentials: StageCredentials | null;
  fileFormat: StoredFileFormat | null;
  comment: string | null;
  /** The role that created it (its owner now is the grant store's: GRANT OWNERSHIP moves it). */
  owner: string;
  createdAt: Date;
};

export type FileFormatRecord = { id: number; schemaId: number; name: string; format: CopyFileFormat; comment: string | null; owner: string; createdAt: Date };

export type NewStage = Omit<StageRecord, 'id' | 'createdAt'>;
export type NewFileFormat = Omit<FileFormatRecord, 'id' | 'createdAt'>;

export interface StageStore {
  createStage(stage: NewStage, opts: { orReplace: boolean }): { created: StageRecord; replaced: StageRecord | null };
  getStage(schemaId: number, name: string): StageRecord | null;
  /** A live stage by its id (grants name stages by id), or null. */
  getStageById(id: number): StageRecord | null;
  listStages(schemaId: number): StageRecord[];
  dropStage(schemaId: number, name: string): StageRecord | null;
  createFileFormat(format: NewFileFormat, opts: { orReplace: boolean }): { created: FileFormatRecord; replaced: FileFormatRecord | null };
  getFileFormat(schemaId: number, name: string): FileFormatRecord | null;
  getFileFormatById(id: number): FileFormatRecord | null;
  listFileFormats(schemaId: number): FileFormatRecord[];
  dropFileFormat(schemaId: number, name: string): FileFormatRecord | null;
}
