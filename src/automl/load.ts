/**
 * `loadModel`: a model package (path, archive or registry reference) loaded with every Lathe
 * estimator class registered — the tracking layer cannot import the models (layering), so the
 * jobs that load models go through here.
 *
 * @module
 */

import '../models/index.ts';
import '../preprocess/index.ts';
import { type LoadedModel, loadModelPackage, type ModelRefOptions } from '../track/registry.ts';

/** Loads the model at `ref` (a package path, `name@alias` or `name/version`). */
export function loadModel(ref: string, options: ModelRefOptions = {}): Promise<LoadedModel> {
  return loadModelPackage(ref, options);
}
