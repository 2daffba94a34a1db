/**
 * Reloading served models: when the reference a model was served from points at another package
 * now — an alias moved by `lathe models alias` or `lathe retrain --promote`, a package path
 * written again — the new package is loaded and served in its place, between two requests. What
 * a reference points at is asked cheaply first ({@link ReloadSource.identify}: a registry lookup,
 * a file's status); only a change loads anything.
 *
 * A package that cannot be loaded or served (gone, damaged, a model that cannot score) leaves
 * the one being served in place; the next check tries again — except what failed for good: a
 * failure the source calls lasting ({@link ReloadSource.lasting}; `lathe serve`: a package that
 * loads but cannot be served) is not loaded again until the reference points elsewhere (under `--watch 1s` a bad version would otherwise be
 * read and decoded every second, each time stalling the requests behind it).
 *
 * @module
 */

import type { ServedModel } from './served-model.ts';
import type { ServedModels } from './served-models.ts';

/** How to look at and load what a served model's reference points at. */
export interface ReloadSource {
  /**
   * What `ref` points at now, as a string that changes when it points elsewhere (e.g. the
   * registry version and digest an alias resolves to, or a package file's inode, size and time).
   */
  identify(ref: string): Promise<string>;
  /** Loads what `ref` points at, served under `name`. */
  load(ref: string, name: string): Promise<ServedModel>;
  /**
   * Whether an error of `load` is a property of what the reference points at — loading the same
   * identity again would fail the same way (e.g. a model that cannot score) — rather than of the
   * moment (a busy or unreachable store, a file being written). Without it every failure is retried.
   */
  lasting?(error: unknown): boolean;
}

/** What one check did for one served model (only models whose reference changed, or failed). */
export type ReloadEvent =
  | { name: string; ref: string; outcome: 'reloaded'; from: string; to: string }
  | {
      name: string;
      ref: string;
      outcome: 'failed';
      version: string;
      error: string;
      /** The failure is the package's own (see {@link ReloadSource.lasting}): no retry until the reference moves. */
      lasting: boolean;
    };

interface Watched {
  name: string;
  ref: string;
  /** What `ref` pointed at when the served model was loaded (null: not known yet). */
  identity: string | null;
  /** What `ref` pointed at when loading it failed for good (see {@link ReloadSource.lasting}). */
  failed: string | null;
}

/** Checks the references of served models and replaces those that point elsewhere now. */
export class ModelReloader {
  readonly #models: ServedModels;
  readonly #source: ReloadSource;
  readonly #watched: Watched[];
  #running: Promise<ReloadEvent[]> | null = null;
  /** The check that starts once the running one ends (asked for while it ran), if any. */
  #next: Promise<ReloadEvent[]> | null = null;

  /**
   * `refs` maps each served name to the reference it was loaded from; `identities`, when given,
   * what each pointed at then (else the first check takes what they point at as served, unless
   * the version loaded differs).
   */
  constructor(
    models: ServedModels,
    refs: ReadonlyArray<{ name: string; ref: string; identity?: string | null }>,
    source: ReloadSource,
  ) {
    this.#models = models;
    this.#source = source;
    this.#watched = refs.map((r) => ({
      name: r.name,
      ref: r.ref,
      identity: r.identity ?? null,
      failed: null,
    }));
  }

  /** Whether a check is under way (or due after the one under way). */
  get checking(): boolean {
    return this.#running !== null || this.#next !== null;
  }

  /**
   * Looks at every reference once and serves what changed. Checks never overlap: a call made
   * while one runs gets a check that starts when that one ends (the running one may have looked
   * at a reference before it moved), and every call made meanwhile gets that same check — the
   * same promise, whose events are to be reported once.
   */
  check(): Promise<ReloadEvent[]> {
    if (this.#next) return this.#next;
    if (this.#running) {
      const after = () => {
        this.#next = null;
        return this.#start();
      };
      this.#next = this.#running.then(after, after);
      return this.#next;
    }
    return this.#start();
  }

  #start(): Promise<ReloadEvent[]> {
    const run = this.#checkAll().finally(() => {
      this.#running = null;
    });
    this.#running = run;
    return run;
  }

  async #checkAll(): Promise<ReloadEvent[]> {
    const events: ReloadEvent[] = [];
    for (const w of this.#watched) {
      const event = await this.#checkOne(w);
      if (event) events.push(event);
    }
    return events;
  }

  async #checkOne(w: Watched): Promise<ReloadEvent | null> {
    const current = this.#models.get(w.name);
    if (!current) return null;
    let identity: string | null = null;
    try {
      identity = await this.#source.identify(w.ref);
      if (identity === w.identity || identity === w.failed) return null;
      const next = await this.#source.load(w.ref, w.name);
      w.identity = identity;
      w.failed = null;
      if (next.version === current.version) return null;
      this.#models.replace(next);
      return { name: w.name, ref: w.ref, outcome: 'reloaded', from: current.version, to: next.version };
    } catch (e) {
      const lasting = identity !== null && (this.#source.lasting?.(e) ?? false);
      if (lasting) w.failed = identity;
      return {
        name: w.name,
        ref: w.ref,
        outcome: 'failed',
        version: current.version,
        error: (e as Error).message,
        lasting,
      };
    }
  }
}
