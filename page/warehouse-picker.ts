/**
 * The warehouse picker in the page's header: which warehouse the notebook runs on, its state
 * and size, and buttons to resize, suspend and resume it (SHOW WAREHOUSES, ALTER WAREHOUSE
 * through the statements API, so the user's privileges apply).
 *
 * Contract: `refresh()` re-reads SHOW WAREHOUSES and answers the chosen warehouse's state;
 * `stateOf(name)` is the last state read. The notebook reads the state before and after a run
 * to show an auto-resume (a run on a SUSPENDED warehouse with AUTO_RESUME resumes it): the
 * picker then flashes (`flashResumed`). While the state is transitional (RESIZING...) the picker
 * reads it again every SETTLE_POLL_MS. Failures show under the picker, never throw.
 */
import type { Context, StatementAnswer } from './api.js';
import { h, replace } from './dom.js';
import { displayValue } from './result-columns.js';

export const WAREHOUSE_SIZES = ['XSMALL', 'SMALL', 'MEDIUM', 'LARGE', 'XLARGE', 'X2LARGE', 'X3LARGE', 'X4LARGE'] as const;

/** States that change by themselves shortly (the picker polls until they do). */
const TRANSITIONAL = new Set(['RESIZING', 'RESUMING', 'SUSPENDING', 'STARTING']);
const SETTLE_POLL_MS = 1000;

type WarehouseRow = { name: string; state: string; size: string; autoResume: boolean };

export class WarehousePicker {
  readonly el = h('div', { class: 'warehouse-picker', 'data-testid': 'warehouse-picker' });
  private rows: WarehouseRow[] = [];
  private message = '';
  private busy = false;
  private settle: number | null = null;

  constructor(
    private readonly run: (sql: string) => Promise<StatementAnswer>,
    private readonly context: () => Context,
    private readonly choose: (warehouse: string) => void,
  ) {}

  stateOf(name: string | null): string | null {
    return this.rows.find((r) => r.name === name)?.state ?? null;
  }

  async refresh(): Promise<string | null> {
    try {
      const answer = await this.run('SHOW WAREHOUSES');
      const col = (n: string) => answer.columns.find((c) => c.name === n)!;
      const [name, state, size, autoResume] = [col('name'), col('state'), col('size'), col('auto_resume')];
      this.rows = Array.from({ length: answer.numRows }, (_, r) => ({
        name: displayValue(name, r),
        state: displayValue(state, r),
        size: displayValue(size, r),
        autoResume: displayValue(autoResume, r) === 'true',
      }));
      this.message = '';
    } catch (err) {
      this.message = (err as Error).message;
    }
    this.render();
    const state = this.stateOf(this.context().warehouse);
    // A resize or resume in progress: look again until it settles.
    if (state !== null && TRANSITIONAL.has(state) && this.settle === null) {
      this.settle = window.setTimeout(() => {
        this.settle = null;
        void this.refresh();
      }, SETTLE_POLL_MS);
    }
    return state;
  }

  flashResumed(): void {
    this.el.classList.remove('flash');
    void this.el.offsetWidth;
    this.el.classList.add('flash');
  }

  private async alter(sql: string): Promise<void> {
    this.busy = true;
    this.render();
    try {
      await this.run(sql);
      this.message = '';
    } catch (err) {
      this.message = (err as Error).message;
    }
    this.busy = false;
    await this.refresh();
  }

  private render(): void {
    const current = this.context().warehouse;
    const row = this.rows.find((r) => r.name === current);
    const quoted = current ? `"${current.replace(/"/g, '""')}"` : '';
    const select = h(
      'select',
      { 'data-testid': 'warehouse-select', title: 'Warehouse the notebook runs on', onchange: (e: Event) => this.pick((e.target as HTMLSelectElement).value) },
      ...(row ? [] : [h('option', { value: '', selected: true }, current ?? '(none)')]),
      ...this.rows.map((r) => h('option', { value: r.name, selected: r.name === current }, r.name)),
    );
    const state = row?.state ?? 'UNKNOWN';
    const size = h('select', { 'data-testid': 'warehouse-size', title: 'Size', disabled: !row || this.busy }, ...WAREHOUSE_SIZES.map((s) => h('option', { value: s, selected: s === row?.size }, s)));
    replace(
      this.el,
      h('span', { class: 'picker-label' }, 'Warehouse'),
      select,
      h('span', { class: `state state-${state.toLowerCase()}`, 'data-testid': 'warehouse-state', title: row?.autoResume ? 'AUTO_RESUME is on: a query resumes it' : 'AUTO_RESUME is off' }, state),
      size,
      h('button', { class: 'ghost small', 'data-testid': 'warehouse-resize', disabled: !row || this.busy, onclick: () => void this.alter(`ALTER WAREHOUSE ${quoted} SET WAREHOUSE_SIZE = '${size.value}'`) }, 'Resize'),
      h('button', { class: 'ghost small', 'data-testid': 'warehouse-suspend', disabled: !row || this.busy || state === 'SUSPENDED', onclick: () => void this.alter(`ALTER WAREHOUSE ${quoted} SUSPEND`) }, 'Suspend'),
      h('button', { class: 'ghost small', 'data-testid': 'warehouse-resume', disabled: !row || this.busy || state !== 'SUSPENDED', onclick: () => void this.alter(`ALTER WAREHOUSE ${quoted} RESUME`) }, 'Resume'),
      this.message ? h('span', { class: 'picker-error', 'data-testid': 'warehouse-error' }, this.message) : null,
    );
  }

  private pick(name: string): void {
    if (name === '') return;
    this.choose(name);
    this.render();
  }
}
