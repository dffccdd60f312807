/**
 * One run's result under a SQL cell: the stats line, then three views of the rows: a paged,
 * sortable table with each column's type (DATE and TIMESTAMP shown as dates), a chart (bar,
 * line or scatter over the columns picked for its axes: chart.js) and the profile panel (the
 * physical plan's operators by stage with rows, time and spill), plus CSV export.
 *
 * Contract: built once per run from the Arrow answer (api.ts); sorting, paging and chart
 * choices stay in the view. Charts draw at most MAX_CHART_POINTS rows (the first ones in the
 * table's order) and say so.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { StatementAnswer } from './api.js';
import { toCsv } from './csv.js';
import { h, replace } from './dom.js';
import { compareRows, displayValue, isNumericKind, numericValue, type ResultColumn } from './result-columns.js';
import { formatBytes, formatCount, formatMs, profileStages, statsItems } from './stats.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip, Legend);

export const PAGE_ROWS = 50;
export const MAX_CHART_POINTS = 2000;
type Tab = 'table' | 'chart' | 'profile';
/** A remark on a run shown beside its stats: an auto-resume ('ok'), the cells it read ('info'), a truncated result ('warn'). */
export type RunNote = { tone: 'ok' | 'info' | 'warn'; text: string };
type ChartKind = 'bar' | 'line' | 'scatter';

export class ResultView {
  readonly el: HTMLElement;
  private readonly body = h('div', { class: 'result-body' });
  private readonly tabs = new Map<Tab, HTMLButtonElement>();
  private order: number[];
  private sort: { column: number; dir: 1 | -1 } | null = null;
  private page = 0;
  private chart: Chart | null = null;
  private chartKind: ChartKind = 'bar';
  private x = 0;
  private y = -1;

  constructor(
    private readonly answer: StatementAnswer,
    private readonly fileName: string,
    notes: RunNote[],
  ) {
    this.order = Array.from({ length: answer.numRows }, (_, i) => i);
    const cols = answer.columns;
    const numeric = cols.map((c, i) => (isNumericKind(c.kind) ? i : -1)).filter((i) => i >= 0);
    const label = cols.findIndex((c) => !isNumericKind(c.kind));
    this.x = label >= 0 ? label : 0;
    this.y = numeric.find((i) => i !== this.x) ?? -1;
    const stats = answer.stats;
    const statsEl = h(
      'div',
      { class: 'run-stats', 'data-testid': 'run-stats' },
      ...(stats ? statsItems(stats) : []).map((s) => h('span', { class: 'stat' }, h('span', { class: 'stat-label' }, s.label), h('span', { class: 'stat-value' }, s.value))),
      ...notes.map((n) => h('span', { class: `stat note ${n.tone}`, 'data-testid': 'run-note' }, n.text)),
    );
    const tabBar = h('div', { class: 'result-tabs', role: 'tablist' });
    for (const t of ['table', 'chart', 'profile'] as const) {
      const b = h('button', { class: 'tab', role: 'tab', 'data-testid': `tab-${t}`, onclick: () => this.show(t) }, t[0]!.toUpperCase() + t.slice(1));
      this.tabs.set(t, b);
      tabBar.append(b);
    }
    tabBar.append(
      h('span', { class: 'spacer' }),
      h('span', { class: 'row-count', 'data-testid': 'row-count' }, `${formatCount(answer.numRows)} row${answer.numRows === 1 ? '' : 's'}`),
      h('button', { class: 'ghost small', 'data-testid': 'export-csv', onclick: () => this.exportCsv() }, '⤓ CSV'),
    );
    this.el = h('div', { class: 'result', 'data-testid': 'result' }, statsEl, tabBar, this.body);
    this.show('table');
  }

  private show(tab: Tab): void {
    for (const [t, b] of this.tabs) b.classList.toggle('active', t === tab);
    this.chart?.destroy();
    this.chart = null;
    if (tab === 'table') this.renderTable();
    else if (tab === 'chart') this.renderChart();
    else this.renderProfile();
  }

