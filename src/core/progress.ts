/**
 * Progress on stderr: a bar when stderr is a terminal and the work has taken over a second,
 * nothing otherwise (or with `quiet`). Never writes to stdout, so `--json` output stays clean.
 *
 * @module
 */

/** Something that can be told how far a job has come. */
export interface Progress {
  /** Advances by `n` units (default 1). */
  tick(n?: number): void;
  /** Sets the absolute position. */
  update(done: number): void;
  /** Changes the label shown before the bar. */
  label(text: string): void;
  /** Clears the bar. Safe to call twice. */
  finish(): void;
}

/** Options for {@link createProgress}. */
export interface ProgressOptions {
  /** Total units of work (0 or undefined: unknown, shows a counter). */
  total?: number;
  /** Text before the bar. */
  label?: string;
  /** Never draw. */
  quiet?: boolean;
  /** Where to draw (default `process.stderr`). */
  stream?: NodeJS.WriteStream;
  /** Draw only after this many milliseconds (default 1000). */
  delayMs?: number;
  /**
   * Show an estimate of the time left (default true). Turn it off when the units are stages of
   * very different lengths (read, fit, write), where a linear estimate misleads.
   */
  eta?: boolean;
}

/** A progress reporter that does nothing. */
export const silentProgress: Progress = { tick() {}, update() {}, label() {}, finish() {} };

/** A progress reporter: a bar on a TTY after `delayMs`, silent otherwise. */
export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return silentProgress;
  const total = options.total ?? 0;
  const start = Date.now();
  const delay = options.delayMs ?? 1000;
  const showEta = options.eta ?? true;
  let done = 0;
  let text = options.label ?? '';
  let lastDraw = 0;
  let drawn = false;

  const draw = (force = false): void => {
    const now = Date.now();
    if (now - start < delay) return;
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - text.length - 30));
    let line: string;
    if (total > 0) {
      const frac = Math.min(1, done / total);
      const fill = Math.round(frac * width);
      const eta = frac > 0 ? ((now - start) / frac - (now - start)) / 1000 : 0;
      line = `${text} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${total}${showEta && frac > 0 && frac < 1 ? ` eta ${eta.toFixed(0)}s` : ''}`;
    } else {
      line = `${text} ${done} (${((now - start) / 1000).toFixed(1)}s)`;
    }
    stream.write(`\r${line}\x1b[K`);
    drawn = true;
  };

  return {
    // Reaching the total always draws (the 100 ms throttle would otherwise hide the last step).
    tick(n = 1) {
      done += n;
      draw(total > 0 && done >= total);
    },
    update(d) {
      done = d;
      draw(total > 0 && done >= total);
    },
    label(t) {
      // Drawn at once (once past the delay): work between stages is synchronous, so a long stage
      // shows its label from its start or not at all.
      text = t;
      draw(true);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
