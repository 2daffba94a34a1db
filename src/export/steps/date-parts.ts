/**
 * DatePartExtractor in float64 arithmetic: the calendar fields of an epoch-millisecond instant by
 * Howard Hinnant's `civil_from_days`, written with `Div`, `Floor`, `Mul`, `Sub` and `Where` in the
 * same order as `src/preprocess/date-part-extractor.ts`, so each part is the same number Lathe
 * computes. Cyclic parts use `Sin`/`Cos` of the same angle (these two may differ from V8's in the
 * last bit). A missing or infinite instant gives NaN in every part.
 *
 * Reads the public fitted fields `dateColumns_` and `parts_`, and the parameter `cyclic`.
 *
 * @module
 */

import type { DatePart, DatePartExtractor } from '../../preprocess/date-part-extractor.ts';
import { type ConvertContext, describeStep } from '../context.ts';
import { blockColumns, type Col, columnTensor, concatColumns, numericColumn } from '../frame.ts';
import { attr, type GraphBuilder } from '../graph-builder.ts';
import { DataType } from '../onnx-proto.ts';
import { conformFrame, type Frame } from './conform.ts';

const MS_PER_DAY = 86_400_000;
const MONTH_START = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Converts a fitted DatePartExtractor; the output is numeric. */
export function convertDatePartExtractor(ctx: ConvertContext, dpe: DatePartExtractor, frame: Frame): Col[] {
  const { b } = ctx;
  const cols = conformFrame(ctx, dpe, frame, dpe.inputTypes_!);
  const cyclic = dpe.getParams().cyclic;
  const blocks: string[] = [];
  dpe.dateColumns_!.forEach((j, q) => {
    const x = columnTensor(b, numericColumn(cols[j], describeStep(ctx, dpe)));
    const civil = new CivilGraph(b, x);
    for (const part of dpe.parts_![q]) {
      const value = civil.part(part);
      if (cyclic && part !== 'year') {
        const start = part === 'month' || part === 'day' || part === 'dayofyear' ? 1 : 0;
        const angle = b.op('Div', [
          b.op('Mul', [b.scalar(2 * Math.PI), b.op('Sub', [value, b.scalar(start)])]),
          civil.period(part),
        ]);
        blocks.push(civil.masked(b.op('Sin', [angle])), civil.masked(b.op('Cos', [angle])));
      } else {
        blocks.push(civil.masked(value));
      }
    }
  });
  return blockColumns(concatColumns(b, blocks), dpe.getFeatureNamesOut());
}

/** The calendar fields of a `[N, 1]` epoch-ms tensor, built on demand. */
class CivilGraph {
  private readonly b: GraphBuilder;
  /** True where the instant is missing or infinite. */
  private readonly bad: string;
  /** The instant with bad values replaced by 0 (so every index below stays in range). */
  private readonly ms: string;
  private memo = new Map<string, string>();

  constructor(b: GraphBuilder, x: string) {
    this.b = b;
    this.bad = b.op('Or', [b.op('IsNaN', [x]), b.op('IsInf', [x])]);
    this.ms = b.op('Where', [this.bad, b.scalar(0), x]);
  }

  private once(key: string, make: () => string): string {
    let v = this.memo.get(key);
    if (v === undefined) {
      v = make();
      this.memo.set(key, v);
    }
    return v;
  }

  private k(v: number): string {
    return this.b.scalar(v);
  }

  private op(type: string, ...inputs: string[]): string {
    return this.b.op(type, inputs);
  }

  /** floor(a / d). */
  private floorDiv(a: string, d: number): string {
    return this.op('Floor', this.op('Div', a, this.k(d)));
  }

  /** NaN where the instant was missing, else `v`. */
  masked(v: string): string {
    return this.op('Where', this.bad, this.k(Number.NaN), v);
  }

  private get days(): string {
    return this.once('days', () => this.floorDiv(this.ms, MS_PER_DAY));
  }

  private get hour(): string {
    return this.once('hour', () =>
      this.floorDiv(this.op('Sub', this.ms, this.op('Mul', this.days, this.k(MS_PER_DAY))), 3_600_000),
    );
  }

  private get weekday(): string {
    // ((days + 3) mod 7), as a floored modulo (equal to Lathe's ((a % 7) + 7) % 7 on integers).
    return this.once('weekday', () => {
      const a = this.op('Add', this.days, this.k(3));
      return this.op('Sub', a, this.op('Mul', this.floorDiv(a, 7), this.k(7)));
    });
  }

