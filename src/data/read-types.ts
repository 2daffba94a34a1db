/**
 * The contract of the readers (`readTable`): what a caller passes and gets back. The readers
 * themselves live in `src/data/read/`.
 *
 * @module
 */

import type { Schema } from './schema.ts';
import type { Table } from './table.ts';

/** Formats Lathe reads. */
export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'json' | 'ndjson' | 'arrow';

/** What to do with a row that does not fit (wrong field count, a value that does not parse). */
export type BadRowPolicy = 'error' | 'quarantine';

/** Options for {@link ReadResult}-producing readers. */
export interface ReadOptions {
  /** Force a format instead of detecting it by extension and content. */
  format?: DataFormat;
  /** `error` (default): stop at the first bad row with a DataError; `quarantine`: set it aside. */
  onBadRows?: BadRowPolicy;
  /** Where quarantined rows go (default: `<data file>.rejects.csv` next to the input). */
  rejectsPath?: string;
  /** A schema (or a path to one, as JSON) that overrides the inferred column types. */
  schema?: Schema | string;
  /**
   * Schema columns the file lacks are skipped instead of being an error (for callers that check
   * the columns themselves, e.g. `lathe predict` against a model's input schema). Default false.
   */
  schemaColumnsOptional?: boolean;
  /** CSV: delimiter (default sniffed). */
  delimiter?: string;
  /** CSV: whether the first row is a header (default sniffed). */
  header?: boolean;
  /** CSV: the quote character (default `"`; `''` for none). */
  quote?: string;
  /** CSV/NDJSON: text values read as missing (default `DEFAULT_MISSING_VALUES`: '', NA, N/A, NaN, null, None, …). */
  missingValues?: readonly string[];
  /** CSV/NDJSON: how many leading rows the column types are sniffed from (default 20,000). */
  sampleRows?: number;
  /**
   * CSV/NDJSON: the longest record accepted, in characters (default 8 Mi). A longer one is a bad
   * row — usually the sign of an unterminated quote that swallowed the rest of the file.
   */
  maxRecordChars?: number;
}

/** One row set aside under `onBadRows: 'quarantine'`. */
export interface RejectedRow {
  /** 1-based line number in the file (for CSV/TSV/NDJSON), or the record index for other formats. */
  line: number;
  /** Why it was rejected, e.g. "expected 7 fields, found 9" or "column 'age': 'abc' is not a number". */
  reason: string;
  /** The raw text of the row, as read. */
  raw: string;
}

/** Accounting for a read: `accepted + rejected = rowsRead`, always. */
export interface ReadSummary {
  rowsRead: number;
  accepted: number;
  rejected: number;
  /** Where the rejected rows were written, when any were. */
  rejectsPath?: string;
}

/** What a reader returns. */
export interface ReadResult {
  table: Table;
  schema: Schema;
  summary: ReadSummary;
  /** The rejected rows (also written to `summary.rejectsPath`). */
  rejected: RejectedRow[];
  /** The file read and the format it was read as. */
  source: { path: string; format: DataFormat; bytes: number };
  /**
   * CSV/TSV/NDJSON/JSON: for each accepted row, the 1-based line (JSON arrays: record index)
   * where it starts in the file — so later checks can point at the file's own lines.
   */
  rowLines?: Int32Array;
  /** CSV/TSV: the dialect used (sniffed or given). */
  dialect?: { delimiter: string; quote: string; header: boolean };
}
