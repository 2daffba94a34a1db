/**
 * `OneHotEncoder`: one 0/1 column per category, with scikit-learn 1.2's semantics:
 *
 * - categories are the sorted values seen in fit (or given); a missing value is a category of its
 *   own, named `(missing)`, placed last;
 * - `handleUnknown`: `'error'` (default), `'ignore'` (an unknown category encodes as all zeros) or
 *   `'infrequent_if_exist'` (it goes to the column's infrequent group when there is one, else zeros);
 * - rare categories — count below `minFrequency` (an integer count, or a fraction of the rows), or
 *   beyond the `maxCategories − 1` most frequent — are grouped into one `(infrequent)` column, last;
 * - `drop: 'first'` drops each column's first output, `'if_binary'` only for two-output columns.
 *
 * Output columns are named `column=category` (`city=Paris`, `city=(missing)`, `city=(infrequent)`).
 *
 * @module
 */

import { registerEstimator } from '../core/estimator.ts';
import type { TargetInput } from '../core/labels.ts';
import { type Matrix, matrix } from '../core/matrix.ts';
import { type ParamsOf, p } from '../core/params.ts';
import type { PlainObject, PlainValue } from '../core/plain.ts';
import { checkLength, damagedState } from '../core/saved-state.ts';
import { warn } from '../core/warnings.ts';
import { TableTransformer } from './base.ts';
import {
  assertFiniteCategories,
  type Category,
  categoriesSpec,
  categoryLabel,
  fitCategories,
  indexCategories,
  readCategoryLists,
  unknownCategoryError,
} from './categories.ts';
import type { DataInput } from './input.ts';
import { type PendingOutput, writeAlone } from './pending-output.ts';
import { readArray } from './state.ts';

const schema = {
  categories: categoriesSpec,
  handleUnknown: p.oneOf(['error', 'ignore', 'infrequent_if_exist'] as const, {
    default: 'error',
    doc: 'what a category not seen in fit becomes',
  }),
  drop: p.nullable(p.oneOf(['first', 'if_binary'] as const), {
    doc: "drop each column's first output ('first'), only for binary columns ('if_binary'), or none (null)",
  }),
  minFrequency: p.nullable(p.union([p.int({ min: 1 }), p.float({ gt: 0, lt: 1 })]), {
    doc: 'categories seen fewer times (an integer ≥ 1) or in a smaller fraction of rows (0 < f < 1) are grouped as infrequent',
  }),
  maxCategories: p.nullable(p.int({ min: 1 }), {
    doc: 'at most this many outputs per column, the infrequent group included',
  }),
};

/** Parameters of {@link OneHotEncoder}. */
export type OneHotEncoderParams = ParamsOf<typeof schema>;

/**
 * One-hot encodes categorical (and boolean, text, low-cardinality numeric) columns.
 *
 * @example
 * ```ts
 * const t = new Table([categoricalColumn('city', ['Paris', 'Lyon', 'Paris'])]);
 * const enc = new OneHotEncoder().fit(t);
 * enc.getFeatureNamesOut(); // ['city=Lyon', 'city=Paris']
 * ```
 */
export class OneHotEncoder extends TableTransformer<OneHotEncoderParams> {
  static readonly typeName = 'OneHotEncoder';
  static readonly schema = schema;

  /** The categories of each column (sorted; null = missing, last). */
  categories_: Category[][] | undefined = undefined;
  /** Per column, the indices (into `categories_`) of the infrequent categories, or null. */
  infrequentIndices_: (number[] | null)[] | undefined = undefined;
  /** Per column, the dropped output (index among the column's outputs before dropping), or null. */
  dropIdx_: (number | null)[] | undefined = undefined;

  constructor(params: Partial<OneHotEncoderParams> = {}) {
    super(params);
  }

  /** The categories per column that were grouped as infrequent (null where none). */
  get infrequentCategories_(): (Category[] | null)[] | undefined {
    if (!this.categories_ || !this.infrequentIndices_) return undefined;
    return this.infrequentIndices_.map((idx, j) => (idx ? idx.map((k) => this.categories_![j][k]) : null));
  }

  /** Learns the categories of each column (and which are infrequent). */
  fit(X: DataInput, _y?: TargetInput): this {
    const t = this.fitTable(X);
    const { handleUnknown, minFrequency, maxCategories, drop } = this.params;
    const found = fitCategories(this.typeName, t.columns, this.params.categories, handleUnknown === 'error');
    const infrequentEnabled = minFrequency !== null || (maxCategories !== null && maxCategories >= 1);
    const n = t.nRows;
    this.categories_ = found.map((f) => f.categories);
    this.infrequentIndices_ = found.map((f) =>
      infrequentEnabled ? identifyInfrequent(f.counts, n, minFrequency, maxCategories) : null,
    );
    this.dropIdx_ = found.map((f, j) => {
      if (drop === null) return null;
      if (drop === 'first') return 0;
      const infreq = this.infrequentIndices_![j];
      const outputs = f.categories.length - (infreq ? infreq.length - 1 : 0);
      return outputs === 2 ? 0 : null;
    });
    return this.finishTable(t);
  }

