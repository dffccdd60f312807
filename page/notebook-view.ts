/**
 * The open notebook: its cells (SQL and Markdown), how they run, and their results.
 *
 * Contract:
 * - A SQL cell runs its text with `{{name}}` references expanded (cell-references.ts) through
 *   `run` (the app's statement runner, which keeps the session's context); its result shows
 *   under it (result-view.ts), or its error (code, SQLSTATE, message). A Markdown cell "runs"
 *   by rendering (markdown.ts); double-click edits it again.
 * - Run one (▶ or Ctrl/Cmd-Enter in the editor), run all, or run from a cell down: cells run
 *   one after another and a failure stops the rest. While a cell runs its status shows the
 *   elapsed time (and the server's progress once it answered 202), and ■ stops it.
 * - Around each SQL run the warehouse's state is read before and after: SUSPENDED then running
 *   is an auto-resume, noted in the run's stats and flashed on the picker.
 * - Every edit calls `changed` (the app saves, debounced); `cells()` is what is saved.
 */
import { ApiError, type NotebookCell, type Progress, type RunOptions, type StatementAnswer } from './api.js';
import { CellReferenceError, expandReferences, referencedNames } from './cell-references.js';
import { h, replace } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { ResultView, type RunNote } from './result-view.js';
import { formatBytes, formatCount, formatMs } from './stats.js';

/** A running statement's progress after its elapsed time: partitions, rows, bytes so far. */
function progressText(p: Progress): string {
  const parts: string[] = [];
  if (p.partitionsTotal) parts.push(`${formatCount(p.partitionsScanned ?? 0)} / ${formatCount(p.partitionsTotal)} partitions`);
  if (p.rowsProduced) parts.push(`${formatCount(p.rowsProduced)} rows`);
  if (p.bytesScanned) parts.push(formatBytes(p.bytesScanned));
  return parts.length ? ` · ${parts.join(' · ')}` : '';
}
import type { WarehousePicker } from './warehouse-picker.js';

export type NotebookHost = {
  run(sql: string, opts: RunOptions): Promise<StatementAnswer>;
  cancel(handle: string): Promise<void>;
  warehouse(): string | null;
  picker: WarehousePicker;
  changed(): void;
  unauthorized(): void;
};

type Cell = {
  kind: 'sql' | 'markdown';
  el: HTMLElement;
  nameInput: HTMLInputElement;
  editor: HTMLTextAreaElement;
  output: HTMLElement;
  status: HTMLElement;
  runButton: HTMLButtonElement;
  result: ResultView | null;
  /** The query id of the cell's last successful run and the text it ran, while the server keeps it. */
  lastRun: { queryId: string; text: string } | null;
  editing: boolean;
};

/** The run in progress: its cell, how to stop it, and its handle once the server gave one. */
type CurrentRun = { cell: Cell; abort: AbortController; handle: string | null };

export class NotebookView {
  readonly el = h('div', { class: 'cells', 'data-testid': 'cells' });
  private list: Cell[] = [];
  private running = false;
  private current: CurrentRun | null = null;

  constructor(private readonly host: NotebookHost) {}

  load(cells: NotebookCell[]): void {
    for (const c of this.list) c.result?.destroy();
    this.list = [];
    this.el.replaceChildren();
    for (const c of cells) this.insert(c, this.list.length, false);
    for (const c of this.list) if (c.kind === 'markdown') this.renderMarkdownCell(c);
    if (this.list.length === 0) this.insert({ kind: 'sql', name: this.freshName(), text: '' }, 0, false);
  }

  cells(): NotebookCell[] {
    return this.list.map((c) => ({ kind: c.kind, name: c.nameInput.value.trim(), text: c.editor.value }));
  }

  add(kind: 'sql' | 'markdown', text = '', after = this.list.length - 1): void {
    const cell = this.insert({ kind, name: kind === 'sql' ? this.freshName() : '', text }, after + 1, true);
    cell.editor.focus();
    this.host.changed();
  }

  async runAll(): Promise<void> {
    await this.runRange(0);
  }

  private freshName(): string {
    const taken = new Set(this.list.map((c) => c.nameInput.value.trim()));
    for (let n = 1; ; n++) if (!taken.has(`cell${n}`)) return `cell${n}`;
  }

