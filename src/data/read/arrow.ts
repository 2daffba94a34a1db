/**
 * The Arrow IPC reader (file or stream format), through `apache-arrow`, one record batch at a
 * time: numbers (any width, decimals) as Float64 with NaN for null, booleans as Int8,
 * dates/timestamps as epoch ms, dictionary and string columns as categorical or text.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import type { RecordBatchReader } from 'apache-arrow';
import { DataError } from '../../core/errors.ts';
import type { Column } from '../column.ts';
import { F64Builder, finishStrings, I8Builder, StringBuilder } from './builders.ts';

type Kind = 'num' | 'bool' | 'date' | 'str';

function toMs(v: unknown): number {
  if (v === null || v === undefined) return Number.NaN;
  if (v instanceof Date) return v.getTime();
  return Number(v);
}

/**
 * Reads every record batch of an Arrow IPC file into columns. `apache-arrow` is loaded on first
 * use, so commands that never read Arrow do not pay for it at start-up.
 */
export async function readArrowColumns(file: string): Promise<Column[]> {
  const { DataType, RecordBatchReader } = await import('apache-arrow');
  let reader: RecordBatchReader;
  try {
    reader = RecordBatchReader.from(readFileSync(file));
    reader.open();
  } catch (e) {
    throw new DataError(`the file cannot be read as Arrow IPC: ${(e as Error).message}.`, {
      file,
      fix: 'check that it is an Arrow IPC (Feather v2) file, or pass a CSV/Parquet file',
      cause: e,
    });
  }
  const fields = reader.schema.fields;
  const kinds: Kind[] = fields.map((f) => {
    const t = f.type;
    if (DataType.isInt(t) || DataType.isFloat(t) || DataType.isDecimal(t)) return 'num';
    if (DataType.isBool(t)) return 'bool';
    if (DataType.isDate(t) || DataType.isTimestamp(t)) return 'date';
    return 'str';
  });
  const num = kinds.map((k) => (k === 'num' || k === 'date' ? new F64Builder() : null));
  const bool = kinds.map((k) => (k === 'bool' ? new I8Builder() : null));
  const str = kinds.map((k) => (k === 'str' ? new StringBuilder() : null));
  for (const batch of reader) {
    const n = batch.numRows;
    fields.forEach((_, j) => {
      const vec = batch.getChildAt(j);
      if (!vec) return;
      const f = num[j];
      const b = bool[j];
      const s = str[j];
      for (let i = 0; i < n; i++) {
        const v = vec.get(i);
        if (f) f.push(kinds[j] === 'date' ? toMs(v) : v === null ? Number.NaN : Number(v));
        else if (b) b.push(v === null ? -1 : v ? 1 : 0);
        else if (s)
          s.push(v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));
      }
    });
  }
  return fields.map((fd, j): Column => {
    const name = fd.name;
    switch (kinds[j]) {
      case 'num':
        return { type: 'numeric', name, values: (num[j] as F64Builder).finish() };
      case 'date':
        return { type: 'datetime', name, values: (num[j] as F64Builder).finish() };
      case 'bool':
        return { type: 'boolean', name, values: (bool[j] as I8Builder).finish() };
      default:
        return finishStrings(name, str[j] as StringBuilder);
    }
  });
}
