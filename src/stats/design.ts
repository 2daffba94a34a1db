/**
 * Design matrices from model formulas, column for column as patsy builds them (the formula
 * engine of statsmodels), so coefficient names and order match `smf.ols(...)`:
 *
 * - Categorical factors (string or boolean columns, or `C(x)`) have their levels sorted
 *   (numbers numerically, strings by code point, `false` before `true`) and are treatment-coded
 *   against the first level (or the `Treatment` reference), columns named `C(g)[T.b]` / `g[T.b]`.
 * - Terms are grouped by their numeric factors (the group with none first), sorted by degree
 *   within a group, and each term's categorical factors are coded full- or reduced-rank by
 *   patsy's rule, so that `x:C(g)` without `C(g)` gets one column per level and a model with
 *   `- 1` codes its first categorical with all levels.
 * - Rows with a missing value (NaN, null) in any variable used are dropped (`missing='drop'`);
 *   categorical levels come from all rows, as patsy's.
 * - Numeric levels print as JavaScript prints them (`C(n)[T.2]`; pandas prints an integer-valued
 *   float64 column as `2.0`).
 *
 * @module
 */

import { compareCodePoints } from '../core/code-points.ts';
import { ValidationError } from '../core/errors.ts';
import { closest } from '../core/params.ts';
import {
  type FormulaExpr,
  type FormulaFactor,
  type FormulaTerm,
  formulaError,
  type ParsedFormula,
  parseFormula,
} from './formula.ts';

/** A column of a {@link FormulaFrame}: numbers (NaN/null missing), strings or booleans (null missing). */
export type FormulaColumn =
  | Float64Array
  | readonly (number | null)[]
  | readonly (string | null)[]
  | readonly (boolean | null)[];

/** The data a formula refers to: columns by name, all of the same length. */
export type FormulaFrame = Readonly<Record<string, FormulaColumn>>;

/** A categorical factor's values. */
interface CatValue {
  kind: 'cat';
  codes: Int32Array;
  levels: string[];
  reference: number;
}

/** A numeric factor's values. */
interface NumValue {
  kind: 'num';
  values: Float64Array;
}

type FactorValue = CatValue | NumValue;

/** What {@link buildDesign} returns. */
export interface Design {
  /** The parsed formula. */
  formula: ParsedFormula;
  /** The response name (the left side, e.g. `y` or `log(y)`). */
  responseName: string;
  /** The response values of the rows used (numeric; see `responseLevels` for a categorical one). */
  y: Float64Array;
  /** For a categorical response: its levels (y holds the level index, 0 … k−1). */
  responseLevels: string[] | null;
  /** The design matrix, column-major: column j is `X.subarray(j * n, (j + 1) * n)`. */
  X: Float64Array;
  /** Rows used (after dropping missing values). */
  n: number;
  /** Number of columns. */
  p: number;
  /** Column names, patsy style (`Intercept`, `x1`, `C(g)[T.b]`, `x1:x2`). */
  columns: string[];
  /** For each column, the term it belongs to (e.g. `C(g)` or `x1:x2`; `Intercept`). */
  columnTerms: string[];
  /** Indices (into the input rows) of the rows used. */
  rows: Int32Array;
  /** Index of the intercept column, or -1. */
  interceptIndex: number;
}

function isNumericColumn(c: FormulaColumn): boolean {
  if (c instanceof Float64Array) return true;
  for (const v of c) {
    if (v === null || v === undefined) continue;
    return typeof v === 'number';
  }
  return true;
}

function levelLabel(v: number | string | boolean): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** Categorical coding of a raw column: sorted distinct levels, codes (−1 missing). */
function categorize(col: FormulaColumn, n: number): { codes: Int32Array; levels: string[] } {
  const codes = new Int32Array(n);
  const numeric = isNumericColumn(col);
  if (numeric) {
    const vals = new Set<number>();
    for (let i = 0; i < n; i++) {
      const v = col[i] as number | null;
      if (v !== null && v === v) vals.add(v);
    }
    const levels = [...vals].sort((a, b) => a - b);
    const index = new Map(levels.map((v, k) => [v, k]));
    for (let i = 0; i < n; i++) {
      const v = col[i] as number | null;
      codes[i] = v === null || v !== v ? -1 : index.get(v)!;
    }
    return { codes, levels: levels.map(levelLabel) };
  }
  const first = [...(col as readonly (string | boolean | null)[])].find((v) => v !== null && v !== undefined);
  const isBool = typeof first === 'boolean';
  const vals = new Set<string | boolean>();
  for (let i = 0; i < n; i++) {
    const v = col[i] as string | boolean | null;
    if (v !== null && v !== undefined) vals.add(v);
  }
  const levels = [...vals].sort((a, b) =>
    isBool ? Number(a) - Number(b) : compareCodePoints(a as string, b as string),
  );
  const index = new Map<string | boolean, number>(levels.map((v, k) => [v, k]));
  for (let i = 0; i < n; i++) {
    const v = col[i] as string | boolean | null;
    codes[i] = v === null || v === undefined ? -1 : index.get(v)!;
  }
  return { codes, levels: levels.map(levelLabel) };
}