  /** One-hot encodes X (a Table matched by name, or a Matrix of codes by position). */
  transform(X: DataInput): Matrix {
    const p = this.transformPending(X);
    const { data, rows, cols } = writeAlone(p);
    return matrix(data, rows, cols, p.names);
  }

  /**
   * {@link OneHotEncoder.transform} with the writing left to the caller (a `ColumnTransformer`
   * writes the ones straight into its concatenated output). Every check — unknown categories
   * included — is made here, before anything is written.
   */
  transformPending(X: DataInput): PendingOutput {
    const t = this.transformTableInput(X);
    assertFiniteCategories(t.columns, `${this.typeName}.transform`);
    const n = t.nRows;
    const layout = this.layout();
    const unknownColumns: string[] = [];
    // Per input column, each row's output column within the column's block (−1: none).
    const outs = t.columns.map((c, j) => {
      const idx = indexCategories(c, this.categories_![j]);
      const { catToOut, unknownOut } = layout.columns[j];
      let sawUnknown = false;
      for (let i = 0; i < n; i++) {
        const k = idx[i];
        if (k >= 0) {
          idx[i] = catToOut[k];
          continue;
        }
        if (this.params.handleUnknown === 'error') {
          throw unknownCategoryError(
            this.typeName,
            c,
            i,
            "set handleUnknown to 'ignore' or 'infrequent_if_exist', or refit on data that includes it",
          );
        }
        idx[i] = unknownOut;
        if (unknownOut < 0) sawUnknown = true;
      }
      if (sawUnknown && this.params.drop !== null) unknownColumns.push(c.name);
      return idx;
    });
    if (unknownColumns.length) {
      warn(
        'UserWarning',
        `OneHotEncoder: unknown categories in ${unknownColumns.map((s) => `'${s}'`).join(', ')} were encoded as all zeros, which with drop='${this.params.drop}' is also the code of the dropped category.`,
      );
    }
    return {
      rows: n,
      cols: layout.total,
      names: layout.names,
      writeInto(data, stride, offset) {
        outs.forEach((o, j) => {
          const base = offset + layout.columns[j].offset;
          for (let i = 0, row = base; i < n; i++, row += stride) if (o[i] >= 0) data[row + o[i]] = 1;
        });
      },
    };
  }

  /** {@link OneHotEncoder.fitTransform} with the writing left to the caller (see {@link OneHotEncoder.transformPending}). */
  fitTransformPending(X: DataInput, y?: TargetInput): PendingOutput {
    return this.fit(X, y).transformPending(X);
  }

  /** Output names: `column=category`, `column=(infrequent)` for the grouped rare categories. */
  getFeatureNamesOut(): string[] {
    this.assertFitted('getFeatureNamesOut');
    return this.layout().names;
  }

  /** The categories behind each output, in order, after grouping and dropping (per column). */
  transformedCategories(j: number): (Category | { infrequent: true })[] {
    this.assertFitted('transformedCategories');
    const cats = this.categories_![j];
    const infreq = this.infrequentIndices_![j];
    const isInfrequent = new Uint8Array(cats.length);
    if (infreq) for (const k of infreq) isInfrequent[k] = 1;
    const list: (Category | { infrequent: true })[] = cats.filter((_, k) => !isInfrequent[k]);
    if (infreq) list.push({ infrequent: true });
    const d = this.dropIdx_![j];
    if (d !== null) list.splice(d, 1);
    return list;
  }

  private layout(): Layout {
    const names: string[] = [];
    const columns: Layout['columns'] = [];
    let offset = 0;
    this.categories_!.forEach((cats, j) => {
      const name = this.featureNamesIn_![j];
      const type = this.inputTypes_![j];
      const infreq = this.infrequentIndices_![j];
      const isInfrequent = new Uint8Array(cats.length);
      if (infreq) for (const k of infreq) isInfrequent[k] = 1;
      // Index of each category among the transformed outputs (frequent ones in order, then the group).
      const nFrequent = cats.length - (infreq ? infreq.length : 0);
      const transformed = new Int32Array(cats.length);
      const frequent = new Int32Array(nFrequent);
      let r = 0;
      for (let k = 0; k < cats.length; k++) {
        if (isInfrequent[k]) transformed[k] = nFrequent;
        else {
          frequent[r] = k;
          transformed[k] = r++;
        }
      }
      const nTransformed = nFrequent + (infreq ? 1 : 0);
      const drop = this.dropIdx_![j];
      const outOf = (tIdx: number) => (drop === null || tIdx < drop ? tIdx : tIdx === drop ? -1 : tIdx - 1);
      const catToOut = new Int32Array(cats.length);
      for (let k = 0; k < cats.length; k++) catToOut[k] = outOf(transformed[k]);
      const unknownOut =
        this.params.handleUnknown === 'infrequent_if_exist' && infreq ? outOf(nFrequent) : -1;
      for (let tIdx = 0; tIdx < nTransformed; tIdx++) {
        if (outOf(tIdx) < 0) continue;
        if (tIdx === nFrequent) names.push(`${name}=(infrequent)`);
        else names.push(`${name}=${categoryLabel(cats[frequent[tIdx]], type)}`);
      }
      const width = nTransformed - (drop === null ? 0 : 1);
      columns.push({ catToOut, unknownOut, offset });
      offset += width;
    });
    return { names, columns, total: offset };
  }