  private insert(data: NotebookCell, at: number, editing: boolean): Cell {
    const nameInput = h('input', { class: 'cell-name', 'data-testid': 'cell-name', value: data.name, placeholder: data.kind === 'sql' ? 'name' : '', spellcheck: 'false', title: 'Later cells refer to this result as {{name}}' });
    const editor = h('textarea', { class: 'editor', 'data-testid': 'cell-editor', spellcheck: 'false', rows: 1, placeholder: data.kind === 'sql' ? 'SELECT …   (Ctrl-Enter runs; {{name}} reads an earlier cell)' : 'Markdown…' });
    editor.value = data.text;
    const status = h('span', { class: 'cell-status', 'data-testid': 'cell-status' });
    const output = h('div', { class: 'cell-output', 'data-testid': 'cell-output' });
    const el = h('section', { class: `cell ${data.kind}`, 'data-testid': 'cell', 'data-kind': data.kind });
    const index = () => this.list.indexOf(cell);
    const runButton = h('button', { class: 'icon-button run', title: 'Run cell (Ctrl-Enter)', 'data-testid': 'run-cell', onclick: () => (this.current?.cell === cell ? this.stop() : void this.runRange(index(), index() + 1)) }, '▶');
    const cell: Cell = { kind: data.kind, el, nameInput, editor, output, status, runButton, result: null, lastRun: null, editing };
    if (editing) el.classList.add('editing');
    const head = h(
      'div',
      { class: 'cell-head' },
      h('span', { class: 'cell-kind' }, data.kind === 'sql' ? 'SQL' : 'MD'),
      data.kind === 'sql' ? nameInput : null,
      status,
      h('span', { class: 'spacer' }),
      runButton,
      h('button', { class: 'icon-button', title: 'Run from this cell down', 'data-testid': 'run-from', onclick: () => void this.runRange(index()) }, '⇣'),
      h('button', { class: 'icon-button', title: 'Move up', onclick: () => this.move(cell, -1) }, '↑'),
      h('button', { class: 'icon-button', title: 'Move down', onclick: () => this.move(cell, 1) }, '↓'),
      h('button', { class: 'icon-button danger', title: 'Delete cell', 'data-testid': 'delete-cell', onclick: () => this.remove(cell) }, '✕'),
    );
    el.append(head, editor, output);
    const grow = () => {
      editor.style.height = 'auto';
      editor.style.height = `${Math.max(editor.scrollHeight, 46)}px`;
    };
    editor.addEventListener('input', () => {
      grow();
      this.host.changed();
    });
    nameInput.addEventListener('input', () => this.host.changed());
    editor.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void this.runRange(index(), index() + 1);
      }
    });
    output.addEventListener('dblclick', () => {
      if (cell.kind === 'markdown') this.editMarkdown(cell);
    });
    this.list.splice(at, 0, cell);
    const next = this.list[at + 1];
    if (next) this.el.insertBefore(el, next.el);
    else this.el.append(el);
    requestAnimationFrame(grow);
    return cell;
  }

  private move(cell: Cell, by: -1 | 1): void {
    const i = this.list.indexOf(cell);
    const j = i + by;
    if (j < 0 || j >= this.list.length) return;
    this.list.splice(i, 1);
    this.list.splice(j, 0, cell);
    const after = this.list[j + 1];
    if (after) this.el.insertBefore(cell.el, after.el);
    else this.el.append(cell.el);
    this.host.changed();
  }

  private remove(cell: Cell): void {
    cell.result?.destroy();
    this.list.splice(this.list.indexOf(cell), 1);
    cell.el.remove();
    this.host.changed();
  }

  private editMarkdown(cell: Cell): void {
    cell.editing = true;
    cell.el.classList.add('editing');
    cell.editor.focus();
  }

  private renderMarkdownCell(cell: Cell): void {
    cell.editing = false;
    cell.el.classList.remove('editing');
    const view = h('div', { class: 'markdown', title: 'Double-click to edit' });
    view.innerHTML = renderMarkdown(cell.editor.value) || '<p class="muted">Empty markdown cell: double-click to edit.</p>';
    replace(cell.output, view);
  }

  private async runRange(from: number, to = this.list.length): Promise<void> {
    if (this.running || from < 0) return;
    this.running = true;
    try {
      for (let i = from; i < to && i < this.list.length; i++) {
        if (!(await this.runOne(i))) break;
      }
    } finally {
      this.running = false;
    }
  }

  /** Runs cell i; answers whether it succeeded. */
  private async runOne(i: number): Promise<boolean> {
    const cell = this.list[i]!;
    if (cell.kind === 'markdown') {
      this.renderMarkdownCell(cell);
      return true;
    }
    if (cell.editor.value.trim() === '') return true;
    let sql: string;
    try {
      // A cell whose text is unchanged since its last run is read by that run's query id (RESULT_SCAN).
      const cells = this.cells().map((c, k) => {
        const last = this.list[k]!.lastRun;
        return { ...c, resultQueryId: last !== null && last.text === c.text ? last.queryId : null };
      });
      sql = expandReferences(cells, i);
    } catch (err) {
      if (!(err instanceof CellReferenceError)) throw err;
      this.showError(cell, 'Reference', '', err.message);
      return false;
    }
    cell.el.classList.add('running');
    cell.el.classList.remove('failed');
    const run: CurrentRun = { cell, abort: new AbortController(), handle: null };
    this.current = run;
    cell.runButton.textContent = '■';
    cell.runButton.title = 'Stop this run';
    const started = performance.now();
    let progress: Progress | null = null;
    const tick = () => replace(cell.status, h('span', { class: 'spinner' }), `Running… ${formatMs(performance.now() - started)}${progress ? progressText(progress) : ''}`);
    tick();
    const ticker = window.setInterval(tick, 200);
    const warehouse = this.host.warehouse();
    const before = this.host.picker.stateOf(warehouse);
    try {
      const answer = await this.host.run(sql, {
        signal: run.abort.signal,
        onHandle: (handle) => (run.handle = handle),
        onProgress: (p) => (progress = p),
      });
      window.clearInterval(ticker);
      const after = await this.host.picker.refresh();
      const notes: RunNote[] = [];
      const used = answer.stats?.warehouse ?? warehouse;
      if (before === 'SUSPENDED' && after !== null && after !== 'SUSPENDED' && used === warehouse) {
        notes.push({ tone: 'ok', text: `Warehouse ${warehouse} was suspended: auto-resumed for this run` });
        this.host.picker.flashResumed();
      }
      if (answer.truncated) notes.push({ tone: 'warn', text: `Showing the first ${formatCount(answer.numRows)} rows: the rest was not fetched` });
      if (answer.stats === null) notes.push({ tone: 'info', text: 'Run statistics of results over 4 MiB are not shown' });
      const refs = referencedNames(cell.editor.value);
      if (refs.length > 0) notes.push({ tone: 'info', text: `Reads ${refs.map((r) => `{{${r}}}`).join(', ')}` });
      cell.result?.destroy();
      cell.lastRun = answer.queryId ? { queryId: answer.queryId, text: cell.editor.value } : null;
      cell.result = new ResultView(answer, cell.nameInput.value.trim() || 'result', notes);
      replace(cell.output, cell.result.el);
      replace(cell.status, h('span', { class: 'ok' }, '✓'), ` ${new Date().toLocaleTimeString()}`);
      return true;
    } catch (err) {
      window.clearInterval(ticker);
      if (run.abort.signal.aborted) this.showError(cell, 'Stopped', '', 'The run was stopped: the statement was canceled.');
      else if (err instanceof ApiError) {
        if (err.status === 401) this.host.unauthorized();
        this.showError(cell, err.code, err.sqlState, err.message);
      } else this.showError(cell, 'Error', '', (err as Error).message);
      return false;
    } finally {
      this.current = null;
      cell.runButton.textContent = '▶';
      cell.runButton.title = 'Run cell (Ctrl-Enter)';
      cell.el.classList.remove('running');
    }
  }

  /** Stops the run in progress: the request is dropped (the server cancels a statement whose client is gone) and a known handle is canceled. */
  stop(): void {
    const run = this.current;
    if (!run) return;
    run.abort.abort();
    if (run.handle !== null) void this.host.cancel(run.handle);
  }

  private showError(cell: Cell, code: string, sqlState: string, message: string): void {
    cell.result?.destroy();
    cell.result = null;
    cell.el.classList.add('failed');
    replace(cell.status, h('span', { class: 'err' }, '✕'), ' failed');
    replace(
      cell.output,
      h('div', { class: 'error-box', 'data-testid': 'cell-error' }, h('div', { class: 'error-code' }, sqlState ? `${code} · SQLSTATE ${sqlState}` : code), h('div', { class: 'error-message' }, message)),
    );
  }
}
