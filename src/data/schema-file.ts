/**
 * Schema files: `validateSchema` checks a parsed JSON value is a {@link Schema} (filling in
 * defaults), `readSchemaFile` / `writeSchemaFile` load and save one. The format is documented
 * in docs/data.md; errors name the file, the column and the field at fault.
 *
 * @module
 */

import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError, show } from '../core/errors.ts';
import { makeDirsSync } from '../core/make-dirs.ts';
import { keepMode, writeTarget } from '../core/temp-files.ts';
import type { ColumnType } from './column.ts';
import { DATETIME_FORMATS } from './read/values.ts';
import type { ColumnSchema, Schema, SemanticType } from './schema.ts';

const SEMANTIC: readonly SemanticType[] = ['numeric', 'categorical', 'boolean', 'datetime', 'text', 'id'];
const STORAGE: readonly ColumnType[] = ['numeric', 'categorical', 'boolean', 'datetime', 'text'];
const KEYS = new Set(['name', 'type', 'storage', 'nullable', 'categories', 'min', 'max', 'format']);

/** The storage a semantic type gets when a schema file does not say (`id` → `text`). */
export function defaultStorage(type: SemanticType): ColumnType {
  return type === 'id' ? 'text' : type;
}

/**
 * Checks that `value` (parsed JSON) is a valid schema and returns it with defaults filled in:
 * `version` 1, `storage` from `type` ({@link defaultStorage}), `nullable` true. `source` names
 * the file in error messages.
 */
export function validateSchema(value: unknown, source = 'schema'): Schema {
  const err = (msg: string, column?: string, fix?: string) =>
    new DataError(msg, {
      file: source,
      column,
      fix:
        fix ??
        `a schema is {"version": 1, "columns": [{"name": "age", "type": "numeric"}, …]} with types ${SEMANTIC.join(', ')} (see docs/data.md)`,
    });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw err(`a schema must be a JSON object, found ${Array.isArray(value) ? 'an array' : show(value)}.`);
  }
  const v = value as Record<string, unknown>;
  if (v.version !== undefined && v.version !== 1)
    throw err(`unsupported schema version ${show(v.version)}; this Lathe reads version 1.`);
  if (!Array.isArray(v.columns))
    throw err(`"columns" must be an array of column objects, found ${show(v.columns)}.`);
  const seen = new Set<string>();
  const columns = v.columns.map((c, i): ColumnSchema => {
    if (typeof c !== 'object' || c === null || Array.isArray(c))
      throw err(`columns[${i}] must be an object, found ${show(c)}.`);
    const col = c as Record<string, unknown>;
    if (typeof col.name !== 'string' || col.name === '')
      throw err(`columns[${i}] needs a non-empty "name", found ${show(col.name)}.`);
    const name = col.name;
    if (seen.has(name)) throw err(`column '${name}' appears twice.`, name, 'list each column once');
    seen.add(name);
    for (const k of Object.keys(col)) {
      if (!KEYS.has(k))
        throw err(
          `column '${name}' has an unknown field "${k}".`,
          name,
          `the fields are: ${[...KEYS].join(', ')}`,
        );
    }
    if (typeof col.type !== 'string' || !SEMANTIC.includes(col.type as SemanticType)) {
      throw err(
        `column '${name}' has type ${show(col.type)}; expected one of ${SEMANTIC.join(', ')}.`,
        name,
        `set "type" to one of ${SEMANTIC.join(', ')}`,
      );
    }
    const type = col.type as SemanticType;
    if (
      col.storage !== undefined &&
      (typeof col.storage !== 'string' || !STORAGE.includes(col.storage as ColumnType))
    ) {
      throw err(
        `column '${name}' has storage ${show(col.storage)}; expected one of ${STORAGE.join(', ')}.`,
        name,
        `set "storage" to one of ${STORAGE.join(', ')} or leave it out`,
      );
    }
    const storage = (col.storage as ColumnType | undefined) ?? defaultStorage(type);
    if (col.nullable !== undefined && typeof col.nullable !== 'boolean')
      throw err(`column '${name}': "nullable" must be true or false, found ${show(col.nullable)}.`, name);
    const out: ColumnSchema = {
      name,
      type,
      storage,
      nullable: (col.nullable as boolean | undefined) ?? true,
    };
    if (col.categories !== undefined) {
      if (!Array.isArray(col.categories) || col.categories.some((x) => typeof x !== 'string')) {
        throw err(`column '${name}': "categories" must be an array of strings.`, name);
      }
      if (new Set(col.categories).size !== col.categories.length)
        throw err(`column '${name}': "categories" lists a level twice.`, name);
      out.categories = [...(col.categories as string[])];
    }
    for (const k of ['min', 'max'] as const) {
      if (col[k] !== undefined) {
        if (typeof col[k] !== 'number' || !Number.isFinite(col[k]))
          throw err(`column '${name}': "${k}" must be a finite number, found ${show(col[k])}.`, name);
        out[k] = col[k] as number;
      }
    }
    if (col.format !== undefined) {
      if (!DATETIME_FORMATS.includes(col.format as (typeof DATETIME_FORMATS)[number])) {
        throw err(
          `column '${name}': datetime "format" ${show(col.format)} is not supported.`,
          name,
          `use one of ${DATETIME_FORMATS.join(', ')}`,
        );
      }
      out.format = col.format as string;
    }
    return out;
  });
  return { version: 1, columns };
}

/** Reads and validates a schema JSON file. */
export function readSchemaFile(path: string): Schema {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(
      code === 'ENOENT'
        ? 'the schema file does not exist.'
        : code === 'EISDIR'
          ? 'the schema path is a directory, not a file.'
          : `the schema file cannot be read (${code}).`,
      {
        file: path,
        fix: 'pass the path of a schema JSON file (write one with writeSchemaFile or `lathe profile --json`)',
        cause: e,
      },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DataError(`the schema file is not valid JSON: ${(e as Error).message}.`, {
      file: path,
      fix: 'check the JSON syntax',
      cause: e,
    });
  }
  return validateSchema(value, path);
}

/** Writes `schema` as pretty JSON (to a temporary name in the same directory, then renamed). */
export function writeSchemaFile(schema: Schema, path: string): void {
  const valid = validateSchema(schema);
  makeDirsSync(dirname(path));
  const target = writeTarget(path); // a symbolic link stays: its target is written
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`);
    keepMode(tmp, target);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new DataError(`cannot write the schema file: ${(e as Error).message}`, { file: path, cause: e });
  }
}
