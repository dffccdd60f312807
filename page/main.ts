/**
 * The notebook page at `/`: login, then the app shell: the header with the warehouse picker
 * and the user, the sidebar with the user's notebooks and the schema browser, and the open
 * notebook. Everything goes through the same-origin API (api.ts); nothing loads from
 * elsewhere.
 *
 * Contract:
 * - Login with user and password or with a programmatic access token; a 401 anywhere returns
 *   to the login form. The session survives a reload (sessionStorage).
 * - The session context (database, schema, warehouse) starts at the server's defaults and
 *   follows each answer's context (USE in a cell changes it; the picker changes the warehouse).
 * - Notebooks are saved to the catalog (PUT, debounced SAVE_DELAY_MS after an edit, and at once
 *   on Ctrl/Cmd-S or when another notebook is opened); the list shows the newest change first.
 */
import { ApiError, FirnApi, type Context, type Notebook, type NotebookSummary, type RunOptions, type StatementAnswer } from './api.js';
import { h, replace } from './dom.js';
import { NotebookView } from './notebook-view.js';
import { SchemaBrowser } from './schema-browser.js';
import { WarehousePicker } from './warehouse-picker.js';

const SAVE_DELAY_MS = 800;

class App {
  private readonly api = new FirnApi();
  private context: Context = { database: null, schema: null, warehouse: null };
  private readonly root = document.getElementById('app')!;
  private readonly picker = new WarehousePicker(
    (sql) => this.run(sql),
    () => this.context,
    (w) => (this.context = { ...this.context, warehouse: w }),
  );
  private readonly browser = new SchemaBrowser((sql) => this.run(sql), (t) => this.queryTable(t));
  private readonly notebook = new NotebookView({
    run: (sql, opts) => this.run(sql, opts),
    cancel: (handle) => this.api.cancel(handle),
    warehouse: () => this.context.warehouse,
    picker: this.picker,
    changed: () => this.scheduleSave(),
    unauthorized: () => this.showLogin('Your session ended: sign in again.'),
  });
  private readonly list = h('ul', { class: 'notebook-list', 'data-testid': 'notebook-list' });
  private readonly title = h('input', { class: 'notebook-title', 'data-testid': 'notebook-name', spellcheck: 'false', 'aria-label': 'Notebook name' });
  private readonly saveState = h('span', { class: 'save-state', 'data-testid': 'save-state' });
  private readonly main = h('main', { class: 'main' });
  private current: Notebook | null = null;
  private notebooks: NotebookSummary[] = [];
  private saveTimer: number | null = null;
  private saving: Promise<void> = Promise.resolve();

  start(): void {
    if (this.api.loggedIn) void this.showShell();
    else this.showLogin();
    document.addEventListener('keydown', (e) => {
      if (e.key === 's' && (e.ctrlKey || e.metaKey) && this.current) {
        e.preventDefault();
        void this.saveNow();
      }
    });
  }

  private async run(sql: string, opts?: RunOptions): Promise<StatementAnswer> {
    const answer = await this.api.execute(sql, this.context, opts);
    this.context = answer.context;
    return answer;
  }

  // ---- login -------------------------------------------------------------------------

