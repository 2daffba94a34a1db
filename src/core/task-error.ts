/**
 * A task's error as plain data, and back: what travels from a worker (a thread, or a machine
 * across a queue) to the caller, so that a `DataError` naming a file and line in a task is still a
 * `DataError` naming them where the batch was started.
 *
 * @module
 */

import { DataError, ValidationError } from './errors.ts';

/** A task's error as plain data. */
export interface TaskError {
  name: string;
  message: string;
  stack?: string;
  /** The fields of Lathe's errors (`field`, `file`, `line`, `column`, `fix`, …). */
  extra?: Record<string, unknown>;
}

const FIELDS = ['field', 'expected', 'file', 'line', 'column', 'fix'] as const;

/** What a thrown value says, as plain data. */
export function taskErrorOf(e: unknown): TaskError {
  const err = e as (Error & Record<string, unknown>) | null | undefined;
  const extra: Record<string, unknown> = {};
  if (err && typeof err === 'object') for (const k of FIELDS) if (k in err) extra[k] = err[k];
  return {
    name: typeof err?.name === 'string' ? err.name : 'Error',
    message: typeof err?.message === 'string' ? err.message : String(e),
    stack: typeof err?.stack === 'string' ? err.stack : undefined,
    extra,
  };
}

/** The error again: a `DataError` or `ValidationError` of that name (exit code 2), else an `Error`. */
export function rebuildTaskError(e: TaskError): Error {
  const Ctor =
    e.name === 'DataError' ? DataError : e.name === 'ValidationError' ? ValidationError : undefined;
  let err: Error;
  if (Ctor) {
    err = Object.create(Ctor.prototype) as Error;
    Object.defineProperty(err, 'message', { value: e.message, writable: true, configurable: true });
    Object.assign(err, { name: e.name, exitCode: 2, ...e.extra });
  } else {
    err = new Error(e.message);
    err.name = e.name;
  }
  if (e.stack) err.stack = e.stack;
  return err;
}
