/**
 * `Schema`: what a table's columns are — born when data is loaded and profiled, saved as JSON,
 * carried into model packages (the server validates requests against it; the monitor compares
 * live data to it).
 *
 * The semantic `type` may differ from the storage type: an integer column of unique values is
 * stored as `numeric` but has type `id`, which preprocessing drops by default.
 *
 * @module
 */

import type { ColumnType } from './column.ts';

/** Semantic column types. */
export type SemanticType = 'numeric' | 'categorical' | 'boolean' | 'datetime' | 'text' | 'id';

/** One column of a {@link Schema}. */
export interface ColumnSchema {
  name: string;
  /** What the column means for modelling. */
  type: SemanticType;
  /** How the column is stored in a {@link Table}. */
  storage: ColumnType;
  /** Whether missing values were seen (or are allowed). */
  nullable: boolean;
  /** For categoricals: the levels seen, in dictionary order. */
  categories?: string[];
  /** For numeric and datetime columns: the observed range. */
  min?: number;
  max?: number;
  /** For datetime columns read from text: the format that parsed them (e.g. "%Y-%m-%d"). */
  format?: string;
}

/** A table's schema (format version 1). */
export interface Schema {
  version: 1;
  columns: ColumnSchema[];
}
