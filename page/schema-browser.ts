/**
 * The schema browser in the sidebar: databases, their schemas, their tables and the tables'
 * columns with types, each level read when it is first opened (SHOW DATABASES, SHOW SCHEMAS
 * IN DATABASE, SHOW TABLES IN SCHEMA, DESCRIBE TABLE through the statements API: a user sees
 * what their role may see). Clicking a table adds a SQL cell that queries it.
 */
import type { StatementAnswer } from './api.js';
import { h, replace } from './dom.js';
import { displayValue } from './result-columns.js';

function quote(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export class SchemaBrowser {
  readonly el = h('div', { class: 'schema-browser', 'data-testid': 'schema-browser' });

  constructor(
    private readonly run: (sql: string) => Promise<StatementAnswer>,
    private readonly onTable: (qualified: string) => void,
  ) {}

  async refresh(): Promise<void> {
    replace(this.el, h('div', { class: 'tree-loading' }, 'Loading…'));
    const list = h('ul', { class: 'tree' });
    try {
      for (const db of await this.names('SHOW DATABASES', 'name')) list.append(this.node('database', db, () => this.schemas(db)));
      replace(this.el, list);
    } catch (err) {
      replace(this.el, h('div', { class: 'tree-error' }, (err as Error).message));
    }
  }

  private async names(sql: string, column: string): Promise<string[]> {
    const answer = await this.run(sql);
    const col = answer.columns.find((c) => c.name === column);
    if (!col) return [];
    return Array.from({ length: answer.numRows }, (_, r) => displayValue(col, r));
  }

  private node(kind: string, label: string, children: () => Promise<HTMLElement[]>, onLabel?: () => void): HTMLLIElement {
    const sub = h('ul', { class: 'tree' });
    let loaded = false;
    const li = h('li', { class: `tree-node ${kind}`, 'data-kind': kind, 'data-name': label });
    const toggle = async () => {
      li.classList.toggle('open');
      if (loaded || !li.classList.contains('open')) return;
      loaded = true;
      replace(sub, h('li', { class: 'tree-loading' }, 'Loading…'));
      try {
        const items = await children();
        replace(sub, ...(items.length ? items : [h('li', { class: 'tree-empty' }, 'empty')]));
      } catch (err) {
        replace(sub, h('li', { class: 'tree-error' }, (err as Error).message));
      }
    };
    li.append(
      h(
        'div',
        { class: 'tree-row' },
        h('button', { class: 'twisty', 'aria-label': `expand ${label}`, onclick: () => void toggle() }, ''),
        h('span', { class: `icon icon-${kind}` }),
        h('button', { class: 'tree-label', title: onLabel ? 'Query this table in a new cell' : label, onclick: () => (onLabel ? onLabel() : void toggle()) }, label),
      ),
      sub,
    );
    return li;
  }

  private async schemas(db: string): Promise<HTMLElement[]> {
    const names = await this.names(`SHOW SCHEMAS IN DATABASE ${quote(db)}`, 'name');
    return names.map((s) => this.node('schema', s, () => this.tables(db, s)));
  }

  private async tables(db: string, schema: string): Promise<HTMLElement[]> {
    const names = await this.names(`SHOW TABLES IN SCHEMA ${quote(db)}.${quote(schema)}`, 'name');
    return names.map((t) => {
      const qualified = `${quote(db)}.${quote(schema)}.${quote(t)}`;
      return this.node('table', t, () => this.columns(qualified), () => this.onTable(qualified));
    });
  }

  private async columns(qualified: string): Promise<HTMLElement[]> {
    const answer = await this.run(`DESCRIBE TABLE ${qualified}`);
    const name = answer.columns.find((c) => c.name === 'name')!;
    const type = answer.columns.find((c) => c.name === 'type')!;
    return Array.from({ length: answer.numRows }, (_, r) =>
      h('li', { class: 'tree-leaf column' }, h('span', { class: 'icon icon-column' }), h('span', { class: 'col-leaf-name' }, displayValue(name, r)), h('span', { class: 'col-leaf-type' }, displayValue(type, r))),
    );
  }
}