const UNARY: Record<string, (x: number) => number> = {
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

/** Evaluates factors against a frame. */
class Evaluator {
  private readonly cache = new Map<string, FactorValue>();

  constructor(
    private readonly frame: FormulaFrame,
    private readonly n: number,
    private readonly formula: string,
  ) {}

  factor(f: FormulaFactor): FactorValue {
    let v = this.cache.get(f.name);
    if (!v) {
      v = this.top(f.expr);
      this.cache.set(f.name, v);
    }
    return v;
  }

  private err(pos: number, message: string, fix: string): ValidationError {
    return formulaError(this.formula, pos, message, fix);
  }

  private column(name: string, pos: number): FormulaColumn {
    const col = this.frame[name];
    if (col === undefined) {
      const known = Object.keys(this.frame);
      const near = closest(name, known);
      throw this.err(
        pos,
        `The formula names a column '${name}' that is not in the data.`,
        near
          ? `did you mean '${near}'? The columns are: ${known.join(', ')}`
          : `the columns are: ${known.slice(0, 30).join(', ')}`,
      );
    }
    return col;
  }

  /** A factor at the top level: categorical columns and C() stay categorical. */
  private top(e: FormulaExpr): FactorValue {
    if (e.kind === 'name') {
      const col = this.column(e.name, e.pos);
      if (isNumericColumn(col)) return { kind: 'num', values: this.numericColumn(col) };
      return { kind: 'cat', ...categorize(col, this.n), reference: 0 };
    }
    if (e.kind === 'call' && (e.fn === 'C' || e.fn === 'Q')) {
      if (e.fn === 'Q') return this.top({ kind: 'name', name: this.stringArg(e, 0), pos: e.pos });
      return this.categorical(e);
    }
    return { kind: 'num', values: this.numeric(e) };
  }

  private stringArg(e: Extract<FormulaExpr, { kind: 'call' }>, k: number): string {
    const a = e.args[k];
    if (a?.kind !== 'string')
      throw this.err(
        e.pos,
        `${e.fn}() needs a quoted column name, e.g. ${e.fn}('my column').`,
        'quote the name',
      );
    return a.value;
  }

  private categorical(e: Extract<FormulaExpr, { kind: 'call' }>): CatValue {
    if (e.args.length < 1 || e.args.length > 2 || e.kwargs.length > 0) {
      throw this.err(
        e.pos,
        "C() takes a column and optionally a contrast, e.g. C(g) or C(g, Treatment('b')).",
        'check the arguments of C()',
      );
    }
    const inner = e.args[0];
    let base: { codes: Int32Array; levels: string[] };
    if (inner.kind === 'name') base = categorize(this.column(inner.name, inner.pos), this.n);
    else if (inner.kind === 'call' && inner.fn === 'Q')
      base = categorize(this.column(this.stringArg(inner, 0), inner.pos), this.n);
    else base = categorize(this.numeric(inner), this.n);
    let reference = 0;
    const contrast = e.args[1];
    if (contrast) {
      if (contrast.kind !== 'call' || contrast.fn !== 'Treatment') {
        throw this.err(
          contrast.pos,
          "Only Treatment coding is supported: C(g, Treatment('b')).",
          "use Treatment('level') or Treatment(reference='level')",
        );
      }
      const ref = contrast.args[0] ?? contrast.kwargs.find((k) => k.name === 'reference')?.value;
      if (ref) {
        const label =
          ref.kind === 'string' ? ref.value : ref.kind === 'number' ? levelLabel(ref.value) : null;
        const idx = label === null ? -1 : base.levels.indexOf(label);
        if (idx < 0) {
          throw this.err(
            ref.pos,
            `The reference level ${ref.kind === 'string' ? ref.text : printable(ref)} is not a level of ${printable(inner)}.`,
            `the levels are: ${base.levels.join(', ')}`,
          );
        }
        reference = idx;
      }
    }
    return { kind: 'cat', ...base, reference };
  }

  private numericColumn(col: FormulaColumn): Float64Array {
    if (col instanceof Float64Array) return col;
    return Float64Array.from(col as readonly (number | null)[], (v) =>
      v === null || v === undefined ? Number.NaN : v,
    );
  }

  /** An expression evaluated to numbers. */
  private numeric(e: FormulaExpr): Float64Array {
    const n = this.n;
    switch (e.kind) {
      case 'number':
        return new Float64Array(n).fill(e.value);
      case 'string':
        throw this.err(
          e.pos,
          `A string (${e.text}) cannot be used as a number here.`,
          'use Q("name") to refer to a column by a quoted name',
        );
      case 'name': {
        const col = this.column(e.name, e.pos);
        if (!isNumericColumn(col)) {
          throw this.err(
            e.pos,
            `Column '${e.name}' is categorical; arithmetic and functions need a numeric column.`,
            `use C(${e.name}) on its own, or convert the column to numbers`,
          );
        }
        return this.numericColumn(col);
      }
      case 'unary': {
        const a = this.numeric(e.arg);
        return e.op === '-' ? a.map((v) => -v) : a;
      }
      case 'binary': {
        const a = this.numeric(e.left);
        const b = this.numeric(e.right);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const x = a[i];
          const y = b[i];
          out[i] =
            e.op === '+'
              ? x + y
              : e.op === '-'
                ? x - y
                : e.op === '*'
                  ? x * y
                  : e.op === '/'
                    ? x / y
                    : x ** y;
        }
        return out;
      }
      case 'call': {
        const fn =
          e.fn.startsWith('np.') || e.fn.startsWith('numpy.') ? e.fn.slice(e.fn.indexOf('.') + 1) : e.fn;
        if (fn === 'I') {
          if (e.args.length !== 1) throw this.err(e.pos, 'I() takes one expression.', 'write I(expression)');
          return this.numeric(e.args[0]);
        }
        if (fn === 'Q') return this.numeric({ kind: 'name', name: this.stringArg(e, 0), pos: e.pos });
        if (fn === 'C')
          throw this.err(
            e.pos,
            'C() makes a categorical factor; it cannot be used inside arithmetic.',
            'use C(x) as a term on its own',
          );
        if (e.args.length !== 1 || e.kwargs.length > 0)
          throw this.err(e.pos, `${e.fn}() takes exactly one argument.`, `write ${e.fn}(x)`);
        const a = this.numeric(e.args[0]);
        if (fn === 'center' || fn === 'standardize') return centre(a, fn === 'standardize');
        const f = UNARY[fn];
        if (!f) {
          throw this.err(
            e.pos,
            `Unknown function '${e.fn}' in the formula.`,
            `use one of ${Object.keys(UNARY).join(', ')}, center, standardize, I, C or Q`,
          );
        }
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const x = a[i];
          if (x !== x) {
            out[i] = x;
            continue;
          }
          const y = f(x);
          if (!Number.isFinite(y)) {
            throw this.err(
              e.pos,
              `${printable(e)} is ${y} at row ${i + 1} (${printable(e.args[0])} = ${x}).`,
              `${fn} needs values in its domain: filter those rows or transform differently (e.g. log1p)`,
            );
          }
          out[i] = y;
        }
        return out;
      }
    }
  }
}

