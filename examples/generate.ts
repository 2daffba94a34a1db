/**
 * Generates the example datasets in examples/ (deterministic: seeded). Run from the repository
 * root with `node --import tsx examples/generate.ts`. wine.csv is real data and comes from
 * examples/make_wine.py instead.
 *
 * - customers.csv / .parquet / .ndjson — telecom churn, 2,000 customers: numeric, categorical,
 *   boolean, a signup date, a customer id, ~5% missing values, target `churned` (yes/no).
 * - customers-2025.csv — 1,500 customers a year later, whose churn has other causes (a competitor
 *   courting premium customers in two regions, support calls weighing more): new labelled data for
 *   `lathe monitor --target` and `lathe retrain`.
 * - housing.csv — 1,500 house sales, regression target `price`.
 * - transactions_dirty.csv — 600 card transactions with a few malformed lines (ragged rows, an
 *   unterminated quote, non-numeric amounts) for the bad-row handling.
 */

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.ts';
import { booleanColumn, categoricalColumn, datetimeColumn, numericColumn, textColumn } from '../src/data/column.ts';
import { Table } from '../src/data/table.ts';
import { writeTable } from '../src/data/write.ts';

const here = dirname(fileURLToPath(import.meta.url));
const DAY = 86_400_000;

function pick<T>(rng: Rng, items: readonly T[], weights?: readonly number[]): T {
  if (!weights) return items[rng.int(items.length)];
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.random() * total;
  for (let i = 0; i < items.length; i++) {
    u -= weights[i];
    if (u < 0) return items[i];
  }
  return items[items.length - 1];
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
function poisson(rng: Rng, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng.random();
  } while (p > l);
  return k - 1;
}
/** Sets ~`rate` of the entries to null. */
function holes<T>(rng: Rng, values: (T | null)[], rate: number): (T | null)[] {
  return values.map((v) => (rng.random() < rate ? null : v));
}

/** What drives churn: a linear score (log-odds) of one customer's attributes. */
type ChurnScore = (c: {
  calls: number;
  tenure: number;
  monthly: number;
  payment: string;
  paperless: boolean;
  age: number;
  plan: string;
  region: string;
}) => number;

/** Churn as it was up to 2024 (customers.csv). */
const churn2023: ChurnScore = (c) =>
  -1.2 +
  0.42 * c.calls -
  0.045 * c.tenure +
  0.018 * (c.monthly - 55) +
  (c.payment === 'electronic_check' ? 0.8 : 0) +
  (c.paperless ? 0.25 : 0) -
  0.012 * (c.age - 44);

/**
 * Churn a year later (customers-2025.csv): a competitor courts premium customers in the West and
 * South, support calls weigh twice as much, and paying by electronic check no longer matters.
 */
const churn2024: ChurnScore = (c) =>
  -1.4 +
  0.84 * c.calls -
  0.045 * c.tenure +
  0.018 * (c.monthly - 55) +
  (c.plan === 'premium' && (c.region === 'West' || c.region === 'South') ? 2.2 : 0) +
  (c.paperless ? 0.25 : 0) -
  0.012 * (c.age - 44);