  private showLogin(message = ''): void {
    this.api.logout();
    let mode: 'password' | 'token' = 'password';
    const user = h('input', { name: 'user', autocomplete: 'username', 'data-testid': 'login-user', placeholder: 'ADMIN' });
    const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', 'data-testid': 'login-password' });
    const token = h('input', { name: 'token', type: 'password', autocomplete: 'off', 'data-testid': 'login-token', placeholder: 'programmatic access token' });
    const error = h('div', { class: 'login-error', 'data-testid': 'login-error', role: 'alert' }, message);
    const fields = h('div', { class: 'login-fields' });
    const tabs = h('div', { class: 'login-tabs' });
    const renderMode = () => {
      replace(
        tabs,
        h('button', { type: 'button', class: mode === 'password' ? 'active' : '', 'data-testid': 'login-mode-password', onclick: () => ((mode = 'password'), renderMode()) }, 'Password'),
        h('button', { type: 'button', class: mode === 'token' ? 'active' : '', 'data-testid': 'login-mode-token', onclick: () => ((mode = 'token'), renderMode()) }, 'Access token'),
      );
      replace(fields, ...(mode === 'password' ? [h('label', {}, 'User', user), h('label', {}, 'Password', password)] : [h('label', {}, 'Token', token)]));
    };
    renderMode();
    const submit = h('button', { type: 'submit', class: 'primary wide', 'data-testid': 'login-submit' }, 'Sign in');
    const form = h(
      'form',
      {
        class: 'login-card',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          submit.disabled = true;
          replace(error);
          try {
            if (mode === 'password') await this.api.loginWithPassword(user.value.trim(), password.value);
            else await this.api.loginWithToken(token.value.trim());
            await this.showShell();
          } catch (err) {
            replace(error, (err as Error).message);
          } finally {
            submit.disabled = false;
          }
        },
      },
      h('div', { class: 'brand big' }, h('span', { class: 'logo' }, '❄'), 'Firn'),
      h('p', { class: 'muted' }, 'Sign in to your notebooks'),
      tabs,
      fields,
      submit,
      error,
    );
    replace(this.root, h('div', { class: 'login-screen' }, form));
    (mode === 'password' ? user : token).focus();
  }

  // ---- shell -------------------------------------------------------------------------

  private async showShell(): Promise<void> {
    // A new login starts afresh: the server's default context, no notebook open.
    this.cancelSave();
    this.current = null;
    this.notebooks = [];
    this.context = { database: null, schema: null, warehouse: null };
    const who = this.api.credentials?.user ?? '';
    const header = h(
      'header',
      { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'logo' }, '❄'), 'Firn', h('span', { class: 'brand-sub' }, 'Notebooks')),
      this.picker.el,
      h('span', { class: 'spacer' }),
      h('span', { class: 'user', 'data-testid': 'user-name' }, who),
      h('button', { class: 'ghost small', 'data-testid': 'logout', onclick: () => void this.saveNow().then(() => this.showLogin()) }, 'Sign out'),
    );
    const sidebar = h(
      'aside',
      { class: 'sidebar' },
      h('div', { class: 'side-head' }, h('span', {}, 'Notebooks'), h('button', { class: 'ghost small', 'data-testid': 'new-notebook', onclick: () => void this.createNotebook() }, '+ New')),
      this.list,
      h('div', { class: 'side-head' }, h('span', {}, 'Databases'), h('button', { class: 'ghost small', title: 'Reload', onclick: () => void this.browser.refresh() }, '↻')),
      this.browser.el,
    );
    replace(this.root, h('div', { class: 'shell' }, header, h('div', { class: 'workspace' }, sidebar, this.main)));
    this.showEmpty();
    try {
      await this.picker.refresh();
      await Promise.all([this.loadList(), this.browser.refresh()]);
      const first = this.notebooks[0];
      if (first) await this.open(first.id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.showLogin('Your session ended: sign in again.');
    }
  }

  private showEmpty(): void {
    replace(
      this.main,
      h('div', { class: 'empty-state' }, h('h2', {}, 'No notebook open'), h('p', { class: 'muted' }, 'Notebooks hold SQL and Markdown cells, saved for you in Firn.'), h('button', { class: 'primary', onclick: () => void this.createNotebook() }, 'Create a notebook')),
    );
  }

  private async loadList(): Promise<void> {
    const { notebooks } = await this.api.listNotebooks();
    this.notebooks = notebooks;
    this.renderList();
  }

  private renderList(): void {
    replace(
      this.list,
      ...this.notebooks.map((n) =>
        h(
          'li',
          {},
          h(
            'button',
            { class: n.id === this.current?.id ? 'notebook-item active' : 'notebook-item', 'data-testid': 'notebook-item', onclick: () => void this.open(n.id) },
            h('span', { class: 'nb-name' }, n.name),
            h('span', { class: 'nb-time' }, new Date(n.updatedAt).toLocaleString()),
          ),
        ),
      ),
      this.notebooks.length === 0 ? h('li', { class: 'muted small-note' }, 'No notebooks yet.') : null,
    );
  }

  private async createNotebook(): Promise<void> {
    await this.saveNow();
    const names = new Set(this.notebooks.map((n) => n.name));
    let k = 1;
    while (names.has(`Notebook ${k}`)) k++;
    const created = await this.api.createNotebook(`Notebook ${k}`, [{ kind: 'sql', name: 'cell1', text: '' }]);
    await this.loadList();
    await this.open(created.id);
  }

  private async open(id: number): Promise<void> {
    await this.saveNow();
    const nb = await this.api.getNotebook(id);
    this.current = nb;
    this.title.value = nb.name;
    this.title.oninput = () => this.scheduleSave();
    this.notebook.load(nb.cells);
    this.setSaveState('Saved');
    const toolbar = h(
      'div',
      { class: 'toolbar' },
      h('button', { class: 'primary', 'data-testid': 'run-all', onclick: () => void this.notebook.runAll() }, '▶ Run all'),
      h('button', { class: 'ghost', 'data-testid': 'add-sql', onclick: () => this.notebook.add('sql') }, '+ SQL'),
      h('button', { class: 'ghost', 'data-testid': 'add-markdown', onclick: () => this.notebook.add('markdown') }, '+ Markdown'),
      h('span', { class: 'spacer' }),
      this.saveState,
      h('button', { class: 'ghost danger', 'data-testid': 'delete-notebook', onclick: () => void this.deleteCurrent() }, 'Delete'),
    );
    replace(this.main, h('div', { class: 'notebook' }, h('div', { class: 'notebook-head' }, this.title), toolbar, this.notebook.el));
    this.renderList();
  }

  private async deleteCurrent(): Promise<void> {
    if (!this.current || !window.confirm(`Delete the notebook "${this.current.name}"?`)) return;
    this.cancelSave();
    await this.api.deleteNotebook(this.current.id);
    this.current = null;
    await this.loadList();
    const first = this.notebooks[0];
    if (first) await this.open(first.id);
    else this.showEmpty();
  }

  private queryTable(qualified: string): void {
    if (!this.current) return;
    this.notebook.add('sql', `SELECT * FROM ${qualified} LIMIT 100`);
  }

  // ---- saving ------------------------------------------------------------------------

  private setSaveState(text: string): void {
    this.saveState.textContent = text;
  }

  private cancelSave(): void {
    if (this.saveTimer !== null) window.clearTimeout(this.saveTimer);
    this.saveTimer = null;
  }

  private scheduleSave(): void {
    this.setSaveState('Unsaved changes');
    this.cancelSave();
    this.saveTimer = window.setTimeout(() => void this.saveNow(), SAVE_DELAY_MS);
  }

  private saveNow(): Promise<void> {
    if (this.saveTimer === null || !this.current) return this.saving;
    this.cancelSave();
    const nb = this.current;
    const name = this.title.value.trim() || nb.name;
    const cells = this.notebook.cells();
    this.setSaveState('Saving…');
    this.saving = this.saving.then(async () => {
      try {
        const saved = await this.api.saveNotebook(nb.id, name, cells);
        if (this.current?.id === saved.id) this.current = saved;
        this.setSaveState('Saved');
        const entry = this.notebooks.find((n) => n.id === saved.id);
        if (entry) Object.assign(entry, { name: saved.name, updatedAt: saved.updatedAt });
        this.notebooks.sort((a, b) => b.updatedAt - a.updatedAt);
        this.renderList();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return this.showLogin('Your session ended: sign in again.');
        this.setSaveState(`Not saved: ${(err as Error).message}`);
      }
    });
    return this.saving;
  }
}

new App().start();
