/**
 * The notebook page at / in real headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) against a real server over a loaded table: log in, create a notebook, run a
 * SQL cell, see its table and chart, reference it from a second cell, resize and suspend the
 * warehouse from the picker (and see the next run auto-resume it), browse the schema, export
 * CSV, reload and find the notebook saved, and log in with a token. Screenshots of each step
 * are written to test-artifacts/notebook-page/ (gitignored) for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFirnProcess, TEST_ADMIN_TOKEN, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { TRIPS_DDL, writeTripsCsv } from '../support/trips-data.js';

const CHROMIUM = process.env.FIRN_CHROMIUM ?? '/usr/bin/chromium';
const ADMIN_PASSWORD = 'notebook-test-Passw0rd';
const here = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = path.resolve(here, '..', '..', 'test-artifacts', 'notebook-page');

const BY_CITY = 'SELECT city, COUNT(*) AS trips, SUM(fare) AS fare, MIN(day) AS first_day FROM trips GROUP BY city ORDER BY city';
const BUSY = 'SELECT city, trips FROM {{by_city}} WHERE trips > 330 ORDER BY trips DESC, city';
const BUSIER = BUSY.replace('330', '340');

let dir: string;
let firn: FirnProcess;
let browser: Browser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The rows of the result table under cell `i`, as the page shows them. */
async function tableRows(i: number): Promise<string[][]> {
  return page
    .getByTestId('cell')
    .nth(i)
    .getByTestId('result-table')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent ?? '')));
}

async function jsonRows(sql: string): Promise<string[][]> {
  return (await postStatement(firn.url, sql)).data.map((r) => r.map((c) => c ?? 'NULL'));
}

async function typeInto(i: number, sql: string): Promise<void> {
  const editor = page.getByTestId('cell').nth(i).getByTestId('cell-editor');
  await editor.fill(sql);
}

async function warehouseState(): Promise<{ state: string; size: string }> {
  const r = await postStatement(firn.url, "SHOW WAREHOUSES LIKE 'COMPUTE_WH'");
  const names = r.resultSetMetaData.rowType.map((c) => c.name);
  return { state: r.data[0]![names.indexOf('state')]!, size: r.data[0]![names.indexOf('size')]! };
}