function customers(seed = 2024, n = 2000, until = 2024, score: ChurnScore = churn2023, firstId = 10001): Table {
  const rng = new Rng(seed);
  const end = Date.UTC(until, 0, 1);
  const start = Date.UTC(until - 5, 0, 1);
  const regions = ['North', 'South', 'East', 'West', 'Central'];
  const plans = ['basic', 'standard', 'premium'];
  const payments = ['credit_card', 'bank_transfer', 'electronic_check', 'mailed_check'];
  const cols = {
    customer_id: [] as string[],
    signup_date: [] as number[],
    age: [] as (number | null)[],
    region: [] as (string | null)[],
    plan: [] as string[],
    monthly_charges: [] as number[],
    tenure_months: [] as number[],
    total_charges: [] as (number | null)[],
    support_calls: [] as number[],
    paperless_billing: [] as (boolean | null)[],
    payment_method: [] as (string | null)[],
    churned: [] as string[],
  };
  for (let i = 0; i < n; i++) {
    const signup = start + Math.floor(rng.random() * ((end - start) / DAY)) * DAY;
    const tenure = Math.max(1, Math.round((end - signup) / (30.44 * DAY)));
    const age = Math.round(clamp(rng.normal(44, 13), 18, 85));
    const plan = pick(rng, plans, [0.45, 0.35, 0.2]);
    const base = plan === 'basic' ? 29 : plan === 'standard' ? 59 : 94;
    const monthly = round(base + rng.normal(0, 6) + (age < 30 ? 4 : 0));
    const total = round(monthly * tenure * (0.93 + 0.1 * rng.random()));
    const calls = poisson(rng, plan === 'basic' ? 1.1 : 1.8);
    const paperless = rng.random() < (age < 45 ? 0.72 : 0.45);
    const payment = pick(rng, payments, [0.32, 0.26, 0.27, 0.15]);
    const region = pick(rng, regions, [0.22, 0.24, 0.18, 0.2, 0.16]);
    const z = score({ calls, tenure, monthly, payment, paperless, age, plan, region });
    cols.customer_id.push(`C${String(firstId + i)}`);
    cols.signup_date.push(signup);
    cols.age.push(age);
    cols.region.push(region);
    cols.plan.push(plan);
    cols.monthly_charges.push(monthly);
    cols.tenure_months.push(tenure);
    cols.total_charges.push(total);
    cols.support_calls.push(calls);
    cols.paperless_billing.push(paperless);
    cols.payment_method.push(payment);
    cols.churned.push(rng.random() < sigmoid(z) ? 'yes' : 'no');
  }
  return new Table([
    textColumn('customer_id', cols.customer_id),
    datetimeColumn('signup_date', cols.signup_date),
    numericColumn('age', holes(rng, cols.age, 0.05)),
    categoricalColumn('region', holes(rng, cols.region, 0.04)),
    categoricalColumn('plan', cols.plan),
    numericColumn('monthly_charges', cols.monthly_charges),
    numericColumn('tenure_months', cols.tenure_months),
    numericColumn('total_charges', holes(rng, cols.total_charges, 0.05)),
    numericColumn('support_calls', cols.support_calls),
    booleanColumn('paperless_billing', holes(rng, cols.paperless_billing, 0.03)),
    categoricalColumn('payment_method', holes(rng, cols.payment_method, 0.05)),
    categoricalColumn('churned', cols.churned),
  ]);
}

function housing(): Table {
  const rng = new Rng(1907);
  const n = 1500;
  const hoods = ['Riverside', 'Oak Hill', 'Downtown', 'Maple Grove', 'Lakeview', 'Old Town', 'Hillcrest', 'Fairview'];
  const premium: Record<string, number> = {
    Riverside: 1.15,
    'Oak Hill': 1.3,
    Downtown: 1.25,
    'Maple Grove': 1.0,
    Lakeview: 1.35,
    'Old Town': 0.95,
    Hillcrest: 1.1,
    Fairview: 0.85,
  };
  const conditions = ['poor', 'fair', 'good', 'excellent'];
  const c = {
    sqft: [] as number[],
    bedrooms: [] as number[],
    bathrooms: [] as number[],
    year_built: [] as (number | null)[],
    lot_size: [] as (number | null)[],
    neighborhood: [] as string[],
    condition: [] as (string | null)[],
    has_garage: [] as boolean[],
    sold_date: [] as number[],
    price: [] as number[],
  };
  const start = Date.UTC(2018, 0, 1);
  for (let i = 0; i < n; i++) {
    const sqft = Math.round(clamp(Math.exp(rng.normal(7.45, 0.35)), 520, 6200));
    const beds = clamp(Math.round(sqft / 620 + rng.normal(0, 0.6)), 1, 7);
    const baths = clamp(Math.round((beds * 0.6 + rng.normal(0.3, 0.4)) * 2) / 2, 1, 5);
    const year = Math.round(clamp(rng.normal(1978, 24), 1900, 2023));
    const lot = Math.round(clamp(sqft * (1.5 + 2.5 * rng.random()), 1200, 40000));
    const hood = pick(rng, hoods);
    const cond = pick(rng, conditions, [0.08, 0.27, 0.45, 0.2]);
    const garage = rng.random() < 0.68;
    const sold = start + Math.floor(rng.random() * 6 * 365) * DAY;
    const yearsSince2018 = (sold - start) / (365.25 * DAY);
    const condF = { poor: 0.82, fair: 0.93, good: 1.0, excellent: 1.12 }[cond] as number;
    const price =
      (48_000 + 165 * sqft + 9_000 * baths + 3_500 * beds + 1.9 * lot + (garage ? 14_000 : 0) - 380 * (2023 - year)) *
      premium[hood] *
      condF *
      (1 + 0.045 * yearsSince2018) *
      Math.exp(rng.normal(0, 0.09));
    c.sqft.push(sqft);
    c.bedrooms.push(beds);
    c.bathrooms.push(baths);
    c.year_built.push(year);
    c.lot_size.push(lot);
    c.neighborhood.push(hood);
    c.condition.push(cond);
    c.has_garage.push(garage);
    c.sold_date.push(sold);
    c.price.push(Math.round(price / 100) * 100);
  }
  return new Table([
    numericColumn('sqft', c.sqft),
    numericColumn('bedrooms', c.bedrooms),
    numericColumn('bathrooms', c.bathrooms),
    numericColumn('year_built', holes(rng, c.year_built, 0.03)),
    numericColumn('lot_size', holes(rng, c.lot_size, 0.06)),
    categoricalColumn('neighborhood', c.neighborhood),
    categoricalColumn('condition', holes(rng, c.condition, 0.04)),
    booleanColumn('has_garage', c.has_garage),
    datetimeColumn('sold_date', c.sold_date),
    numericColumn('price', c.price),
  ]);
}

