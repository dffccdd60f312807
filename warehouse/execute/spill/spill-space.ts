/**
 * One task's spill area: a directory on the warehouse's local disk (created on the first
 * write) and a byte budget (FIRN_QUERY_SPILL_BYTES) shared by every spilling operator of the
 * task, so a statement that outgrows its memory budget spills instead of failing, and fails
 * only past the disk budget.
 *
 * Contract: `writer(name)` gives a SpillWriter for a new file inside `dir`; every byte it
 * writes is charged here first, and a write that would pass the budget throws ResourceError
 * RESOURCE_EXHAUSTED (SQLSTATE 53200) naming the disk budget, before anything is written.
 * `bytesSpilled` is the total written so far (never decreases). `close()` deletes every file
 * this space created (and the directory when this space created it and it is then empty);
 * it may be called more than once, and a writer still open is closed first.
 */
import { mkdirSync, rmdirSync, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ResourceError } from '../../../storage/errors/firn-error.js';
import { SpillWriter } from './spill-file.js';

export class SpillSpace {
  private spilled = 0;
  private files: string[] = [];
  private writers: SpillWriter[] = [];
  private made = false;
  private createdDir = false;
  private seq = 0;
  /** Tells this space's files from other tasks' in a statement-wide directory. */
  private readonly tag = randomBytes(4).toString('hex');

  constructor(
    readonly dir: string,
    readonly budgetBytes: number,
  ) {}

  get bytesSpilled(): number {
    return this.spilled;
  }

  /** A writer of a new spill file; `name` (letters, digits, '-', '_') makes the file name readable. */
  writer(name = 'run'): SpillWriter {
    this.ensureDir();
    const safe = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
    const path = join(this.dir, `${safe}-${this.tag}-${this.seq++}.spill`);
    this.files.push(path);
    const w = new SpillWriter(path, (bytes) => this.charge(bytes));
    this.writers.push(w);
    return w;
  }

  /** Counts `bytes` about to be written; throws past the budget. */
  charge(bytes: number): void {
    if (this.spilled + bytes > this.budgetBytes) {
      throw new ResourceError(
        'RESOURCE_EXHAUSTED',
        `Statement exceeded its spill disk budget of ${this.budgetBytes} bytes (FIRN_QUERY_SPILL_BYTES): ` +
          `it has spilled ${this.spilled} bytes and needs ${bytes} more. Use a larger warehouse or a larger FIRN_QUERY_SPILL_BYTES.`,
      );
    }
    this.spilled += bytes;
  }

  async close(): Promise<void> {
    for (const w of this.writers) w.abandon();
    this.writers = [];
    const files = this.files;
    this.files = [];
    await Promise.all(files.map((f) => rm(f, { force: true })));
    if (this.createdDir) {
      try {
        rmdirSync(this.dir);
        this.createdDir = false;
        this.made = false;
      } catch {
        // Not empty (another task's files) or already gone: services removes the statement's directory.
      }
    }
  }

  private ensureDir(): void {
    if (this.made) return;
    if (!existsSync(this.dir)) {
      mkdirSync(this.dir, { recursive: true });
      this.createdDir = true;
    }
    this.made = true;
  }
}
