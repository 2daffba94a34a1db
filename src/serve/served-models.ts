/**
 * The models a server answers with, by name. One can be replaced while the server runs (a new
 * version of the model an alias points at): each request looks its model up once, when it
 * starts, so it is answered whole by the version it found — scoring is synchronous, and a
 * replacement lands between two requests, never inside one.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import type { ServedModel } from './served-model.ts';

/** The served models by name, in the order given; {@link ServedModels.replace} swaps one. */
export class ServedModels {
  readonly #byName = new Map<string, ServedModel>();

  /** Throws a `ValidationError` for no models or two of one name. */
  constructor(models: readonly ServedModel[]) {
    if (models.length === 0) {
      throw new ValidationError('createServer: no model to serve.', { fix: 'pass at least one model' });
    }
    for (const m of models) {
      if (this.#byName.has(m.name)) {
        throw new ValidationError(
          `Two models are named ${show(m.name)}; each served model needs its own name.`,
          { field: 'name', fix: 'name them apart (lathe serve NAME=MODEL …)' },
        );
      }
      this.#byName.set(m.name, m);
    }
  }

  /** How many models are served. */
  get size(): number {
    return this.#byName.size;
  }

  /** The served names, in the order given. */
  names(): string[] {
    return [...this.#byName.keys()];
  }

  /** The models served now, in the order given. */
  list(): ServedModel[] {
    return [...this.#byName.values()];
  }

  /** The model served under `name`, if any. */
  get(name: string): ServedModel | undefined {
    return this.#byName.get(name);
  }

  /**
   * Serves `model` in place of the one of its name (which must be served) and returns that one.
   * Requests that start from now on are answered by `model`.
   */
  replace(model: ServedModel): ServedModel {
    const old = this.#byName.get(model.name);
    if (!old) {
      throw new ValidationError(`No model named ${show(model.name)} is served, so none can be replaced.`, {
        field: 'name',
        fix: `replace one of ${this.names().join(', ')}`,
      });
    }
    this.#byName.set(model.name, model);
    return old;
  }
}