/** CSV text of card transactions with a handful of deliberately malformed lines. */
function transactionsDirty(): string {
  const rng = new Rng(77);
  const n = 600;
  const merchants = [
    ['grocery', 'Fresh Mart'],
    ['grocery', 'Green Basket'],
    ['restaurant', 'Luigi, Trattoria'],
    ['restaurant', 'The Noodle Bar'],
    ['fuel', 'QuickFuel'],
    ['travel', 'SkyWays Air'],
    ['electronics', 'Circuit City "Outlet"'],
    ['pharmacy', 'WellCare'],
  ];
  const channels = ['in_store', 'online', 'contactless'];
  const lines = ['transaction_id,timestamp,customer_id,merchant,category,channel,amount,currency,is_fraud,note'];
  let t = Date.UTC(2024, 2, 1, 6, 0, 0);
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (let i = 0; i < n; i++) {
    t += Math.round(rng.uniform(2, 40)) * 60_000;
    const [cat, name] = pick(rng, merchants, [3, 2, 2, 2, 2, 0.6, 0.8, 1.2]);
    const channel = pick(rng, channels, [0.5, 0.3, 0.2]);
    const base = { grocery: 45, restaurant: 38, fuel: 55, travel: 420, electronics: 260, pharmacy: 22 }[cat] as number;
    const fraud = rng.random() < (channel === 'online' ? 0.05 : 0.01);
    const amount = round(base * Math.exp(rng.normal(0, 0.55)) * (fraud ? 3.5 : 1));
    const id = `T${String(500001 + i)}`;
    const ts = new Date(t).toISOString().slice(0, 19).replace('T', ' ');
    const cust = `C${String(10001 + rng.int(2000))}`;
    let note = '';
    if (rng.random() < 0.05) note = 'customer called\nabout this charge';
    else if (rng.random() < 0.1) note = 'refund requested, pending';
    const amountText = rng.random() < 0.03 ? '' : String(amount);
    let line = [id, ts, cust, q(name), cat, channel, amountText, 'EUR', fraud ? '1' : '0', q(note)].join(',');
    // The malformed lines, at fixed places.
    if (i === 57) line = `${line},EXTRA`; // one field too many
    if (i === 143) line = [id, ts, cust, q(name), cat, channel, String(amount)].join(','); // fields missing
    if (i === 268) line = [id, ts, cust, q(name), cat, channel, 'twelve', 'EUR', '0', ''].join(','); // not a number
    if (i === 391) line = [id, ts, cust, `"${name}`, cat, channel, String(amount), 'EUR', '0', ''].join(','); // unterminated quote
    if (i === 455) line = [id, ts, cust, q(name), cat, channel, '12.50€', 'EUR', '0', ''].join(','); // not a number
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

const cust = customers();
await writeTable(cust, join(here, 'customers.csv'));
await writeTable(cust, join(here, 'customers.parquet'));
await writeTable(cust, join(here, 'customers.ndjson'));
await writeTable(customers(2025, 1500, 2025, churn2024, 20001), join(here, 'customers-2025.csv'));
await writeTable(housing(), join(here, 'housing.csv'));
writeFileSync(join(here, 'transactions_dirty.csv'), transactionsDirty());
console.log('wrote examples/customers.{csv,parquet,ndjson}, customers-2025.csv, housing.csv, transactions_dirty.csv');
