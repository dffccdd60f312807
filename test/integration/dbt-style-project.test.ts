/**
 * A small dbt-style project run as plain SQL through the SQL API, the way dbt's Snowflake adapter
 * runs one: raw tables loaded with COPY INTO, then the models of test/fixtures/dbt-shop/models
 * in order, each compiled ({{ ref() }}, {{ this }} and is_incremental() resolved) and wrapped as
 * dbt-snowflake materializes it (`create or replace view … as (…)`, `create or replace transient
 * table … as (…)`, and an incremental model's MERGE), then the project's data tests (unique,
 * not_null, accepted_values, relationships, compiled to queries that return the failing rows).
 * The project is Firn's own, shaped like dbt's jaffle-shop example (staging views over raw
 * tables, then order and customer marts, and web events parsed from JSON text into VARIANT
 * paths); its data comes from a seeded generator, and every
 * checked value is computed here from that data, independently of SQL, and compared exactly
 * (types and scales included).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, type StatementBody } from '../support/post-statement.js';

const MODELS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'dbt-shop', 'models');
const CONTEXT = { database: 'SHOP', schema: 'ANALYTICS' };

type Customer = { id: number; first: string; last: string; email: string; phone: string; signup: string };
type Order = { id: number; user: number; date: string; status: string; loadedAt: string };
type Payment = { id: number; order: number; method: string; cents: number };
type ShopEvent = { id: number; customer: number; type: string; ts: string; items: number | null; cents: number | null; broken: boolean };

/** The raw data: customers with untidy text, orders (some re-sent with a later status), payments in cents. */
function shopData(): { customers: Customer[]; orders: Order[]; payments: Payment[]; events: ShopEvent[] } {
  let seed = 20261207;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const firsts = ['anna', ' BJORN', 'carla ', 'dag', 'EVA', 'fredrik', 'gro', 'hans'];
  const lasts = ['hansen', 'OLSEN', ' larsen', 'berg ', 'dahl'];
  const customers: Customer[] = [];
  for (let id = 1; id <= 40; id++) {
    const first = pick(firsts);
    const last = pick(lasts);
    const email = id % 9 === 0 ? ` ${first.trim().toUpperCase()}.AT.example ` : ` ${first.trim()}.${last.trim()}${id}@Example.com`;
    const phone = `+47 (${900 + id}) ${String(id * 37).padStart(3, '0')}-${String(id * 11).padStart(2, '0')}`;
    customers.push({ id, first, last, email, phone, signup: `2023-12-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}` });
  }
  const statuses = ['placed', 'shipped', 'completed', 'returned'];
  const orders: Order[] = [];
  for (let id = 1; id <= 120; id++) {
    const month = 1 + Math.floor(rnd() * 6);
    const day = 1 + Math.floor(rnd() * 28);
    orders.push({ id, user: 1 + Math.floor(rnd() * 36), date: `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, status: pick(statuses), loadedAt: '2024-07-01 00:00:00' });
  }
  // The loader re-sends some orders with a new status.
  for (let id = 5; id <= 120; id += 12) orders.push({ ...orders[id - 1], status: 'completed', loadedAt: '2024-07-02 08:00:00' });
  const methods = ['credit_card', 'coupon', 'bank_transfer', 'gift_card'];
  const payments: Payment[] = [];
  let pid = 1;
  for (let id = 1; id <= 120; id++) {
    const n = id % 10 === 0 ? 0 : 1 + Math.floor(rnd() * 2);
    for (let k = 0; k < n; k++) payments.push({ id: pid++, order: id, method: pick(methods), cents: 100 + Math.floor(rnd() * 9000) });
  }
  // Web events as JSON text: some without items or amount, a few not JSON at all.
  const events: ShopEvent[] = [];
  for (let id = 1; id <= 200; id++) {
    const type = pick(['View', 'PURCHASE', 'view', 'search']);
    const items = rnd() < 0.8 ? Math.floor(rnd() * 4) : null;
    const cents = type.toLowerCase() === 'purchase' ? 100 + Math.floor(rnd() * 5000) : null;
    const ts = `2024-0${1 + Math.floor(rnd() * 6)}-1${Math.floor(rnd() * 10)} 1${Math.floor(rnd() * 10)}:0${Math.floor(rnd() * 10)}:00`;
    events.push({ id, customer: 1 + Math.floor(rnd() * 40), type, ts, items, cents, broken: id % 37 === 0 });
  }
  return { customers, orders, payments, events };
}

/** An event's payload as the web tier writes it (or, for a broken one, not JSON). */
function payload(e: ShopEvent): string {
  if (e.broken) return `{"user": {"id": ${e.customer}}, "type": "${e.type}"`;
  const body: Record<string, unknown> = { type: e.type, user: { id: e.customer, agent: 'web' }, ts: e.ts };
  if (e.items !== null) body.items = Array.from({ length: e.items }, (_, i) => ({ sku: `S${i}` }));
  if (e.cents !== null) body.amount = e.cents / 100;
  return JSON.stringify(body);
}

type Model = { name: string; materialized: 'view' | 'table' | 'incremental'; uniqueKey: string | null; sql: string };

function loadModels(): Model[] {
  return readdirSync(MODELS)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const sql = readFileSync(path.join(MODELS, f), 'utf8');
      const m = /^-- materialized: (view|table|incremental)(?: \(unique_key: (\w+)\))?/.exec(sql);
      if (!m) throw new Error(`${f}: no materialization line`);
      return { name: f.replace(/^\d+_|\.sql$/g, ''), materialized: m[1] as Model['materialized'], uniqueKey: m[2] ?? null, sql };
    });
}

/** What dbt's compiler does for these models: refs and `this` become relation names, is_incremental() blocks kept or dropped. */
function compile(model: Model, incremental: boolean): string {
  return model.sql
    .replace(/\{%\s*if is_incremental\(\)\s*%\}([\s\S]*?)\{%\s*endif\s*%\}/g, (_, body: string) => (incremental ? body : ''))
    .replace(/\{\{\s*ref\('(\w+)'\)\s*\}\}/g, (_, name: string) => `SHOP.ANALYTICS.${name}`)
    .replace(/\{\{\s*this\s*\}\}/g, `SHOP.ANALYTICS.${model.name}`);
}

/** The statement dbt-snowflake runs to build the model (an incremental model's later runs merge). */
function materialize(model: Model, incremental: boolean, columns: readonly string[]): string {
  const sql = compile(model, incremental);
  const target = `SHOP.ANALYTICS.${model.name}`;
  if (model.materialized === 'view') return `create or replace view ${target} as (\n${sql}\n)`;
  if (model.materialized === 'table' || !incremental) return `create or replace transient table ${target} as (\n${sql}\n)`;
  const key = model.uniqueKey!;
  return [
    `merge into ${target} as DBT_INTERNAL_DEST`,
    `using (\n${sql}\n) as DBT_INTERNAL_SOURCE`,
    `on (DBT_INTERNAL_SOURCE.${key} = DBT_INTERNAL_DEST.${key})`,
    `when matched then update set ${columns.map((c) => `${c} = DBT_INTERNAL_SOURCE.${c}`).join(', ')}`,
    `when not matched then insert (${columns.join(', ')}) values (${columns.map((c) => `DBT_INTERNAL_SOURCE.${c}`).join(', ')})`,
  ].join('\n');
}

function csv(rows: (string | number)[][]): string {
  return rows.map((r) => r.map((v) => (typeof v === 'number' ? String(v) : `"${v.replace(/"/g, '""')}"`)).join(',')).join('\n') + '\n';
}

/** Cents as the NUMBER(38,6) an integer divided by 100 is in Snowflake. */
const dollars = (cents: number): string => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}0000`;
const initcap = (s: string): string => s.trim().toLowerCase().replace(/(^|[^a-z0-9])([a-z])/g, (_, a: string, b: string) => a + b.toUpperCase());
const days = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

describe('a dbt-style project run as plain SQL through the SQL API', () => {
  let dir: string;
  let server: FirnProcess;
  const data = shopData();
  const models = loadModels();
  const run = async (sql: string): Promise<StatementBody> => postStatement(server.url, sql, CONTEXT);
  const rows = async (sql: string): Promise<(string | null)[][]> => (await run(sql)).data;

  /** Each order's latest row, as stg_orders keeps it. */
  const latestOrders = (): Order[] => {
    const byId = new Map<number, Order>();
    for (const o of data.orders) if (!byId.has(o.id) || byId.get(o.id)!.loadedAt < o.loadedAt) byId.set(o.id, o);
    return [...byId.values()].sort((a, b) => a.id - b.id);
  };
  const centsOf = (orderId: number): number => data.payments.filter((p) => p.order === orderId).reduce((s, p) => s + p.cents, 0);

  const buildAll = async (incremental: boolean): Promise<void> => {
    for (const model of models) {
      if (incremental && model.materialized !== 'incremental' && model.materialized !== 'table') continue;
      const merging = incremental && model.materialized === 'incremental';
      const columns = merging ? (await run(`describe table SHOP.ANALYTICS.${model.name}`)).data.map((r) => r[0]!) : [];
      await run(materialize(model, incremental, columns));
    }
  };

  const loadRaw = async (): Promise<void> => {
    writeFileSync(path.join(dir, 'customers.csv'), csv([['id', 'first_name', 'last_name', 'email', 'phone', 'signup_date'], ...data.customers.map((c) => [c.id, c.first, c.last, c.email, c.phone, c.signup])]));
    writeFileSync(path.join(dir, 'orders.csv'), csv([['id', 'user_id', 'order_date', 'status', 'loaded_at'], ...data.orders.map((o) => [o.id, o.user, o.date, o.status, o.loadedAt])]));
    writeFileSync(path.join(dir, 'payments.csv'), csv([['id', 'order_id', 'payment_method', 'amount'], ...data.payments.map((p) => [p.id, p.order, p.method, p.cents])]));
    writeFileSync(path.join(dir, 'events.csv'), csv([['id', 'payload'], ...data.events.map((e) => [e.id, payload(e)])]));
    for (const t of ['customers', 'orders', 'payments', 'events']) {
      await run(`copy into SHOP.RAW.${t} from 'file://${path.join(dir, `${t}.csv`)}' file_format = (type = csv skip_header = 1 field_optionally_enclosed_by = '"')`);
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-dbt-shop-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '50' } });
    for (const sql of [
      'create database SHOP',
      'create schema SHOP.RAW',
      'create schema SHOP.ANALYTICS',
      'create table SHOP.RAW.customers (id integer, first_name varchar, last_name varchar, email varchar, phone varchar, signup_date varchar)',
      'create table SHOP.RAW.orders (id integer, user_id integer, order_date date, status varchar, loaded_at timestamp_ntz)',
      'create table SHOP.RAW.payments (id integer, order_id integer, payment_method varchar, amount integer)',
      'create table SHOP.RAW.events (id integer, payload varchar)',
    ]) {
      await postStatement(server.url, sql);
    }
    await loadRaw();
    await buildAll(false);
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('materializes staging models as views and marts as transient tables', async () => {
    const objects = await rows("select table_name, table_type, is_transient from SHOP.INFORMATION_SCHEMA.TABLES where table_schema = 'ANALYTICS' order by 1");
    expect(objects).toEqual([
      ['CUSTOMERS', 'BASE TABLE', 'YES'],
      ['CUSTOMER_ACTIVITY', 'BASE TABLE', 'YES'],
      ['INT_ORDER_PAYMENTS', 'VIEW', 'NO'],
      ['MONTHLY_REVENUE', 'BASE TABLE', 'YES'],
      ['ORDERS', 'BASE TABLE', 'YES'],
      ['ORDERS_INCREMENTAL', 'BASE TABLE', 'YES'],
      ['STG_CUSTOMERS', 'VIEW', 'NO'],
      ['STG_EVENTS', 'VIEW', 'NO'],
      ['STG_ORDERS', 'VIEW', 'NO'],
      ['STG_PAYMENTS', 'VIEW', 'NO'],
    ]);
  });

  it('stg_customers tidies names, e-mails and phone numbers', async () => {
    const got = await rows('select customer_id, first_name, last_name, email, phone_digits, has_valid_email from stg_customers order by customer_id');
    expect(got).toEqual(
      data.customers.map((c) => {
        const email = c.email.trim().toLowerCase();
        return [String(c.id), initcap(c.first), initcap(c.last), email, c.phone.replace(/[^0-9]/g, ''), /^[a-z0-9.]+@[a-z0-9]+\.[a-z]+$/.test(email) ? 'true' : 'false'];
      }),
    );
  });

  it('orders: one row per order with its latest status, payments pivoted by method and an md5 surrogate key', async () => {
    const body = await run('select order_key, order_id, order_month, status, credit_card_amount, coupon_amount, bank_transfer_amount, gift_card_amount, amount, paid_once from orders order by order_id');
    expect(body.resultSetMetaData.rowType.map((t) => [t.name, t.type, t.scale ?? null])).toEqual([
      ['ORDER_KEY', 'text', null],
      ['ORDER_ID', 'fixed', 0],
      ['ORDER_MONTH', 'date', null],
      ['STATUS', 'text', null],
      ['CREDIT_CARD_AMOUNT', 'fixed', 6],
      ['COUPON_AMOUNT', 'fixed', 6],
      ['BANK_TRANSFER_AMOUNT', 'fixed', 6],
      ['GIFT_CARD_AMOUNT', 'fixed', 6],
      ['AMOUNT', 'fixed', 6],
      ['PAID_ONCE', 'boolean', null],
    ]);
    const byMethod = (id: number, m: string) => dollars(data.payments.filter((p) => p.order === id && p.method === m).reduce((s, p) => s + p.cents, 0));
    expect(body.data).toEqual(
      latestOrders().map((o) => [
        createHash('md5').update(`${o.id}-${o.user}`).digest('hex'),
        String(o.id),
        String(Date.parse(`${o.date.slice(0, 7)}-01`) / 86_400_000),
        o.status.toUpperCase(),
        byMethod(o.id, 'credit_card'),
        byMethod(o.id, 'coupon'),
        byMethod(o.id, 'bank_transfer'),
        byMethod(o.id, 'gift_card'),
        dollars(centsOf(o.id)),
        data.payments.filter((p) => p.order === o.id).length === 1 ? 'true' : 'false',
      ]),
    );
  });

  it('customers: order counts, lifetime value, days to first order and segment, over returned orders left out', async () => {
    const got = await rows('select customer_id, full_name, number_of_orders, customer_lifetime_value, days_to_first_order, segment from customers order by customer_id');
    expect(got).toEqual(
      data.customers.map((c) => {
        const kept = latestOrders().filter((o) => o.user === c.id && o.status !== 'returned');
        const cents = kept.reduce((s, o) => s + centsOf(o.id), 0);
        const first = kept.map((o) => o.date).sort()[0];
        const segment = kept.length === 0 ? 'prospect' : cents >= 10_000 ? 'gold' : kept.length >= 2 ? 'repeat' : 'new';
        return [String(c.id), `${initcap(c.first)} ${initcap(c.last)}`, String(kept.length), dollars(cents), first === undefined ? null : String(days(c.signup, first)), segment];
      }),
    );
  });

  it('monthly_revenue: revenue per month and status with a running total, grouped by all', async () => {
    const got = await rows('select order_month, status, orders, customers, revenue, running_revenue from monthly_revenue order by status, order_month');
    const groups = new Map<string, Order[]>();
    for (const o of latestOrders()) {
      const k = `${o.status.toUpperCase()}|${o.date.slice(0, 7)}`;
      groups.set(k, [...(groups.get(k) ?? []), o]);
    }
    const running = new Map<string, number>();
    const expected = [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, os]) => {
        const [status, month] = k.split('|');
        const cents = os.reduce((s, o) => s + centsOf(o.id), 0);
        running.set(status, (running.get(status) ?? 0) + cents);
        return [String(Date.parse(`${month}-01`) / 86_400_000), status, String(os.length), String(new Set(os.map((o) => o.user)).size), dollars(cents), dollars(running.get(status)!)];
      });
    expect(got).toEqual(expected);
  });

  it('stg_events and customer_activity read typed fields out of JSON payloads, skipping the ones that do not parse', async () => {
    const events = data.events.filter((e) => !e.broken);
    const staged = await run('select event_id, customer_id, event_type, occurred_at, item_count, amount from stg_events order by event_id');
    expect(staged.resultSetMetaData.rowType.map((t) => [t.name, t.type, t.scale ?? null])).toEqual([
      ['EVENT_ID', 'fixed', 0],
      ['CUSTOMER_ID', 'fixed', 0],
      ['EVENT_TYPE', 'text', null],
      ['OCCURRED_AT', 'timestamp_ntz', 9],
      ['ITEM_COUNT', 'fixed', 0],
      ['AMOUNT', 'fixed', 2],
    ]);
    const cents = (c: number | null) => (c === null ? null : `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`);
    const epoch = (ts: string) => `${Date.parse(`${ts.replace(' ', 'T')}Z`) / 1000}.000000000`;
    expect(staged.data).toEqual(events.map((e) => [String(e.id), String(e.customer), e.type.toLowerCase(), epoch(e.ts), String(e.items ?? 0), cents(e.cents)]));
    const activity = await rows('select customer_id, views, purchases, items, spent, last_seen from customer_activity order by customer_id');
    const ids = [...new Set(events.map((e) => e.customer))].sort((a, b) => a - b);
    expect(activity).toEqual(
      ids.map((id) => {
        const mine = events.filter((e) => e.customer === id);
        const spent = mine.reduce((s, e) => s + (e.cents ?? 0), 0);
        return [
          String(id),
          String(mine.filter((e) => e.type.toLowerCase() === 'view').length),
          String(mine.filter((e) => e.type.toLowerCase() === 'purchase').length),
          String(mine.reduce((s, e) => s + (e.items ?? 0), 0)),
          cents(spent),
          epoch(mine.map((e) => e.ts).sort().at(-1)!),
        ];
      }),
    );
  });

  it("passes the project's data tests (unique, not_null, accepted_values, relationships)", async () => {
    const tests = [
      'select order_id from orders where order_id is not null group by order_id having count(*) > 1',
      'select order_key from orders where order_key is null',
      "select status from orders where status not in ('PLACED', 'SHIPPED', 'COMPLETED', 'RETURNED')",
      'select o.customer_id from orders o left join customers c on o.customer_id = c.customer_id where o.customer_id is not null and c.customer_id is null',
      'select customer_id from customers group by all having count(*) > 1',
    ];
    for (const t of tests) expect([t, await rows(`select count(*) from (${t}) dbt_internal_test`)]).toEqual([t, [['0']]]);
  });

  it('an incremental run merges only orders newer than the table holds', async () => {
    const before = await rows('select count(*), max(order_date) from orders_incremental');
    expect(before).toEqual([[String(latestOrders().length), String(Math.max(...latestOrders().map((o) => Date.parse(o.date) / 86_400_000)))]]);
    // New raw data arrives: two later orders with a payment each.
    data.orders.push({ id: 121, user: 3, date: '2024-08-02', status: 'placed', loadedAt: '2024-08-03 00:00:00' }, { id: 122, user: 4, date: '2024-08-05', status: 'shipped', loadedAt: '2024-08-06 00:00:00' });
    data.payments.push({ id: 9001, order: 121, method: 'coupon', cents: 1250 }, { id: 9002, order: 122, method: 'gift_card', cents: 999 });
    for (const sql of [
      "insert into SHOP.RAW.orders values (121, 3, '2024-08-02', 'placed', '2024-08-03 00:00:00'), (122, 4, '2024-08-05', 'shipped', '2024-08-06 00:00:00')",
      "insert into SHOP.RAW.payments values (9001, 121, 'coupon', 1250), (9002, 122, 'gift_card', 999)",
    ]) {
      await run(sql);
    }
    await buildAll(true);
    expect(await rows('select order_id, status, amount from orders_incremental where order_id > 118 order by order_id')).toEqual(
      latestOrders()
        .filter((o) => o.id > 118)
        .map((o) => [String(o.id), o.status.toUpperCase(), dollars(centsOf(o.id))]),
    );
    expect(await rows('select count(*) from orders_incremental')).toEqual([[String(latestOrders().length)]]);
  });
});
