/**
 * `DatePartExtractor`: turns datetime columns into numeric parts — `year`, `month` (1–12), `day`
 * (1–31), `weekday` (Monday 0 … Sunday 6, as pandas' `dayofweek`), `hour` (0–23), `dayofyear`
 * (1–366) — computed in UTC, named `column.part` (`signup.month`). A missing datetime gives NaN in
 * every part.
 *
 * With `cyclic: true`, the periodic parts become a sine/cosine pair each (`signup.month.sin`,
 * `signup.month.cos`) so that December sits next to January for linear and distance-based models:
 * `angle = 2π·(value − start) / period` with periods 12 (month), days in that month (day),
 * 7 (weekday), 24 (hour) and days in that year (dayofyear); `year` stays as it is.
 *
 * `parts: 'auto'` (default) extracts year, month, day and weekday, plus hour when a column has
 * times other than midnight in fit.
 *
 * The step works on the datetime columns of a Table (or on the columns named in `columns`, which
 * may also be numeric epoch milliseconds); other columns are not part of its output — route them
 * elsewhere with a ColumnTransformer. A Matrix is read as epoch milliseconds.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { registerEstimator } from '../core/estimator.ts';
import type { TargetInput } from '../core/labels.ts';
import type { Matrix } from '../core/matrix.ts';
import { type ParamsOf, p } from '../core/params.ts';
import type { PlainObject } from '../core/plain.ts';
import { checkLength } from '../core/saved-state.ts';
import { matrixFromColumns, TableTransformer } from './base.ts';
import { type DataInput, isTable, numericValues } from './input.ts';
import { checkInputWidth, readArray, readIndices } from './state.ts';

/** The parts DatePartExtractor can extract. */
export const DATE_PARTS = ['year', 'month', 'day', 'weekday', 'hour', 'dayofyear'] as const;

/** One date part. */
export type DatePart = (typeof DATE_PARTS)[number];

const schema = {
  parts: p.union([p.oneOf(['auto'] as const), p.array(p.oneOf(DATE_PARTS), { minLength: 1 })], {
    default: 'auto',
    doc: "'auto' (year, month, day, weekday, and hour when times vary) or a list of parts",
  }),
  cyclic: p.bool({ default: false, doc: 'encode periodic parts as sine/cosine pairs' }),
  columns: p.nullable(p.array(p.string(), { minLength: 1 }), {
    doc: 'the columns to extract from (default: every datetime column)',
  }),
};

/** Parameters of {@link DatePartExtractor}. */
export type DatePartExtractorParams = ParamsOf<typeof schema>;

const MS_PER_DAY = 86_400_000;

/**
 * Extracts calendar parts from datetime columns.
 *
 * @example
 * ```ts
 * const t = new Table([datetimeColumn('signup', ['2024-03-15T10:30:00Z'])]);
 * new DatePartExtractor({ parts: ['year', 'month'] }).fitTransform(t); // signup.year 2024, signup.month 3
 * ```
 */
export class DatePartExtractor extends TableTransformer<DatePartExtractorParams> {
  static readonly typeName = 'DatePartExtractor';
  static readonly schema = schema;

  /** Indices (into the input columns) of the columns parts are extracted from. */
  dateColumns_: number[] | undefined = undefined;
  /** The parts extracted from each of those columns. */
  parts_: DatePart[][] | undefined = undefined;

  constructor(params: Partial<DatePartExtractorParams> = {}) {
    super(params);
  }

  /** Chooses the datetime columns and, with `parts: 'auto'`, the parts of each. */
  fit(X: DataInput, _y?: TargetInput): this {
    const t = this.fitTable(X);
    const allNumeric = t.columns.every((c) => c.type === 'numeric');
    let chosen: number[];
    if (this.params.columns) {
      chosen = this.params.columns.map((name) => {
        const j = t.indexOf(name);
        if (j < 0) {
          throw new ValidationError(
            `DatePartExtractor.fit: X has no column '${name}' (listed in 'columns').`,
            {
              field: 'columns',
              fix: `the columns are: ${t.columnNames.join(', ')}`,
            },
          );
        }
        const type = t.columns[j].type;
        if (type !== 'datetime' && type !== 'numeric') {
          throw new ValidationError(
            `DatePartExtractor.fit: column '${name}' is ${type}; dates must be datetime columns (or numeric epoch milliseconds).`,
            {
              field: name,
              fix: 'read the column as a datetime (e.g. give it a datetime type in the schema)',
            },
          );
        }
        return j;
      });
    } else {
      // A Matrix (all numeric columns) is read as epoch milliseconds; a Table contributes its datetime columns.
      chosen = [];
      t.columns.forEach((c, j) => {
        if (c.type === 'datetime' || (allNumeric && !isTable(X))) chosen.push(j);
      });
      if (chosen.length === 0) {
        throw new ValidationError('DatePartExtractor.fit: X has no datetime column.', {
          field: 'columns',
          fix: "pass a Table with datetime columns, or name the columns holding epoch milliseconds in 'columns'",
        });
      }
    }
    const requested = this.params.parts;
    this.parts_ = chosen.map((j) => {
      if (requested !== 'auto') return [...requested];
      const v = numericValues(t.columns[j])!;
      const parts: DatePart[] = ['year', 'month', 'day', 'weekday'];
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === x && ((x % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY >= 3_600_000) {
          parts.push('hour');
          break;
        }
      }
      return parts;
    });
    this.dateColumns_ = chosen;
    return this.finishTable(t);
  }