  protected getState(): PlainObject {
    return {
      ...this.tableState(),
      categories: this.categories_! as PlainValue[],
      infrequentIndices: this.infrequentIndices_! as PlainValue[],
      dropIdx: this.dropIdx_! as PlainValue[],
    };
  }

  /**
   * Checks one input type and one category list per input column (see `readCategoryLists`), and
   * per column the infrequent categories (null, or distinct indices into the column's categories)
   * and the dropped output (null, or an index among the column's outputs before dropping). A
   * damaged or edited package is refused rather than writing outputs past their column block.
   */
  protected setState(s: PlainObject): void {
    const who = this.typeName;
    const width = (s.featureNamesIn as string[]).length;
    this.restoreTableState(s);
    const cats = readCategoryLists(who, s.categories, width);
    const infrequent = readArray<number[] | null>(
      this,
      s,
      'infrequentIndices',
      (x) => x === null || (Array.isArray(x) && x.every((k) => typeof k === 'number')),
      'a list of index lists',
    );
    checkLength(who, 'infrequentIndices', infrequent, width, 'one per input column');
    infrequent.forEach((idx, j) => {
      if (idx === null) return;
      const n = cats[j].length;
      const seen = new Set<number>();
      for (const k of idx) {
        if (!Number.isInteger(k) || k < 0 || k >= n || seen.has(k)) {
          throw damagedState(
            who,
            'infrequentIndices',
            `holds ${k} for input column ${j}, not a category index in 0..${n - 1} listed once`,
          );
        }
        seen.add(k);
      }
    });
    const drop = readArray<number | null>(
      this,
      s,
      'dropIdx',
      (x) => x === null || typeof x === 'number',
      'a list of integers or nulls',
    );
    checkLength(who, 'dropIdx', drop, width, 'one per input column');
    drop.forEach((d, j) => {
      if (d === null) return;
      const idx = infrequent[j];
      const outputs = cats[j].length - (idx ? idx.length - 1 : 0);
      if (!Number.isInteger(d) || d < 0 || d >= outputs) {
        throw damagedState(
          who,
          'dropIdx',
          `holds ${d} for input column ${j}, not an output index in 0..${outputs - 1}`,
        );
      }
    });
    this.categories_ = cats;
    this.infrequentIndices_ = infrequent;
    this.dropIdx_ = drop;
  }
}

interface Layout {
  names: string[];
  columns: { catToOut: Int32Array; unknownOut: number; offset: number }[];
  total: number;
}

/**
 * Which categories are infrequent, as scikit-learn 1.2's `_identify_infrequent`: counts below
 * `minFrequency` (a count, or a fraction of `n`); then, if more than `maxCategories` outputs would
 * remain, the smallest counts (stable order) until `maxCategories − 1` frequent ones are left.
 */
export function identifyInfrequent(
  counts: Float64Array,
  n: number,
  minFrequency: number | null,
  maxCategories: number | null,
): number[] | null {
  const k = counts.length;
  const infrequent = new Uint8Array(k);
  if (minFrequency !== null) {
    const threshold = Number.isInteger(minFrequency) && minFrequency >= 1 ? minFrequency : n * minFrequency;
    for (let i = 0; i < k; i++) if (counts[i] < threshold) infrequent[i] = 1;
  }
  let nInfrequent = 0;
  for (let i = 0; i < k; i++) nInfrequent += infrequent[i];
  const nCurrent = k - nInfrequent + 1;
  if (maxCategories !== null && maxCategories < nCurrent) {
    // Stable ascending order of counts; the first k − maxCategories + 1 become infrequent
    // (NumPy's `argsort(kind="mergesort")[: -maxCategories + 1]`, where `[:0]` is empty).
    const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => counts[a] - counts[b] || a - b);
    const take = maxCategories === 1 ? 0 : k - maxCategories + 1;
    for (let i = 0; i < take; i++) infrequent[order[i]] = 1;
  }
  const out: number[] = [];
  for (let i = 0; i < k; i++) if (infrequent[i]) out.push(i);
  return out.length ? out : null;
}

registerEstimator(OneHotEncoder);
