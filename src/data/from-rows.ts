/**
 * Tables from plain objects — for tests, docs and JSON requests to the model server.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { Column } from './column.ts';
import { F64Builder, finishStrings, I8Builder, StringBuilder } from './read/builders.ts';
import type { Schema } from './schema.ts';
import { applySchema } from './schema-apply.ts';
import { inferSchema } from './schema-infer.ts';
import { Table } from './table.ts';

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/**
 * Builds a table from objects (one per row; keys are columns, in order of first appearance).
 * A column of numbers becomes numeric, of booleans boolean, of `Date`s datetime; anything else
 * (strings, or a mix) becomes categorical or text by its values as strings (objects as JSON).
 * null, undefined, NaN and absent keys are missing. With a `schema`, columns are converted to
 * it ({@link applySchema}: a value that does not convert is an error naming column and row).
 */
export function tableFromObjects(rows: readonly Record<string, unknown>[], schema?: Schema): Table {
  if (!Array.isArray(rows))
    throw new ValidationError('tableFromObjects needs an array of objects.', { field: 'rows' });
  const names: string[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      throw new ValidationError(`row ${i} is not an object.`, {
        field: 'rows',
        fix: 'pass objects like {"age": 31, "city": "Lyon"}',
      });
    }
    for (const k of Object.keys(r)) {
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
  });
  const n = rows.length;
  const columns = names.map((name): Column => {
    let kind: 'num' | 'bool' | 'date' | 'str' | null = null;
    for (const r of rows) {
      const v = r[name];
      if (isMissing(v)) continue;
      const k =
        typeof v === 'number' ? 'num' : typeof v === 'boolean' ? 'bool' : v instanceof Date ? 'date' : 'str';
      if (kind === null) kind = k;
      else if (kind !== k) {
        kind = 'str';
        break;
      }
    }
    if (kind === 'num' || kind === 'date') {
      const b = new F64Builder(n);
      for (const r of rows) {
        const v = r[name];
        b.push(isMissing(v) ? Number.NaN : v instanceof Date ? v.getTime() : (v as number));
      }
      return { type: kind === 'num' ? 'numeric' : 'datetime', name, values: b.finish() };
    }
    if (kind === 'bool') {
      const b = new I8Builder(n);
      for (const r of rows) b.push(isMissing(r[name]) ? -1 : r[name] ? 1 : 0);
      return { type: 'boolean', name, values: b.finish() };
    }
    const b = new StringBuilder(n);
    for (const r of rows) {
      const v = r[name];
      b.push(
        isMissing(v)
          ? null
          : typeof v === 'string'
            ? v
            : v instanceof Date
              ? v.toISOString()
              : typeof v === 'object'
                ? JSON.stringify(v)
                : String(v),
      );
    }
    return finishStrings(name, b);
  });
  const table = new Table(columns);
  return schema ? applySchema(table, schema) : table;
}

/** {@link tableFromObjects} plus the table's schema (the given one's types, or inferred). */
export function readTableFromRows(
  rows: readonly Record<string, unknown>[],
  schema?: Schema,
): { table: Table; schema: Schema } {
  const table = tableFromObjects(rows, schema);
  const types: Record<string, Schema['columns'][number]['type']> = {};
  for (const c of schema?.columns ?? []) types[c.name] = c.type;
  return { table, schema: inferSchema(table, { types }) };
}