describe('the notebook page in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set FIRN_CHROMIUM`);
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(path.join(tmpdir(), 'firn-notebook-page-'));
    writeTripsCsv(path.join(dir, 'csv'), 2, 2000);
    firn = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_ADMIN_PASSWORD: ADMIN_PASSWORD, FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '500' } });
    await postStatement(firn.url, TRIPS_DDL);
    await postStatement(firn.url, `COPY INTO trips FROM 'file://${dir}/csv/trips_*.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-proxy-server'] });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    // The page must load nothing from anywhere but the server (it works offline).
    await context.route('**/*', (route) => (route.request().url().startsWith(firn.url) ? route.continue() : route.abort()));
  });

  afterAll(async () => {
    await browser?.close();
    await firn?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('does every step of a notebook session', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      // A failed statement's 4xx is logged by Chromium as a failed resource load: expected here.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    // Log in with user and password.
    await page.goto(firn.url);
    await expect(page.getByTestId('login-submit').isVisible()).resolves.toBe(true);
    await page.getByTestId('login-user').fill('ADMIN');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').filter({ hasText: /.+/ }).waitFor();
    await shot('01-login-failed');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').filter({ hasText: 'ADMIN' }).waitFor();
    await page.getByTestId('warehouse-state').filter({ hasText: /STARTED|SUSPENDED/ }).waitFor();

    // Create a notebook and name it.
    await page.getByTestId('new-notebook').click();
    await page.getByTestId('cell').first().waitFor();
    await page.getByTestId('notebook-name').fill('Trip analysis');

    // A SQL cell over the loaded table: its table (typed, dates as dates) and its stats.
    await page.getByTestId('cell').first().getByTestId('cell-name').fill('by_city');
    await typeInto(0, BY_CITY);
    await page.getByTestId('cell').first().getByTestId('cell-editor').press('Control+Enter');
    await page.getByTestId('cell').first().getByTestId('result-table').waitFor();
    const isoDay = (days: string) => new Date(Number(days) * 86_400_000).toISOString().slice(0, 10);
    const expected = (await jsonRows(BY_CITY)).map(([city, trips, fare, day]) => [city!, trips!, fare!, isoDay(day!)]);
    expect(await tableRows(0)).toEqual(expected);
    const headers = await page.getByTestId('cell').first().locator('thead th').allTextContents();
    expect(headers).toEqual(['#', 'CITYVARCHAR', 'TRIPSNUMBER(18,0)', 'FARENUMBER(38,2)', 'FIRST_DAYDATE']);
    const stats = await page.getByTestId('cell').first().getByTestId('run-stats').textContent();
    expect(stats).toMatch(/^Elapsed[\d.]+ m?sPartitions8 \/ 8Scanned[\d.]+ (B|KiB)Cache hit\d+%WarehouseCOMPUTE_WH · XSMALL$/);
    await shot('02-sql-cell-table');

    // Sorting by a column (descending on the second click).
    await page.getByTestId('cell').first().locator('thead th', { hasText: 'TRIPS' }).click();
    await page.getByTestId('cell').first().locator('thead th', { hasText: 'TRIPS' }).click();
    const sorted = [...expected].sort((a, b) => Number(b[1]) - Number(a[1]) || 0);
    expect((await tableRows(0)).map((r) => r[1])).toEqual(sorted.map((r) => r[1]));

    // The chart of the result.
    await page.getByTestId('cell').first().getByTestId('tab-chart').click();
    const canvas = page.getByTestId('cell').first().getByTestId('chart-canvas');
    await canvas.waitFor();
    expect(await page.getByTestId('cell').first().getByTestId('chart-x').inputValue()).toBe('0');
    await page.getByTestId('cell').first().getByTestId('chart-y').selectOption({ label: 'TRIPS' });
    // The canvas holds the bars: many pixels of the chart's blue.
    type Canvas2d = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const painted = await canvas.evaluate((el) => {
      const c = el as unknown as Canvas2d;
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let colored = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && data[i + 2]! > 200 && data[i]! < 120) colored++;
      return { width: c.width, colored };
    });
    expect(painted.width).toBeGreaterThan(300);
    expect(painted.colored).toBeGreaterThan(1000);
    await shot('03-chart');

    // The profile panel.
    await page.getByTestId('cell').first().getByTestId('tab-profile').click();
    expect(await page.getByTestId('cell').first().getByTestId('profile-operator').count()).toBeGreaterThan(1);
    expect(await page.getByTestId('cell').first().getByTestId('profile').textContent()).toMatch(/scan.+rows/);
    await shot('04-profile');
    await page.getByTestId('cell').first().getByTestId('tab-table').click();

    // CSV export of what the table shows.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('cell').first().getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toBe('by_city.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toBe(`CITY,TRIPS,FARE,FIRST_DAY\n${sorted.map((r) => r.map((c) => (c === 'NULL' ? '' : c)).join(',')).join('\n')}\n`);

    // A second cell referencing the first by name.
    await page.getByTestId('add-sql').click();
    await typeInto(1, BUSY);
    await page.getByTestId('cell').nth(1).getByTestId('run-cell').click();
    await page.getByTestId('cell').nth(1).getByTestId('result-table').waitFor();
    expect(await tableRows(1)).toEqual(await jsonRows(`SELECT city, trips FROM (${BY_CITY}) AS by_city WHERE trips > 330 ORDER BY trips DESC, city`));
    expect(await page.getByTestId('cell').nth(1).getByTestId('run-note').allTextContents()).toEqual(['Reads {{by_city}}']);
    // The reference reads the rows by_city showed (its run's result, by query id), not the table as it is now.
    const shown = await tableRows(1);
    await postStatement(firn.url, "INSERT INTO trips SELECT id, day, 'Busytown', fare, distance, paid, note, ts FROM trips");
    await page.getByTestId('cell').nth(1).getByTestId('run-cell').click();
    await page.getByTestId('cell').nth(1).getByTestId('cell-status').filter({ hasText: '✓' }).waitFor();
    expect(await tableRows(1)).toEqual(shown);
    await postStatement(firn.url, "DELETE FROM trips WHERE city = 'Busytown'");

    // A markdown cell renders.
    await page.getByTestId('add-markdown').click();
    await typeInto(2, '# Findings\nThe **busiest** cities.');
    await page.getByTestId('cell').nth(2).getByTestId('cell-editor').press('Control+Enter');
    await page.getByTestId('cell').nth(2).locator('.markdown h1', { hasText: 'Findings' }).waitFor();
    await shot('05-reference-and-markdown');

    // More rows than a page: paging, and timestamps shown as date and time with their digits.
    await page.getByTestId('add-sql').click();
    await typeInto(3, 'SELECT id, day, ts FROM trips ORDER BY id LIMIT 120');
    await page.getByTestId('cell').nth(3).getByTestId('run-cell').click();
    await page.getByTestId('cell').nth(3).getByTestId('result-table').waitFor();
    expect(await page.getByTestId('cell').nth(3).getByTestId('page-info').textContent()).toBe('Page 1 of 3');
    const tsText = (epoch: string) => {
      const [secs, frac] = epoch.split('.');
      return `${new Date(Number(secs) * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${frac}`;
    };
    const firstPages = (await jsonRows('SELECT id, day, ts FROM trips ORDER BY id LIMIT 120')).map(([id, day, ts]) => [id!, isoDay(day!), ts === 'NULL' ? 'NULL' : tsText(ts!)]);
    expect(await tableRows(3)).toEqual(firstPages.slice(0, 50));
    await page.getByTestId('cell').nth(3).getByTestId('page-next').click();
    expect(await page.getByTestId('cell').nth(3).getByTestId('page-info').textContent()).toBe('Page 2 of 3');
    expect(await tableRows(3)).toEqual(firstPages.slice(50, 100));
    await shot('05b-paged-timestamps');

    // A result larger than the page takes: the first 100,000 rows, and it says so.
    await typeInto(3, 'SELECT a.id AS a, b.id AS b FROM trips a CROSS JOIN trips b LIMIT 150000');
    await page.getByTestId('cell').nth(3).getByTestId('run-cell').click();
    await page.getByTestId('cell').nth(3).getByTestId('row-count').filter({ hasText: /^100,000 rows$/ }).waitFor();
    expect(await page.getByTestId('cell').nth(3).getByTestId('run-note').allTextContents()).toContain('Showing the first 100,000 rows: the rest was not fetched');
    expect(await page.getByTestId('cell').nth(3).getByTestId('page-info').textContent()).toBe('Page 1 of 2000');
    await page.getByTestId('cell').nth(3).getByTestId('delete-cell').click();

    // A failing cell shows Firn's code and SQLSTATE.
    await page.getByTestId('add-sql').click();
    await typeInto(3, 'SELECT * FROM no_such_table');
    await page.getByTestId('cell').nth(3).getByTestId('run-cell').click();
    expect(await page.getByTestId('cell').nth(3).getByTestId('cell-error').textContent()).toMatch(/^002003 · SQLSTATE 02000.*NO_SUCH_TABLE/);
    await page.getByTestId('cell').nth(3).getByTestId('delete-cell').click();

    // A cell may hold several statements: the last one's result shows.
    await page.getByTestId('add-sql').click();
    await typeInto(3, "CREATE TABLE scratch (x NUMBER);\nINSERT INTO scratch VALUES (1), (2), (3);\nSELECT SUM(x) AS total FROM scratch");
    await page.getByTestId('cell').nth(3).getByTestId('run-cell').click();
    await page.getByTestId('cell').nth(3).getByTestId('result-table').waitFor();
    expect(await tableRows(3)).toEqual([['6']]);
    await page.getByTestId('cell').nth(3).getByTestId('delete-cell').click();

    // A long run can be stopped from its cell: the server cancels the statement.
    await page.getByTestId('add-sql').click();
    await typeInto(3, 'SELECT COUNT(*) FROM trips a CROSS JOIN trips b CROSS JOIN trips c');
    await page.getByTestId('cell').nth(3).getByTestId('run-cell').click();
    // Stopped once it has run 2 s, so the server has the statement: a stop before the request
    // reached it (a CI run under load) left nothing to cancel and no log line to wait for.
    await page.getByTestId('cell').nth(3).getByTestId('cell-status').filter({ hasText: /^Running… [2-9]\.\d\d s/ }).waitFor();
    await page.getByTestId('cell').nth(3).getByTestId('run-cell').click();
    expect(await page.getByTestId('cell').nth(3).getByTestId('cell-error').textContent()).toBe('StoppedThe run was stopped: the statement was canceled.');
    await expect.poll(() => /canceled: the client disconnected/.test(firn.output()), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('cell').nth(3).getByTestId('delete-cell').click();

    // Resize and suspend the warehouse from the picker.
    await page.getByTestId('warehouse-size').selectOption('SMALL');
    await page.getByTestId('warehouse-resize').click();
    await expect.poll(warehouseState, { timeout: 60_000, interval: 250 }).toEqual({ state: 'STARTED', size: 'SMALL' });
    await page.getByTestId('warehouse-state').filter({ hasText: 'STARTED' }).waitFor();
    await page.getByTestId('warehouse-suspend').click();
    await page.getByTestId('warehouse-state').filter({ hasText: 'SUSPENDED' }).waitFor();
    expect(await warehouseState()).toEqual({ state: 'SUSPENDED', size: 'SMALL' });
    expect(await page.getByTestId('warehouse-size').inputValue()).toBe('SMALL');
    await shot('06-warehouse-suspended');

    // Running on the suspended warehouse resumes it, visibly.
    await page.getByTestId('cell').first().getByTestId('run-cell').click();
    await page.getByTestId('cell').first().getByTestId('run-note').filter({ hasText: 'auto-resumed' }).waitFor();
    await page.getByTestId('warehouse-state').filter({ hasText: 'STARTED' }).waitFor();
    expect((await warehouseState()).state).toBe('STARTED');
    await shot('07-auto-resumed');

    // Run from a cell down: the changed second cell runs (and the markdown after it).
    await typeInto(1, BUSIER);
    await page.getByTestId('cell').nth(1).getByTestId('run-from').click();
    await page.getByTestId('cell').nth(1).getByTestId('row-count').filter({ hasText: /^2 rows$/ }).waitFor();
    expect(await tableRows(1)).toEqual(await jsonRows(`SELECT city, trips FROM (${BY_CITY}) AS by_city WHERE trips > 340 ORDER BY trips DESC, city`));

    // Run all runs every cell again.
    await page.getByTestId('run-all').click();
    await page.getByTestId('cell').nth(1).getByTestId('cell-status').filter({ hasText: '✓' }).waitFor();

    // The schema browser: databases, schemas, tables, columns.
    await page.locator('[data-kind="database"][data-name="FIRN"] > .tree-row .twisty').click();
    await page.locator('[data-kind="schema"][data-name="PUBLIC"] > .tree-row .twisty').click();
    await page.locator('[data-kind="table"][data-name="TRIPS"] > .tree-row .twisty').click();
    const columns = page.locator('[data-kind="table"][data-name="TRIPS"] .tree-leaf');
    await columns.first().waitFor();
    expect(await columns.locator('.col-leaf-name').allTextContents()).toEqual(['ID', 'DAY', 'CITY', 'FARE', 'DISTANCE', 'PAID', 'NOTE', 'TS']);
    await shot('08-schema-browser');

    // Saved in the catalog: reload and find it.
    await page.getByTestId('save-state').filter({ hasText: /^Saved$/ }).waitFor();
    await page.reload();
    await page.getByTestId('notebook-item').filter({ hasText: 'Trip analysis' }).waitFor();
    await page.getByTestId('notebook-item').filter({ hasText: 'Trip analysis' }).click();
    await page.getByTestId('cell').nth(2).waitFor();
    expect(await page.getByTestId('notebook-name').inputValue()).toBe('Trip analysis');
    expect(await page.getByTestId('cell-editor').evaluateAll((es) => es.map((e) => (e as unknown as { value: string }).value))).toEqual([BY_CITY, BUSIER, '# Findings\nThe **busiest** cities.']);
    expect(await page.getByTestId('cell-name').evaluateAll((es) => es.map((e) => (e as unknown as { value: string }).value))).toEqual(['by_city', 'cell1']);
    await shot('09-reloaded');

    // Sign out, then in with a programmatic access token.
    await page.getByTestId('logout').click();
    await page.getByTestId('login-mode-token').click();
    await page.getByTestId('login-token').fill(TEST_ADMIN_TOKEN);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('notebook-item').filter({ hasText: 'Trip analysis' }).waitFor();
    expect(await page.getByTestId('user-name').textContent()).toBe('ADMIN');

    expect(requests.filter((u) => !u.startsWith(firn.url))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