function printable(e: FormulaExpr): string {
  switch (e.kind) {
    case 'name':
      return e.name;
    case 'number':
    case 'string':
      return e.text;
    case 'call':
      return `${e.fn}(${e.args.map(printable).join(', ')})`;
    case 'unary':
      return `${e.op}${printable(e.arg)}`;
    case 'binary':
      return `${printable(e.left)} ${e.op} ${printable(e.right)}`;
  }
}

/** patsy's `center`/`standardize` (ddof 0) over the non-missing values. */
function centre(a: Float64Array, scale: boolean): Float64Array {
  let s = 0;
  let m = 0;
  for (const v of a) {
    if (v === v) {
      s += v;
      m++;
    }
  }
  const mean = s / m;
  let ss = 0;
  for (const v of a) if (v === v) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / m);
  return a.map((v) => (scale ? (v - mean) / sd : v - mean));
}

/** patsy's `_subsets_sorted`: subsets by size, then by position. */
function subsetsSorted<T>(items: T[]): T[][] {
  const out: number[][] = [[]];
  for (let k = 0; k < items.length; k++) {
    const len = out.length;
    for (let i = 0; i < len; i++) out.push([...out[i], k]);
  }
  out.sort((a, b) => a.length - b.length || cmpIdx(a, b));
  return out.map((s) => s.map((k) => items[k]));
}

