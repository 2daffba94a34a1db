/**
 * A transformer's output that is computed but not yet written: its shape and names, and a function
 * that writes it into a block of a wider row-major matrix.
 *
 * `ColumnTransformer` asks each route for one, allocates the concatenated output once and has every
 * route write straight into its columns. A wide route — a one-hot encoding of a thousand-level
 * column — then never gets a matrix of its own that is copied and dropped: half the memory at peak
 * and one pass over it less (fresh memory is the dominant cost of a dense one-hot output).
 * Transformers that cannot write in place are wrapped by {@link pendingOf}, which copies.
 *
 * @module
 */

import type { TargetInput } from '../core/labels.ts';
import type { Matrix } from '../core/matrix.ts';
import type { DataInput } from './input.ts';

/** An output waiting to be written (see the module notes). */
export interface PendingOutput {
  /** Rows of the output. */
  readonly rows: number;
  /** Columns of the output. */
  readonly cols: number;
  /** Names of the output columns. */
  readonly names: readonly string[];
  /** The output itself when it already exists as a matrix of its own ({@link pendingOf}). */
  readonly finished?: Matrix;
  /**
   * Writes value (i, j) of the output to `data[i * stride + offset + j]`. The block must hold
   * zeros (a fresh `Float64Array`): a sparse output such as a one-hot encoding writes only its
   * non-zero values.
   */
  writeInto(data: Float64Array, stride: number, offset: number): void;
}

/** A transformer that can hand over its output as a {@link PendingOutput}. */
export interface WritesInPlace {
  /** As `transform`, but the output is written later, where the caller says. */
  transformPending(X: DataInput): PendingOutput;
  /** As `fitTransform`, but the output is written later, where the caller says. */
  fitTransformPending(X: DataInput, y?: TargetInput): PendingOutput;
}

/** Whether `e` can hand over its output unwritten ({@link WritesInPlace}). */
export function writesInPlace(e: unknown): e is WritesInPlace {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as Partial<WritesInPlace>).transformPending === 'function' &&
    typeof (e as Partial<WritesInPlace>).fitTransformPending === 'function'
  );
}

/** A finished matrix as a {@link PendingOutput}: writing it copies its rows. */
export function pendingOf(m: Matrix): PendingOutput {
  const { rows, cols, data: src } = m;
  return {
    rows,
    cols,
    names: m.columns,
    finished: m,
    writeInto(data, stride, offset) {
      if (stride === cols && offset === 0) {
        data.set(src.subarray(0, rows * cols));
        return;
      }
      // Wide rows by memcpy; narrow ones element by element (a subarray per row costs more).
      for (let i = 0, from = 0, to = offset; i < rows; i++, from += cols, to += stride) {
        if (cols >= 32) data.set(src.subarray(from, from + cols), to);
        else for (let j = 0; j < cols; j++) data[to + j] = src[from + j];
      }
    },
  };
}

/** Writes a pending output into a matrix of its own (what `transform` returns). */
export function writeAlone(p: PendingOutput): { data: Float64Array; rows: number; cols: number } {
  const data = new Float64Array(p.rows * p.cols);
  p.writeInto(data, p.cols, 0);
  return { data, rows: p.rows, cols: p.cols };
}