  private get civil(): { year: string; month: string; day: string } {
    const z = this.once('z', () => this.op('Add', this.days, this.k(719468)));
    const era = this.once('era', () => this.floorDiv(z, 146097));
    const doe = this.once('doe', () => this.op('Sub', z, this.op('Mul', era, this.k(146097))));
    const yoe = this.once('yoe', () => {
      const t = this.op(
        'Sub',
        this.op('Add', this.op('Sub', doe, this.floorDiv(doe, 1460)), this.floorDiv(doe, 36524)),
        this.floorDiv(doe, 146096),
      );
      return this.floorDiv(t, 365);
    });
    const doy = this.once('doy', () =>
      this.op(
        'Sub',
        doe,
        this.op(
          'Sub',
          this.op('Add', this.op('Mul', this.k(365), yoe), this.floorDiv(yoe, 4)),
          this.floorDiv(yoe, 100),
        ),
      ),
    );
    const mp = this.once('mp', () =>
      this.floorDiv(this.op('Add', this.op('Mul', this.k(5), doy), this.k(2)), 153),
    );
    const day = this.once('day', () =>
      this.op(
        'Add',
        this.op('Sub', doy, this.floorDiv(this.op('Add', this.op('Mul', this.k(153), mp), this.k(2)), 5)),
        this.k(1),
      ),
    );
    const month = this.once('month', () =>
      this.op(
        'Where',
        this.op('Less', mp, this.k(10)),
        this.op('Add', mp, this.k(3)),
        this.op('Sub', mp, this.k(9)),
      ),
    );
    const year = this.once('year', () => {
      const early = this.b.op(
        'Cast',
        [this.op('LessOrEqual', month, this.k(2))],
        [attr.int('to', DataType.DOUBLE)],
      );
      return this.op('Add', this.op('Add', yoe, this.op('Mul', era, this.k(400))), early);
    });
    return { year, month, day };
  }

  /** (y mod n) == 0, with a floored modulo (the same truth value as Lathe's `y % n === 0`). */
  private divisible(y: string, n: number): string {
    return this.op('Equal', this.op('Sub', y, this.op('Mul', this.floorDiv(y, n), this.k(n))), this.k(0));
  }

  private get leap(): string {
    return this.once('leap', () => {
      const y = this.civil.year;
      return this.op(
        'Or',
        this.op('And', this.divisible(y, 4), this.op('Not', this.divisible(y, 100))),
        this.divisible(y, 400),
      );
    });
  }

  /** A table lookup by month (1–12). */
  private byMonth(table: readonly number[]): string {
    const idx = this.b.op(
      'Cast',
      [this.op('Sub', this.civil.month, this.k(1))],
      [attr.int('to', DataType.INT64)],
    );
    return this.b.op('Gather', [this.b.double(table), idx], [attr.int('axis', 0)]);
  }

  /** The value of `part`. */
  part(part: DatePart): string {
    switch (part) {
      case 'year':
        return this.civil.year;
      case 'month':
        return this.civil.month;
      case 'day':
        return this.civil.day;
      case 'weekday':
        return this.weekday;
      case 'hour':
        return this.hour;
      case 'dayofyear':
        return this.once('dayofyear', () => {
          const { month, day } = this.civil;
          const after = this.op('And', this.op('Greater', month, this.k(2)), this.leap);
          const extra = this.b.op('Cast', [after], [attr.int('to', DataType.DOUBLE)]);
          return this.op('Add', this.op('Add', this.byMonth(MONTH_START), day), extra);
        });
    }
  }

  /** The period of a cyclic part (per row for day and dayofyear). */
  period(part: DatePart): string {
    switch (part) {
      case 'month':
        return this.k(12);
      case 'weekday':
        return this.k(7);
      case 'hour':
        return this.k(24);
      case 'year':
        return this.k(1);
      case 'day':
        return this.once('period.day', () =>
          this.op(
            'Where',
            this.op('And', this.op('Equal', this.civil.month, this.k(2)), this.leap),
            this.k(29),
            this.byMonth(MONTH_DAYS),
          ),
        );
      case 'dayofyear':
        return this.once('period.dayofyear', () => this.op('Where', this.leap, this.k(366), this.k(365)));
    }
  }
}