function cmpIdx(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** A subterm: categorical factor names → full rank (true) or reduced (false). */
type Coding = Map<string, boolean>;

/** patsy's `pick_contrasts_for_term` (with `_simplify_subterms`). */
function pickContrasts(catFactors: string[], used: Set<string>): Coding[] {
  const key = (m: Coding) =>
    [...m.entries()]
      .map(([f, full]) => `${f}${full ? '+' : '-'}`)
      .sort()
      .join('\u0000');
  const subterms: Coding[] = [];
  for (const subset of subsetsSorted(catFactors)) {
    const c: Coding = new Map(subset.map((f) => [f, false]));
    const k = key(c);
    if (!used.has(k)) subterms.push(c);
  }
  for (const s of subterms) used.add(key(s));
  // simplify greedily from the left: a long subterm absorbs a shorter one it extends by one factor
  for (;;) {
    let changed = false;
    outer: for (let si = 0; si < subterms.length; si++) {
      for (let li = si + 1; li < subterms.length; li++) {
        const short = subterms[si];
        const long = subterms[li];
        if (long.size - short.size !== 1) continue;
        let superset = true;
        for (const [f, full] of short) if (long.get(f) !== full) superset = false;
        if (!superset) continue;
        const extra = [...long.keys()].find((f) => !short.has(f))!;
        const merged: Coding = new Map(short);
        merged.set(extra, true);
        subterms[li] = merged;
        subterms.splice(si, 1);
        changed = true;
        break outer;
      }
    }
    if (!changed) break;
  }
  return subterms;
}

function termName(t: FormulaTerm): string {
  return t.factors.length ? t.factors.map((f) => f.name).join(':') : 'Intercept';
}

/** Options of {@link buildDesign}. */
export interface DesignOptions {
  /** Allow a categorical response (logistic regression); default false (OLS needs numbers). */
  categoricalResponse?: boolean;
}

/**
 * Evaluates `formula` on `frame` into a response vector and a design matrix (see the module
 * notes). Errors — unknown columns, bad functions, empty data — point at the formula.
 */
export function buildDesign(
  formula: string | ParsedFormula,
  frame: FormulaFrame,
  options: DesignOptions = {},
): Design {
  const parsed = typeof formula === 'string' ? parseFormula(formula) : formula;
  const names = Object.keys(frame);
  const nAll = names.length ? frame[names[0]].length : 0;
  for (const k of names) {
    if (frame[k].length !== nAll) {
      throw new ValidationError(
        `buildDesign: column '${k}' has ${frame[k].length} rows; column '${names[0]}' has ${nAll}.`,
        {
          field: k,
          fix: 'pass columns of the same length',
        },
      );
    }
  }
  const ev = new Evaluator(frame, nAll, parsed.formula);
  const resp = ev.factor(parsed.response);
  if (resp.kind === 'cat' && !options.categoricalResponse) {
    throw formulaError(
      parsed.formula,
      parsed.response.pos,
      `The response ${parsed.response.name} is categorical; OLS needs a numeric response.`,
      'use a numeric column, or lathe stats logit for a binary one',
    );
  }
  const terms: FormulaTerm[] = [...(parsed.intercept ? [{ factors: [] }] : []), ...parsed.terms];
  const values = new Map<string, FactorValue>();
  const factors = new Map<string, FormulaFactor>([[parsed.response.name, parsed.response]]);
  for (const t of terms) {
    for (const f of t.factors) {
      values.set(f.name, ev.factor(f));
      factors.set(f.name, f);
    }
  }

  // Rows with no missing value in any factor used.
  const keep = new Uint8Array(nAll).fill(1);
  const markMissing = (v: FactorValue) => {
    if (v.kind === 'num') {
      for (let i = 0; i < nAll; i++) if (v.values[i] !== v.values[i]) keep[i] = 0;
    } else for (let i = 0; i < nAll; i++) if (v.codes[i] < 0) keep[i] = 0;
  };
  markMissing(resp);
  for (const v of values.values()) markMissing(v);
  // An infinite value (`inf` in a file) is no missing value, and would make the fit NaN — with a
  // singular-design error calling every column "all zeros" — so it is an error, as statsmodels'
  // "exog contains inf or nans".
  const refuseInfinite = (name: string, v: FactorValue) => {
    if (v.kind !== 'num') return;
    for (let i = 0; i < nAll; i++) {
      const x = v.values[i];
      if (keep[i] && (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY)) {
        throw formulaError(
          parsed.formula,
          factors.get(name)!.pos,
          `${name} is ${x} at row ${i + 1}; the fit needs finite values.`,
          `replace the infinite values of ${name} or make them missing (rows with a missing value are dropped)`,
        );
      }
    }
  };
  refuseInfinite(parsed.response.name, resp);
  for (const [name, v] of values) refuseInfinite(name, v);
  let n = 0;
  for (let i = 0; i < nAll; i++) n += keep[i];
  const rows = new Int32Array(n);
  for (let i = 0, k = 0; i < nAll; i++) if (keep[i]) rows[k++] = i;
  if (n === 0) {
    throw new ValidationError(
      `No rows left: every one of the ${nAll} rows has a missing value in a variable of '${parsed.formula}'.`,
      {
        field: 'formula',
        fix: 'check the data for missing values, or drop the variables that are mostly missing',
      },
    );
  }

  // patsy's term ordering: buckets by numeric factors (none first), by degree within a bucket.
  const isNum = (f: FormulaFactor) => values.get(f.name)!.kind === 'num';
  const buckets = new Map<string, FormulaTerm[]>();
  const order: string[] = [];
  for (const t of terms) {
    const b = t.factors
      .filter(isNum)
      .map((f) => f.name)
      .sort()
      .join('\u0000');
    if (!buckets.has(b)) {
      buckets.set(b, []);
      order.push(b);
    }
    buckets.get(b)!.push(t);
  }
  if (buckets.has('')) {
    order.splice(order.indexOf(''), 1);
    order.unshift('');
  }
  const cols: Float64Array[] = [];
  const colNames: string[] = [];
  const colTerms: string[] = [];
  for (const b of order) {
    const bt = buckets
      .get(b)!
      .slice()
      .sort((x, y) => x.factors.length - y.factors.length);
    const used = new Set<string>();
    for (const t of bt) {
      const cats = t.factors.filter((f) => !isNum(f)).map((f) => f.name);
      for (const coding of pickContrasts(cats, used)) {
        // columns for each factor of the subterm, in the term's factor order; the leftmost varies fastest
        const pieces: { names: string[]; values: Float64Array[] }[] = [];
        for (const f of t.factors) {
          const v = values.get(f.name)!;
          if (v.kind === 'num') {
            const col = new Float64Array(n);
            for (let k = 0; k < n; k++) col[k] = v.values[rows[k]];
            pieces.push({ names: [f.name], values: [col] });
          } else if (coding.has(f.name)) {
            const full = coding.get(f.name)!;
            const lv = v.levels.map((_, k) => k).filter((k) => full || k !== v.reference);
            pieces.push({
              names: lv.map((k) => `${f.name}[${full ? '' : 'T.'}${v.levels[k]}]`),
              values: lv.map((k) => {
                const col = new Float64Array(n);
                for (let r = 0; r < n; r++) col[r] = v.codes[rows[r]] === k ? 1 : 0;
                return col;
              }),
            });
          }
        }
        let combos: { name: string[]; col: Float64Array }[] = [
          { name: [], col: new Float64Array(n).fill(1) },
        ];
        for (const piece of pieces) {
          const next: typeof combos = [];
          for (let j = 0; j < piece.values.length; j++) {
            for (const c of combos) {
              const col = new Float64Array(n);
              for (let r = 0; r < n; r++) col[r] = c.col[r] * piece.values[j][r];
              next.push({ name: [...c.name, piece.names[j]], col });
            }
          }
          combos = next;
        }
        for (const c of combos) {
          cols.push(c.col);
          colNames.push(c.name.length ? c.name.join(':') : 'Intercept');
          colTerms.push(termName(t));
        }
      }
    }
  }
  const p = cols.length;
  const X = new Float64Array(n * p);
  cols.forEach((c, j) => X.set(c, j * n));
  const y = new Float64Array(n);
  let responseLevels: string[] | null = null;
  if (resp.kind === 'num') for (let k = 0; k < n; k++) y[k] = resp.values[rows[k]];
  else {
    responseLevels = resp.levels;
    for (let k = 0; k < n; k++) y[k] = resp.codes[rows[k]];
  }
  return {
    formula: parsed,
    responseName: parsed.response.name,
    y,
    responseLevels,
    X,
    n,
    p,
    columns: colNames,
    columnTerms: colTerms,
    rows,
    interceptIndex: colNames.indexOf('Intercept'),
  };
}
