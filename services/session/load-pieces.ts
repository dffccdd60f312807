/**
 * How COPY INTO spreads its source files over a warehouse's workers: a file with many rows is
 * cut into pieces (row ranges) so that every worker gets about the same number of rows, even
 * when the files are few or of unequal size (TPC-H's partsupp is one file; orders is a file of
 * 1M rows and one of 500K).
 *
 * Contract: planLoadPieces(fileRows, partitionRows, workers) lists the load tasks in file
 * order, then row order. fileRows[f] is file f's row count, or null when unknown (not Parquet,
 * or its footer could not be read): such a file is one whole-file piece (`rows` null), as is
 * every file when workers <= 1 or the file has fewer than 2 * minPieceRows rows. A piece's
 * `rows` [start, end) starts at a multiple of the unit, which is partitionRows (so the pieces
 * of a file write full micro-partitions, as the whole file would), or a smaller unit of at
 * least minPieceRows when the load has fewer units than workers (a table smaller than one
 * partition then still loads on every worker). A file's pieces cover its rows exactly once.
 * `slot` is the worker each piece runs on: pieces are placed largest first on the least
 * loaded worker, counting for each piece after a file's first the extra decode of the row
 * group its start cuts. Of one, two or three pieces per worker, the plan whose busiest
 * worker has the least to do wins (ties: fewer pieces).
 */

export type LoadPiece = { file: number; rows: { start: number; end: number } | null; slot: number };

/** Below this many rows a piece is not worth a task of its own. */
export const MIN_PIECE_ROWS = 50_000;
/** A piece starting inside a row group decodes part of it again: counted as this share of a unit. */
const CUT_COST = 0.25;

type Piece = { file: number; rows: { start: number; end: number } | null; cost: number };

export function planLoadPieces(fileRows: readonly (number | null)[], partitionRows: number, workers: number, minPieceRows = MIN_PIECE_ROWS): LoadPiece[] {
  const whole = () => fileRows.map((_, file) => ({ file, rows: null, slot: file }));
  if (workers <= 1) return whole();
  const known = fileRows.map((r) => r ?? 0);
  const total = known.reduce((a, b) => a + b, 0);
  let unit = Math.max(1, Math.floor(partitionRows));
  const unitsOf = (rows: number) => Math.ceil(rows / unit);
  if (known.reduce((a, r) => a + unitsOf(r), 0) < workers) unit = Math.min(unit, Math.max(minPieceRows, Math.ceil(total / workers)));
  const units = known.map((r, f) => (fileRows[f] !== null && r >= 2 * minPieceRows ? unitsOf(r) : 0));
  const splittable = units.reduce((a, b) => a + b, 0);
  if (splittable === 0) return whole();
  const average = total / Math.max(1, fileRows.filter((r) => r !== null).length);
  let best: { pieces: LoadPiece[]; makespan: number } | null = null;
  for (const perWorker of [1, 2, 3]) {
    const pieces: Piece[] = [];
    fileRows.forEach((rows, file) => {
      const u = units[file];
      const count = u === 0 ? 1 : Math.min(u, Math.max(1, Math.round((u * workers * perWorker) / splittable)));
      if (count === 1) {
        pieces.push({ file, rows: null, cost: rows ?? average });
        return;
      }
      for (let i = 0; i < count; i++) {
        const start = Math.floor((i * u) / count) * unit;
        const end = Math.min(rows!, Math.floor(((i + 1) * u) / count) * unit);
        pieces.push({ file, rows: { start, end }, cost: end - start + (i > 0 ? CUT_COST * unit : 0) });
      }
    });
    const placed = place(pieces, workers);
    if (best === null || placed.makespan < best.makespan) best = placed;
  }
  return best!.pieces;
}

/** Largest first onto the least loaded worker (lowest index on ties); pieces keep their order. */
function place(pieces: Piece[], workers: number): { pieces: LoadPiece[]; makespan: number } {
  const load = new Float64Array(workers);
  const slots = new Int32Array(pieces.length);
  const order = pieces.map((_, i) => i).sort((a, b) => pieces[b].cost - pieces[a].cost || a - b);
  for (const i of order) {
    let w = 0;
    for (let k = 1; k < workers; k++) if (load[k] < load[w]) w = k;
    load[w] += pieces[i].cost;
    slots[i] = w;
  }
  return { pieces: pieces.map((p, i) => ({ file: p.file, rows: p.rows, slot: slots[i] })), makespan: Math.max(...load) };
}
