/**
 * Warnings: conditions worth telling the user that do not stop the work (scikit-learn's
 * `UndefinedMetricWarning`, `ConvergenceWarning`, …). By default each distinct message is printed
 * once to stderr; tests and the server install a handler to capture them instead.
 *
 * @module
 */

/** Kinds of warnings Lathe emits. */
export type WarningCategory =
  | 'UndefinedMetricWarning'
  | 'ConvergenceWarning'
  | 'DataConversionWarning'
  | 'FitFailedWarning'
  | 'DataQualityWarning'
  | 'UserWarning';

/** One warning. */
export interface LatheWarning {
  category: WarningCategory;
  message: string;
}

type Handler = (w: LatheWarning) => void;

const printed = new Set<string>();
let handler: Handler = (w) => {
  const key = `${w.category}:${w.message}`;
  if (printed.has(key)) return;
  printed.add(key);
  if (process.env.LATHE_QUIET_WARNINGS !== '1')
    process.stderr.write(`warning (${w.category}): ${w.message}\n`);
};

/** Emits a warning through the current handler. */
export function warn(category: WarningCategory, message: string): void {
  handler({ category, message });
}

/** Runs `fn` and returns its result together with every warning it emitted (nothing is printed). */
export function captureWarnings<T>(fn: () => T): { result: T; warnings: LatheWarning[] } {
  const warnings: LatheWarning[] = [];
  const previous = handler;
  handler = (w) => warnings.push(w);
  try {
    return { result: fn(), warnings };
  } finally {
    handler = previous;
  }
}

/** Replaces the warning handler; returns a function that restores the previous one. */
export function onWarning(h: Handler): () => void {
  const previous = handler;
  handler = h;
  return () => {
    handler = previous;
  };
}

/**
 * Drops the warnings `drop` matches and passes the others to the current handler, until the
 * returned function is called (for work that spans an `await`, where {@link captureWarnings} cannot).
 */
export function suppressWarnings(drop: (w: LatheWarning) => boolean): () => void {
  const previous = handler;
  handler = (w) => {
    if (!drop(w)) previous(w);
  };
  return () => {
    handler = previous;
  };
}
