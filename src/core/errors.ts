/**
 * The errors Lathe raises. Every message states what was expected, what came, and how to fix it.
 *
 * The command line maps {@link LatheError} subclasses to exit code 2 (bad usage or bad data) and
 * prints only the message; anything else is an internal error (exit code 1).
 *
 * @module
 */

/** Options shared by every Lathe error. */
export interface ErrorDetails {
  /** A short, actionable suggestion appended to the message as "Fix: …". */
  fix?: string;
  /** The underlying error, kept for debugging. */
  cause?: unknown;
}

/** Base class of every error Lathe raises on purpose. `exitCode` is what the CLI exits with. */
export class LatheError extends Error {
  /** Exit code the command line uses for this error. */
  readonly exitCode: number = 2;
  /** The suggested fix, if any (also present at the end of `message`). */
  readonly fix: string | undefined;

  constructor(message: string, details: ErrorDetails = {}) {
    super(withFix(message, details.fix), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.fix = details.fix;
  }
}

/** Where a {@link ValidationError} happened. */
export interface ValidationDetails extends ErrorDetails {
  /** The parameter, option, column or field at fault. */
  field?: string;
  /** What was expected, in words (e.g. "an integer ≥ 1"). */
  expected?: string;
  /** What came instead (rendered into the message by the caller). */
  actual?: unknown;
}

/** A parameter, option, argument or array that does not meet the requirements of the call. */
export class ValidationError extends LatheError {
  readonly field: string | undefined;
  readonly expected: string | undefined;
  readonly actual: unknown;

  constructor(message: string, details: ValidationDetails = {}) {
    super(message, details);
    this.field = details.field;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}

/**
 * A value in one row that an estimator cannot take (NaN or ±Infinity where it needs finite
 * numbers). `row` is the 0-based row of the data the estimator was given, so a caller that scores
 * in batches can place it in its file (see `predictTable`).
 */
export class RowValueError extends ValidationError {
  readonly row: number;
  readonly value: unknown;

  constructor(message: string, details: ValidationDetails & { row: number; value: unknown }) {
    super(message, details);
    this.row = details.row;
    this.value = details.value;
  }
}

/** Where a {@link DataError} happened in its source. Lines are 1-based, as an editor shows them. */
export interface DataErrorDetails extends ErrorDetails {
  file?: string;
  line?: number;
  column?: string | number;
}

/** Input data that cannot be read or used: a missing file, a ragged row, a value that does not parse. */
export class DataError extends LatheError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: string | number | undefined;

  constructor(message: string, details: DataErrorDetails = {}) {
    super(withLocation(message, details), details);
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
  }
}

/** `predict`, `transform` or `score` called on an estimator that has not been fitted. */
export class NotFittedError extends LatheError {
  constructor(estimator: string, method = 'predict') {
    super(`${estimator} is not fitted yet: call fit(X, y) before ${method}().`, {
      fix: `fit the ${estimator} first, or load a fitted model package`,
    });
  }
}

/** An HTTP-facing error with a status code; the server turns it into a JSON problem response. */
export class HttpError extends LatheError {
  readonly status: number;
  readonly details: unknown;

  constructor(status: number, message: string, details?: unknown, extra: ErrorDetails = {}) {
    super(message, extra);
    this.status = status;
    this.details = details;
  }
}

/** True for errors the CLI reports as bad usage or bad data (exit code 2) rather than internal failures. */
export function isUserError(error: unknown): error is LatheError {
  return error instanceof LatheError;
}

function withFix(message: string, fix: string | undefined): string {
  if (!fix) return message;
  const sep = /[.!?]$/.test(message) ? ' ' : '. ';
  return `${message}${sep}Fix: ${fix}.`.replace(/\.\.$/, '.');
}

function withLocation(message: string, d: DataErrorDetails): string {
  const parts: string[] = [];
  if (d.file !== undefined) parts.push(d.file);
  if (d.line !== undefined) parts.push(`line ${d.line}`);
  if (d.column !== undefined)
    parts.push(`column ${typeof d.column === 'number' ? d.column : `'${d.column}'`}`);
  return parts.length ? `${parts.join(', ')}: ${message}` : message;
}

/** Renders any value for an error message: short, unambiguous, never a whole array. */
export function show(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
