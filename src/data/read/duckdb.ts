/**
 * The process's DuckDB: one in-memory instance, created lazily on first use and closed when the
 * process exits. Used to read Parquet and to write Parquet; results are materialised chunk by
 * chunk, column by column, straight into typed arrays.
 *
 * @module
 */

import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Column } from '../column.ts';
import { F64Builder, finishStrings, I8Builder, StringBuilder } from './builders.ts';

let instance: DuckDBInstance | null = null;
let connecting: Promise<DuckDBConnection> | null = null;

/** The shared connection to the process's in-memory DuckDB (created on first call). */
export function duckdbConnection(): Promise<DuckDBConnection> {
  if (!connecting) {
    connecting = (async () => {
      // Loaded on first use: the native module costs a few hundred milliseconds to load, which
      // every command that never touches Parquet would otherwise pay at start-up.
      const { DuckDBInstance } = await import('@duckdb/node-api');
      instance = await DuckDBInstance.create(':memory:', { threads: '2' });
      const con = await instance.connect();
      process.once('exit', closeDuckDB);
      return con;
    })();
    connecting.catch(() => {
      connecting = null;
    });
  }
  return connecting;
}

/** Closes the shared DuckDB instance (it is re-created on next use). Safe to call twice. */
export function closeDuckDB(): void {
  const inst = instance;
  instance = null;
  connecting = null;
  try {
    inst?.closeSync();
  } catch {
    // already closed
  }
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A SQL identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

type Kind = 'num' | 'bool' | 'date' | 'str';

/**
 * Runs `SELECT * FROM <from>` in DuckDB and materialises the result as columns: numbers as
 * Float64 (NULL → NaN), booleans as Int8, DATE/TIMESTAMP as epoch ms, VARCHAR/ENUM as
 * categorical or text, anything else (lists, structs) as its text form.
 */
export async function duckdbColumns(from: string): Promise<Column[]> {
  const con = await duckdbConnection();
  const desc = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
  const rows = desc.getRowObjects() as { column_name: string; column_type: string }[];
  const kinds: Kind[] = [];
  const exprs = rows.map(({ column_name: name, column_type: type }) => {
    const c = sqlIdent(name);
    if (NUMERIC.test(type)) {
      kinds.push('num');
      return `coalesce(CAST(${c} AS DOUBLE), 'NaN'::DOUBLE)`;
    }
    if (type === 'BOOLEAN') {
      kinds.push('bool');
      return `coalesce(CAST(${c} AS TINYINT), -1::TINYINT)`;
    }
    if (type === 'DATE' || type.startsWith('TIMESTAMP')) {
      kinds.push('date');
      const ts = type === 'TIMESTAMP WITH TIME ZONE' ? c : `CAST(${c} AS TIMESTAMP)`;
      return `coalesce(CAST(epoch_ms(${ts}) AS DOUBLE), 'NaN'::DOUBLE)`;
    }
    kinds.push('str');
    return `CAST(${c} AS VARCHAR)`;
  });
  const names = rows.map((r) => r.column_name);
  const num = kinds.map((k) => (k === 'num' || k === 'date' ? new F64Builder(2048) : null));
  const bool = kinds.map((k) => (k === 'bool' ? new I8Builder(2048) : null));
  const str = kinds.map((k) => (k === 'str' ? new StringBuilder(2048) : null));
  if (names.length > 0) {
    const result = await con.stream(`SELECT ${exprs.join(', ')} FROM ${from}`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      for (let j = 0; j < names.length; j++) {
        const vec = chunk.getColumnVector(j);
        const f = num[j];
        const b = bool[j];
        const s = str[j];
        if (f) for (let i = 0; i < n; i++) f.push(vec.getItem(i) as number);
        else if (b) for (let i = 0; i < n; i++) b.push(vec.getItem(i) as number);
        else if (s) for (let i = 0; i < n; i++) s.push(vec.getItem(i) as string | null);
      }
    }
  }
  return names.map((name, j): Column => {
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