  /** The parts of each date column, as a numeric Matrix. */
  transform(X: DataInput): Matrix {
    const t = this.transformTableInput(X);
    const n = t.nRows;
    const out: Float64Array[] = [];
    const cyclic = this.params.cyclic;
    const c = new Civil();
    this.dateColumns_!.forEach((j, q) => {
      const v = numericValues(t.columns[j])!;
      const parts = this.parts_![q];
      // One output buffer per part (two for a cyclic one), filled in a single pass over the rows.
      const bufs = parts.map(() => new Float64Array(n));
      const cos = parts.map((part) => (cyclic && part !== 'year' ? new Float64Array(n) : null));
      for (let i = 0; i < n; i++) {
        const ms = v[i];
        const ok = ms === ms && Number.isFinite(ms);
        if (ok) c.set(ms);
        for (let k = 0; k < parts.length; k++) {
          const cs = cos[k];
          if (!ok) {
            bufs[k][i] = Number.NaN;
            if (cs) cs[i] = Number.NaN;
            continue;
          }
          const x = c.part(parts[k]);
          if (cs) {
            const angle = (2 * Math.PI * (x - partStart(parts[k]))) / c.period(parts[k]);
            bufs[k][i] = Math.sin(angle);
            cs[i] = Math.cos(angle);
          } else {
            bufs[k][i] = x;
          }
        }
      }
      for (let k = 0; k < parts.length; k++) {
        out.push(bufs[k]);
        const cs = cos[k];
        if (cs) out.push(cs);
      }
    });
    return matrixFromColumns(out, this.getFeatureNamesOut(), n);
  }

  /** `column.part`, or `column.part.sin` / `column.part.cos` for cyclic parts. */
  getFeatureNamesOut(): string[] {
    this.assertFitted('getFeatureNamesOut');
    const names: string[] = [];
    this.dateColumns_!.forEach((j, q) => {
      const base = this.featureNamesIn_![j];
      for (const part of this.parts_![q]) {
        if (this.params.cyclic && part !== 'year') names.push(`${base}.${part}.sin`, `${base}.${part}.cos`);
        else names.push(`${base}.${part}`);
      }
    });
    return names;
  }

  protected getState(): PlainObject {
    return {
      ...this.tableState(),
      dateColumns: [...this.dateColumns_!],
      parts: this.parts_!.map((x) => [...x]),
    };
  }

  /** Checks the date columns against the input width, and one list of parts per date column. */
  protected setState(s: PlainObject): void {
    const width = (s.featureNamesIn as string[]).length;
    checkInputWidth(this, s, width);
    this.restoreTableState(s);
    const columns = readIndices(this, s, 'dateColumns', width);
    const parts = readArray<DatePart[]>(
      this,
      s,
      'parts',
      (x) => Array.isArray(x) && x.every((q) => (DATE_PARTS as readonly unknown[]).includes(q)),
      'a list of date-part lists',
    );
    checkLength(this.typeName, 'parts', parts, columns.length, 'one list per date column');
    this.dateColumns_ = columns;
    this.parts_ = parts;
  }
}

const MONTH_START = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * The UTC calendar fields of an instant, by Howard Hinnant's `civil_from_days` (no `Date` object per
 * row: this runs once per row of every date column).
 */
class Civil {
  year = 0;
  month = 0;
  day = 0;
  weekday = 0;
  hour = 0;

  set(ms: number): void {
    const days = Math.floor(ms / MS_PER_DAY);
    this.hour = Math.floor((ms - days * MS_PER_DAY) / 3_600_000);
    this.weekday = (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday (3)
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor(
      (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
    );
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    this.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    this.month = mp < 10 ? mp + 3 : mp - 9;
    this.year = yoe + era * 400 + (this.month <= 2 ? 1 : 0);
  }

  part(part: DatePart): number {
    switch (part) {
      case 'year':
        return this.year;
      case 'month':
        return this.month;
      case 'day':
        return this.day;
      case 'weekday':
        return this.weekday;
      case 'hour':
        return this.hour;
      case 'dayofyear':
        return MONTH_START[this.month - 1] + this.day + (this.month > 2 && isLeap(this.year) ? 1 : 0);
    }
  }

  period(part: DatePart): number {
    switch (part) {
      case 'month':
        return 12;
      case 'weekday':
        return 7;
      case 'hour':
        return 24;
      case 'day':
        return this.month === 2 && isLeap(this.year) ? 29 : MONTH_DAYS[this.month - 1];
      case 'dayofyear':
        return isLeap(this.year) ? 366 : 365;
      case 'year':
        return 1;
    }
  }
}

/** One calendar part of an instant (epoch milliseconds), in UTC. */
export function datePart(ms: number, part: DatePart): number {
  const c = new Civil();
  c.set(ms);
  return c.part(part);
}

function partStart(part: DatePart): number {
  return part === 'month' || part === 'day' || part === 'dayofyear' ? 1 : 0;
}

registerEstimator(DatePartExtractor);