  private renderTable(): void {
    const cols = this.answer.columns;
    const pages = Math.max(1, Math.ceil(this.order.length / PAGE_ROWS));
    this.page = Math.min(this.page, pages - 1);
    const head = h(
      'tr',
      {},
      h('th', { class: 'rownum' }, '#'),
      ...cols.map((c, i) => {
        const dir = this.sort?.column === i ? this.sort.dir : 0;
        return h(
          'th',
          { class: isNumericKind(c.kind) ? 'num sortable' : 'sortable', 'aria-sort': dir === 1 ? 'ascending' : dir === -1 ? 'descending' : 'none', onclick: () => this.sortBy(i) },
          h('div', { class: 'col-name' }, c.name, h('span', { class: 'sort-mark' }, dir === 1 ? '▲' : dir === -1 ? '▼' : '')),
          h('div', { class: 'col-type' }, c.typeLabel),
        );
      }),
    );
    const rows: HTMLTableRowElement[] = [];
    const start = this.page * PAGE_ROWS;
    for (let k = start; k < Math.min(this.order.length, start + PAGE_ROWS); k++) {
      const r = this.order[k]!;
      rows.push(
        h(
          'tr',
          {},
          h('td', { class: 'rownum' }, k + 1),
          ...cols.map((c) => (c.values[r] === null ? h('td', { class: 'null' }, 'NULL') : h('td', { class: isNumericKind(c.kind) ? 'num' : c.kind }, displayValue(c, r)))),
        ),
      );
    }
    const pager = h(
      'div',
      { class: 'pager' },
      h('button', { class: 'ghost small', disabled: this.page === 0, 'data-testid': 'page-prev', onclick: () => this.goPage(this.page - 1) }, '‹ Prev'),
      h('span', { 'data-testid': 'page-info' }, `Page ${this.page + 1} of ${pages}`),
      h('button', { class: 'ghost small', disabled: this.page >= pages - 1, 'data-testid': 'page-next', onclick: () => this.goPage(this.page + 1) }, 'Next ›'),
    );
    replace(this.body, h('div', { class: 'table-wrap' }, h('table', { class: 'grid', 'data-testid': 'result-table' }, h('thead', {}, head), h('tbody', {}, ...rows))), pages > 1 ? pager : null);
  }

  private goPage(page: number): void {
    this.page = page;
    this.renderTable();
  }

  private sortBy(column: number): void {
    const dir: 1 | -1 = this.sort?.column === column && this.sort.dir === 1 ? -1 : 1;
    this.sort = { column, dir };
    const col = this.answer.columns[column]!;
    // NULLs stay last in both directions, as Snowflake's default NULLS LAST for ASC.
    this.order.sort((a, b) => {
      const an = col.values[a] === null;
      const bn = col.values[b] === null;
      if (an || bn) return an === bn ? a - b : an ? 1 : -1;
      return dir * compareRows(col, a, b) || a - b;
    });
    this.page = 0;
    this.renderTable();
  }

  private renderChart(): void {
    const cols = this.answer.columns;
    if (cols.length === 0 || this.answer.numRows === 0) {
      replace(this.body, h('div', { class: 'empty' }, 'No rows to chart.'));
      return;
    }
    const select = (testid: string, options: Array<[string, string]>, value: string, onchange: (v: string) => void) =>
      h('select', { 'data-testid': testid, onchange: (e: Event) => onchange((e.target as HTMLSelectElement).value) }, ...options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
    const colOptions = (pick: (c: ResultColumn) => boolean): Array<[string, string]> => cols.map((c, i): [string, string] => [String(i), c.name]).filter(([i]) => pick(cols[Number(i)]!));
    const controls = h(
      'div',
      { class: 'chart-controls' },
      h('label', {}, 'Chart ', select('chart-kind', [['bar', 'Bar'], ['line', 'Line'], ['scatter', 'Scatter']], this.chartKind, (v) => ((this.chartKind = v as ChartKind), this.renderChart()))),
      h('label', {}, 'X axis ', select('chart-x', colOptions(() => true), String(this.x), (v) => ((this.x = Number(v)), this.renderChart()))),
      h('label', {}, 'Y axis ', select('chart-y', [['-1', '(count)'], ...colOptions((c) => isNumericKind(c.kind))], String(this.y), (v) => ((this.y = Number(v)), this.renderChart()))),
    );
    const canvas = h('canvas', { 'data-testid': 'chart-canvas' });
    const shown = Math.min(this.order.length, MAX_CHART_POINTS);
    const note = shown < this.order.length ? h('div', { class: 'chart-note' }, `Showing the first ${formatCount(shown)} of ${formatCount(this.order.length)} rows.`) : null;
    replace(this.body, controls, h('div', { class: 'chart-box' }, canvas), note);
    this.chart = new Chart(canvas, this.chartConfig(shown));
  }

  private chartConfig(shown: number): ChartConfiguration {
    const cols = this.answer.columns;
    const xc = cols[this.x]!;
    const yc = this.y >= 0 ? cols[this.y]! : null;
    const rows = this.order.slice(0, shown);
    const accent = '#2563eb';
    const base = { animation: false as const, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } } };
    if (this.chartKind === 'scatter') {
      const data = rows.map((r, k) => ({ x: numericValue(xc, r) ?? k, y: yc ? (numericValue(yc, r) ?? 0) : 1 }));
      return {
        type: 'scatter',
        data: { datasets: [{ label: yc?.name ?? 'count', data, backgroundColor: accent }] },
        options: { ...base, scales: { x: { type: 'linear', title: { display: true, text: xc.name } }, y: { title: { display: true, text: yc?.name ?? 'count' } } } },
      };
    }
    let labels: string[];
    let values: number[];
    if (yc) {
      labels = rows.map((r) => (xc.values[r] === null ? 'NULL' : displayValue(xc, r)));
      values = rows.map((r) => numericValue(yc, r) ?? 0);
    } else {
      // No Y column: the number of rows per X value.
      const counts = new Map<string, number>();
      for (const r of rows) {
        const key = xc.values[r] === null ? 'NULL' : displayValue(xc, r);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      labels = [...counts.keys()];
      values = [...counts.values()];
    }
    return {
      type: this.chartKind,
      data: { labels, datasets: [{ label: yc?.name ?? 'count', data: values, backgroundColor: this.chartKind === 'bar' ? 'rgba(37, 99, 235, 0.75)' : accent, borderColor: accent, borderWidth: this.chartKind === 'line' ? 2 : 0 }] },
      options: { ...base, scales: { x: { title: { display: true, text: xc.name } }, y: { beginAtZero: true, title: { display: true, text: yc?.name ?? 'count' } } } },
    };
  }

  private renderProfile(): void {
    const stages = profileStages(this.answer.stats?.profile ?? []);
    if (stages.length === 0) {
      replace(this.body, h('div', { class: 'empty' }, 'No operators ran in a warehouse for this statement (metadata, DDL or a cached result).'));
      return;
    }
    const slowest = Math.max(1, ...stages.flatMap((s) => s.operators.map((o) => o.ms)));
    replace(
      this.body,
      h(
        'div',
        { class: 'profile', 'data-testid': 'profile' },
        ...stages.map((s) =>
          h(
            'div',
            { class: 'stage' },
            h('div', { class: 'stage-title' }, `Stage ${s.stage}`, h('span', { class: 'muted' }, ` · ${s.operators[0]?.tasks ?? 0} task${s.operators[0]?.tasks === 1 ? '' : 's'}`)),
            ...s.operators.map((o) => {
              const bar = h('div', { class: 'bar-fill' });
              bar.style.width = `${Math.max(2, (o.ms / slowest) * 100)}%`;
              return h(
                'div',
                { class: 'operator', 'data-testid': 'profile-operator' },
                h('div', { class: 'op-name' }, o.operator.replace(/_exec$/, '').replace(/_/g, ' ')),
                h('div', { class: 'op-rows' }, o.rowsIn === 0 ? `${formatCount(o.rowsOut)} rows` : `${formatCount(o.rowsIn)} → ${formatCount(o.rowsOut)} rows`),
                h('div', { class: 'bar' }, bar),
                h('div', { class: 'op-ms' }, formatMs(o.ms)),
                h('div', { class: o.bytesSpilled > 0 ? 'op-spill spilled' : 'op-spill' }, o.bytesSpilled > 0 ? `spilled ${formatBytes(o.bytesSpilled)}` : 'no spill'),
              );
            }),
          ),
        ),
      ),
    );
  }

  private exportCsv(): void {
    const blob = new Blob([toCsv(this.answer.columns, this.order)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `${this.fileName}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  destroy(): void {
    this.chart?.destroy();
  }
}
